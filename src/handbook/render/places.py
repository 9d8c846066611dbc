"""Where a document lives on the site, known to both outputs (the PDF prints its page's URL)."""

from __future__ import annotations

from pathlib import Path

from ..models import Document

# Where ``build.py pdf`` writes the PDFs and the manifest describing each (document, kind, phase,
# title, pages); the site reads the manifest to list them.
PDF_DIR = Path("build") / "pdf"
PDF_MANIFEST = "manifest.json"

SECTIONS = {"standard": "standards", "manual": "manuals", "curriculum": "curricula"}
SECTION_TITLES = {"standard": "服务标准", "manual": "实务手册", "curriculum": "培训课程"}


def page_of(doc: Document) -> str:
    """The document's page as a source path of the site (``standards/<id>.md``)."""
    return f"{SECTIONS[doc.kind]}/{doc.id}.md"


def page_url(site_url: str | None, doc: Document, directory_urls: bool = True) -> str | None:
    """The document's page on the published site, laid out as MkDocs lays it out
    (``standards/<id>.html``, or ``standards/<id>/`` with ``use_directory_urls``)."""
    if not site_url:
        return None
    page = page_of(doc).removesuffix(".md")
    return site_url.rstrip("/") + "/" + (page + "/" if directory_urls else page + ".html")
