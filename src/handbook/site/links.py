"""Where each document and entry lives on the site, and relative links between pages.

Links are written to the Markdown source paths (``standards/x.md#id``); MkDocs turns them
into ``.html`` links and, with ``validation: anchors``, checks that every target exists.
"""

from __future__ import annotations

import posixpath

from ..library import Entry, Library
from ..models import Document
from ..render.places import SECTION_TITLES, SECTIONS, page_of

__all__ = ["SECTIONS", "SECTION_TITLES", "page_of"]

HOME = "index.md"
GLOSSARY = "glossary.md"
COVERAGE = "coverage.md"
RULES = "rules.md"
DOWNLOADS = "downloads.md"
EDITING = "editing.md"
GENERATED = {HOME, GLOSSARY, COVERAGE, RULES, DOWNLOADS, EDITING}


# A section with more documents than this is one list page in the navigation, not one entry per
# document: the sidebar of every page lists its section's entries, which would make page size
# and build time grow with the square of the library.
NAV_LIST_LIMIT = 30


def section_page(kind: str) -> str:
    return f"{SECTIONS[kind]}/index.md"


def revisions_of(doc: Document) -> str:
    """The document's 修订说明 page (a folder of its own: no document ID can clash with it)."""
    return f"revisions/{doc.id}.md"


def relative(target: str, page: str) -> str:
    """Path of ``target`` (a site-relative .md path, maybe with #anchor) as seen from ``page``."""
    path, _, anchor = target.partition("#")
    if path == page:
        return f"#{anchor}" if anchor else posixpath.basename(path)
    rel = posixpath.relpath(path, posixpath.dirname(page) or ".")
    return f"{rel}#{anchor}" if anchor else rel


class Links:
    """Resolves entries to pages; ``only`` limits the documents that have a page (``serve --only``)."""

    def __init__(self, lib: Library, only: set[str] | None = None):
        self.lib = lib
        self.only = only

    def has_page(self, doc: Document) -> bool:
        return self.only is None or doc.id in self.only

    def target(self, entry: Entry) -> str | None:
        """Site-relative target of ``entry``: page plus anchor (the entry's stable ID)."""
        if not self.has_page(entry.doc):
            return None
        page = page_of(entry.doc)
        return page if entry.item is entry.doc else f"{page}#{entry.id}"

    def link_for(self, page: str):
        """A ``link_for(entry)`` for ``handbook.text.render_text``, relative to ``page``."""

        def link(entry: Entry) -> str | None:
            target = self.target(entry)
            return relative(target, page) if target else None

        return link

    def to(self, target: str, page: str) -> str:
        return relative(target, page)
