"""One finished HTML page per document: ``render_page(doc, lib, ...) -> SitePage``.

The page comes from the site templates (site/templates), which call the same macros as the print
(render/templates/macros.html); MkDocs gets the HTML as it is (the plugin hands it over in
``on_page_content``), with the TOC and anchors read from our own headings. Nothing here goes
through Python-Markdown except editor text, through ``handbook.text.editor_html``.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup

from .. import coursework
from ..figures import picture as figure_picture
from ..library import Entry, Library
from ..models import Curriculum, Document, Procedure, Standard
from ..render import headings
from ..render.context import Context
from ..render.env import environment
from ..rules.curriculum import module_hours, phase_hours
from .links import Links, page_of, relative

FlowFn = Callable[[Procedure, Library, Document], str]
CONTENTS_MARK = "<!--hb-contents-->"


@dataclass
class SitePage:
    """A rendered page: its HTML, its title, its headings (for the TOC), the ids it defines and the
    (page, anchor) pairs it links to (for MkDocs' anchor validation)."""

    html: str
    title: str
    headings: list[headings.Heading]
    ids: set[str]
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (target page, anchor, url as written)

    def __str__(self) -> str:
        return self.html


def url_of(page: str, directory_urls: bool) -> str:
    """The URL MkDocs gives a source page (``a/b.md`` -> ``a/b.html`` or ``a/b/``)."""
    stem = page.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def link_url(target: str, page: str, directory_urls: bool) -> str:
    """``target`` (a source path, maybe with #anchor) as a finished relative URL seen from ``page``."""
    from mkdocs.utils import get_relative_url

    path, _, anchor = target.partition("#")
    if path == page:
        return f"#{anchor}" if anchor else "./"
    url = get_relative_url(url_of(path, directory_urls), url_of(page, directory_urls))
    return f"{url}#{anchor}" if anchor else url


class SiteLinker:
    """Links an entry to its page#anchor (finished URLs), remembering each link for validation."""

    def __init__(self, links: Links, page: str, directory_urls: bool):
        self.links, self.page, self.directory_urls = links, page, directory_urls
        self.seen: list[tuple[str, str, str]] = []

    def url(self, entry: Entry) -> str | None:
        target = self.links.target(entry)
        if target is None:
            return None
        return self.to(target)

    def to(self, target: str) -> str:
        url = link_url(target, self.page, self.directory_urls)
        path, _, anchor = target.partition("#")
        if anchor:
            self.seen.append((path, anchor, url))
        return url


def render_page(doc: Document, lib: Library, links: Links | None = None, flow: FlowFn | None = None,
                pdfs: list[tuple[str, str]] = (), revisions: tuple[str, str] | None = None, *,
                directory_urls: bool = False, permalink: tuple[str, str] | None = ("¶", "本节链接")) -> SitePage:
    """The page of ``doc``; ``flow`` renders a procedure diagram (default: Graphviz, no cache);
    ``pdfs`` are (label, source path) of this document's PDFs, linked under the title, and
    ``revisions`` (label, source path) its 修订说明 page."""
    if flow is None:
        from .flow import FlowRenderer

        flow = FlowRenderer()
    links = links or Links(lib)
    page = page_of(doc)
    linker = SiteLinker(links, page, directory_urls)
    ctx = Context("site", lib, doc, linker, permalink=permalink)
    source = lib.sources.get(doc.id)
    figure_cache = getattr(flow, "cache", None)  # the procedures' Graphviz cache serves figures too
    ctx.picture = lambda figure: Markup(figure_picture(figure, source.path if source else None, figure_cache))  # noqa: E731
    context = {
        "ctx": ctx, "doc": doc, "lib": lib,
        "pdfs": [(label, _file_url(path, page, directory_urls)) for label, path in pdfs],
        "revisions": (revisions[0], linker.to(revisions[1])) if revisions else None,
        "phase_hours": phase_hours, "module_hours": module_hours,
    }
    if isinstance(doc, Curriculum):
        sessions = [s for p in doc.phases for m in p.modules for s in m.sessions]
        context |= {"sessions": sessions, "total": sum(phase_hours(p) for p in doc.phases),
                    "agendas": {s.id: coursework.agenda_rows(s) for s in sessions}}
    else:
        context["flows"] = {p.id: Markup(flow(p, lib, doc)) for ch in getattr(doc, "chapters", [])
                            for p in getattr(ch, "procedures", [])}
    body = environment().get_template(f"site/{doc.kind}.html").render(context)
    found, ids = headings.read(body)
    if isinstance(doc, Standard):
        body = body.replace(CONTENTS_MARK, _contents(found), 1)
    return SitePage(body, doc.title, found, ids, linker.seen)


def _file_url(path: str, page: str, directory_urls: bool) -> str:
    """A file that is not a page (a PDF) keeps its name; only the page it is seen from moves."""
    from mkdocs.utils import get_relative_url

    return get_relative_url(path, url_of(page, directory_urls)) if directory_urls else relative(path, page)


def _contents(found: list[headings.Heading]) -> str:
    """The 目次: chapters (h2) and their titled clauses (h3), but not the terms or the 目次 itself."""
    top = headings.nest([h for h in found if h.level >= 2])
    items = [h for h in top if h.id != "_contents"]
    for h in items:
        h.children = [c for c in h.children if h.id != "_terms"]
    return str(environment().get_template("site/parts.html").module.contents(items))


def toc_tokens(found: list[headings.Heading]) -> list[dict]:
    """Our headings as Python-Markdown toc tokens, for ``mkdocs.structure.toc.get_toc``."""

    def token(h: headings.Heading) -> dict:
        return {"level": h.level, "id": h.id, "name": html.escape(h.text, quote=False),
                "children": [token(c) for c in h.children]}

    return [token(h) for h in headings.nest(found)]
