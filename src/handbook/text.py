"""Editor text: the one place where what an editor writes becomes HTML.

``editor_html(text, resolve_ref)`` is the converter every renderer calls for a field documented
as Markdown (``models.Text``); every other editor string is plain text and is only ever escaped.
Markdown fields allow a fixed set of constructs and nothing else:

- paragraphs, bullet and numbered lists, line breaks, ``*em*``, ``**strong**``, ```code```,
  backslash escapes and character references (decoded, then escaped again as text);
- links ``[text](url)`` only to ``http:``, ``https:`` and ``mailto:`` URLs;
- internal references ``[[id]]`` / ``[[doc-id#id]]``, labelled and linked by ``resolve_ref``;
- images only when ``resolve_image`` maps the path to a file the project ships (else alt text).

Raw HTML, attribute lists (``{: style=...}``), headings, tables, block quotes, code blocks and
reference-style links are not parsed: they stay literal text, escaped. ``check`` reports them
(``rules/markup.py``, using ``parse`` below so both see the same tokens). Parsing is
markdown-it-py (linear on adversarial input; nesting capped), no regular expression here runs
over editor text.

``editor_markdown`` renders the same tokens as Markdown for today's MkDocs pages (which are
Markdown): every punctuation character of editor text becomes a character reference, so
Python-Markdown and its extensions see no syntax but the links and emphasis written here.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.tree import SyntaxTreeNode
from markupsafe import Markup

# (label, url or None) for a reference, or None when it does not resolve.
ResolveRef = Callable[[str], "tuple[str, str | None] | None"]
ResolveImage = Callable[[str], "str | None"]

LINK_SCHEMES = ("http:", "https:", "mailto:")
MAX_REF = 200  # longer than any valid "doc-id#item-id" (IDs are limited to 64 characters)
MAX_NESTING = 20


def _ref_rule(state: StateInline, silent: bool) -> bool:
    """``[[ref]]`` as one token; the closing ``]]`` is looked for within MAX_REF characters only."""
    src, pos = state.src, state.pos
    if not src.startswith("[[", pos):
        return False
    end = src.find("]]", pos + 2, pos + 2 + MAX_REF + 2)
    if end < 0:
        return False
    inner = src[pos + 2 : end]
    if not inner or "[" in inner or "]" in inner or "\n" in inner:
        return False
    if not silent:
        token = state.push("hb_ref", "", 0)
        token.content = inner
        token.markup = src[pos : end + 2]
    state.pos = end + 2
    return True


def _accept_link(url: str) -> bool:
    # Images need relative paths, so markdown-it keeps every target except script-capable
    # schemes; the renderers below decide what each link or image may become.
    lowered = url.strip().lower()
    return not any(lowered.startswith(s) for s in ("javascript:", "vbscript:", "data:", "file:"))


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False, "maxNesting": MAX_NESTING})
    md.enable(["list", "emphasis", "backticks", "escape", "link", "image", "newline", "entity"])
    md.inline.ruler.before("link", "hb_ref", _ref_rule)
    md.validateLink = _accept_link
    return md


@lru_cache(maxsize=65536)
def parse(text: str) -> SyntaxTreeNode:
    """The syntax tree of editor text under the allowed subset (shared with ``check``).
    Cached: a text that appears on many pages (or in the site and the print) is parsed once;
    callers only read the tree."""
    return SyntaxTreeNode(_parser().parse(text))


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")  # no SVG: it can carry script


def shipped_image(root: Path, yaml_dir: Path, src: str) -> Path | None:
    """The image file ``src`` names, if the project ships it beside the YAML: a relative path
    without a scheme, inside ``yaml_dir`` after resolving symlinks, with an image suffix."""
    if not src or ":" in src or src.startswith(("/", "\\")) or "\\" in src or "%" in src:
        return None
    try:
        base = yaml_dir.resolve()
        path = (base / src).resolve()
        path.relative_to(base)
        path.relative_to(root.resolve())
    except (OSError, ValueError):
        return None
    return path if path.suffix.lower() in IMAGE_SUFFIXES and path.is_file() else None


def link_allowed(url: str) -> bool:
    return url.strip().lower().startswith(LINK_SCHEMES)


def editor_html(text: str, resolve_ref: ResolveRef, *, resolve_image: ResolveImage | None = None,
                inline: bool = False) -> Markup:
    """Editor Markdown as safe HTML. ``inline``: a single paragraph comes without its ``<p>``."""
    if not text or not text.strip():
        return Markup("")
    root = parse(text)
    if inline and len(root.children) == 1 and root.children[0].type == "paragraph":
        root = root.children[0]
    return Markup(_Html(resolve_ref, resolve_image).children(root))


def editor_markdown(text: str, resolve_ref: ResolveRef) -> str:
    """The same allowed subset as Markdown for MkDocs pages; everything else is inert text."""
    if not text or not text.strip():
        return ""
    return _Markdown(resolve_ref).children(parse(text)).strip()


def plain_text(text: str) -> str:
    """What a reader sees of editor Markdown with the markup removed (for labels, alt text)."""
    return "".join(_plain(node) for node in parse(text).children) if text else ""


def _plain(node: SyntaxTreeNode) -> str:
    if node.type in ("text", "code_inline"):
        return node.content
    if node.type in ("softbreak", "hardbreak"):
        return " "
    if node.type == "hb_ref":
        return node.token.markup if node.token else ""
    return "".join(_plain(c) for c in node.children)


class _Html:
    def __init__(self, resolve_ref: ResolveRef, resolve_image: ResolveImage | None):
        self.resolve_ref, self.resolve_image = resolve_ref, resolve_image

    def children(self, node: SyntaxTreeNode) -> str:
        return "".join(self.node(c) for c in node.children)

    def node(self, node: SyntaxTreeNode) -> str:
        t = node.type
        if t == "text":
            return html.escape(node.content, quote=False)
        if t == "softbreak":
            return "\n"
        if t == "hardbreak":
            return "<br>\n"
        if t == "code_inline":
            return f"<code>{html.escape(node.content, quote=False)}</code>"
        if t in ("em", "strong"):
            return f"<{t}>{self.children(node)}</{t}>"
        if t == "paragraph":
            inner = self.children(node)
            return inner if node.hidden else f"<p>{inner}</p>\n"
        if t == "bullet_list":
            return f"<ul>\n{self.children(node)}</ul>\n"
        if t == "ordered_list":
            start = node.attrs.get("start")
            attr = f' start="{int(start)}"' if start not in (None, 1) else ""
            return f"<ol{attr}>\n{self.children(node)}</ol>\n"
        if t == "list_item":
            return f"<li>{self.children(node)}</li>\n"
        if t == "link":
            inner = self.children(node)
            href = str(node.attrs.get("href", ""))
            if not link_allowed(href):
                return inner
            return f'<a href="{html.escape(href)}" rel="noopener noreferrer">{inner}</a>'
        if t == "image":
            alt = html.escape(_plain(node), quote=False)
            url = self.resolve_image(str(node.attrs.get("src", ""))) if self.resolve_image else None
            return f'<img src="{html.escape(url)}" alt="{html.escape(_plain(node))}">' if url else alt
        if t == "hb_ref":
            found = self.resolve_ref(node.content) if node.token else None
            if found is None:
                return html.escape(node.token.markup if node.token else "", quote=False)
            label, url = found
            if not url:
                return html.escape(label, quote=False)
            return f'<a class="hb-ref" href="{html.escape(url)}">{html.escape(label, quote=False)}</a>'
        return self.children(node)  # root; anything else renders only its text


_MD_SYNTAX = set("\\`*_{}[]()#+-!|<>~=:^&\"'$")


def md_text(text: str) -> str:
    """Plain text for a Markdown page, the one escape for that context: characters Markdown or
    an extension could read as syntax (emphasis, attribute lists, tables, admonitions, HTML)
    become character references, a line-opening "1." loses its list meaning, newlines are spaces."""
    out = []
    for i, ch in enumerate(text):
        if ch in "\r\n\u2028\u2029":
            out.append(" ")
        elif ch in _MD_SYNTAX or (ch == "." and i and text[i - 1].isdigit()):
            out.append(f"&#{ord(ch)};")
        else:
            out.append(ch)
    return "".join(out)


def md_url(url: str) -> str:
    """A URL safe inside ``[..](..)``: no spaces, brackets or quotes left to end it early."""
    return "".join(f"%{ord(c):02X}" if c in ' ()<>"\'\\`|\n\t' else c for c in url)


class _Markdown:
    def __init__(self, resolve_ref: ResolveRef):
        self.resolve_ref = resolve_ref

    def children(self, node: SyntaxTreeNode, indent: str = "") -> str:
        return "".join(self.node(c, indent) for c in node.children)

    def node(self, node: SyntaxTreeNode, indent: str) -> str:
        t = node.type
        if t == "text":
            return md_text(node.content)
        if t == "softbreak":
            return " "
        if t == "hardbreak":
            return "<br>"
        if t == "code_inline":
            return f"<code>{md_text(node.content)}</code>"
        if t == "em":
            return f"<em>{self.children(node)}</em>"
        if t == "strong":
            return f"<strong>{self.children(node)}</strong>"
        if t == "paragraph":
            return self.children(node) + ("" if node.hidden else "\n\n")
        if t in ("bullet_list", "ordered_list"):
            lines = []
            for i, item in enumerate(node.children):
                marker = "- " if t == "bullet_list" else f"{i + 1}. "
                parts = [self.node(c, "").strip("\n") for c in item.children]
                body = ("\n" if node.children and all(c.hidden for c in item.children if c.type == "paragraph")
                        else "\n\n").join(p for p in parts if p)
                lines.append(marker + body.replace("\n", "\n    "))
            return "\n".join(lines) + "\n\n"
        if t == "link":
            inner = self.children(node)
            href = str(node.attrs.get("href", ""))
            return f"[{inner}]({md_url(href)})" if link_allowed(href) else inner
        if t == "image":
            return md_text(_plain(node))
        if t == "hb_ref":
            found = self.resolve_ref(node.content)
            if found is None:
                return md_text(node.token.markup if node.token else "")
            label, url = found
            return f"[{md_text(label)}]({md_url(url)})" if url else md_text(label)
        return self.children(node, indent)


# ----------------------------------------------------------------- references in a library


def ref_resolver(lib, doc, link_for) -> ResolveRef:
    """``resolve_ref`` for ``doc`` in ``lib``: GB/T-style labels, URLs from ``link_for(entry)``."""

    def resolve(ref: str) -> tuple[str, str | None] | None:
        fact = lib.fact(ref)
        if fact is not None:  # [[fact:ID]] reads as the value itself: “3 年”, “40 学时”
            return fact.text, None
        entry = lib.resolve(ref, doc)
        if entry is None:
            return None
        return ref_label(entry, doc), link_for(entry)

    return resolve


def ref_label(entry, doc) -> str:
    """How a reference to ``entry`` reads in ``doc``: 《文件》, 服务对象（3.3）, 5.2.1, 附录A..."""
    if entry.item is entry.doc:
        return f"《{entry.title}》"
    if entry.kind == "term":
        label = f"{entry.title}（{entry.number}）"  # GB/T 1.1 style: 服务对象（3.3）
    elif entry.kind in ("clause", "chapter", "annex", "form", "figure", "table"):
        label = entry.number or entry.title
    else:
        label = entry.label
    return f"《{entry.doc.title}》{label}" if entry.doc is not doc else label


def render_text(text: str, lib, doc, link_for) -> str:
    """Editor Markdown for today's MkDocs pages (see ``editor_markdown``)."""
    return editor_markdown(text, ref_resolver(lib, doc, link_for))
