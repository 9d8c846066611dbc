"""``Context``: what a template needs besides the model — editor text, references, heading levels.

One per rendered page (site) or PDF (print). Editor text goes through ``handbook.text.editor_html``
(the single converter); every [[ref]] and structured reference is labelled by ``refs`` and pointed
by the output's ``Linker``.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from ..library import Entry, Library
from ..models import Document
from ..text import editor_html, ref_resolver
from .refs import Linker, ref_label

class Context:
    """``output`` is "site" or "print"; ``top`` is the heading level of a chapter (site 2: the page
    title is h1; print 1); ``permalink`` is (symbol, title) of the site's heading links."""

    def __init__(self, output: str, lib: Library, doc: Document, linker: Linker, *,
                 permalink: tuple[str, str] | None = None):
        self.output, self.lib, self.doc, self.linker = output, lib, doc, linker
        self.site, self.print = output == "site", output == "print"
        self.top = 2 if self.site else 1
        self.gap = "\u3000" if self.site else " "
        self.permalink = permalink
        self.picture = None  # figure -> Markup, set by the output (site and print find images their own way)

    def level(self, depth: int) -> int:
        """The heading tag level of something ``depth`` deep (1 = chapter); above 6 it is not a heading."""
        return depth + self.top - 1

    # ------------------------------------------------------------ editor text

    def _resolver(self, doc: Document):
        # the converter's own resolver: facts ([[fact:ID]]) and GB/T labels decided in one place
        return ref_resolver(self.lib, doc, self.linker.url)

    def text(self, markdown: str, doc: Document | None = None) -> Markup:
        """Editor Markdown as block HTML (paragraphs, lists)."""
        return editor_html(markdown, self._resolver(doc or self.doc)).strip()

    def inline(self, markdown: str, doc: Document | None = None) -> Markup:
        """Editor Markdown inside a line (a list item, a table cell): a single paragraph loses its <p>."""
        return editor_html(markdown, self._resolver(doc or self.doc), inline=True).strip()

    def numbered(self, number: str, markdown: str) -> Markup:
        """An untitled clause: its number opens the first paragraph."""
        html = str(self.text(markdown))
        no = str(Markup('<span class="no">{}</span>{}').format(number, self.gap))
        return Markup(html.replace("<p>", "<p>" + no, 1) if html.startswith("<p>") else f"<p>{no}</p>{html}")

    # ------------------------------------------------------------ references

    def resolve(self, ref: str) -> Entry | None:
        return self.lib.resolve(ref, self.doc)

    def link(self, entry: Entry, label: str) -> Markup:
        url = self.linker.url(entry)
        return Markup('<a href="{}">{}</a>').format(url, label) if url else escape(label)

    def ref(self, ref: str) -> Markup:
        """A structured reference (covers, implements, worksheets, record) as its linked label."""
        entry = self.resolve(ref)
        if entry is None:
            return escape(ref)
        return self.link(entry, ref_label(entry, self.doc))

    def quote(self, ref: str) -> Markup:
        """The wording of a referenced clause or term, for a trainer to read out."""
        entry = self.resolve(ref)
        if entry is None or entry.kind not in ("term", "clause"):
            return Markup("")
        item = entry.item
        if entry.kind == "term":
            return self.text(item.definition, entry.doc)
        html = str(self.text(item.text, entry.doc))
        if item.items:
            from .env import environment

            elements = environment().get_template("elements.html").module
            inline = lambda t: editor_html(t, self._resolver(entry.doc), inline=True).strip()  # noqa: E731
            html += str(elements.items(item.items, item.item_style, inline))
        return Markup(html)

    # the print templates of the trainer's toolkit name these as ``tx.block`` and ``tx.ref_label``
    def block(self, markdown: str) -> Markup:
        return self.text(markdown)

    def ref_label(self, ref: str) -> Markup:
        return self.ref(ref)
