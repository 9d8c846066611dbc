"""The site and the PDF of every shipped document say the same things.

For each clause, term, form and session, the number and title and every paragraph and list item
the site shows for it (read from the built site's HTML) are found in the PDF's text (pdftotext,
running headers and footers removed). Both outputs are the session's shared builds: the site of
``mkdocs build --strict`` and the PDFs of conftest's ``shipped``.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from handbook.pdf import build as pdf_build
from handbook.pdf.render import Variant, pdf_name
from handbook.render.places import page_of

from .test_site_support import has_shipped_library, shipped_site

pytestmark = pytest.mark.skipif(not has_shipped_library(), reason="no shipped library")
KINDS = ("chapter", "clause", "term", "form", "session")
HEADING = re.compile(r"^h[1-6]$")
FOOTER = re.compile(r"第 ?\d+ ?页 ?/ ?共 ?\d+ ?页|\d+|[IVXLC]+")  # 第 N 页 / 共 M 页, or the GB/T page number alone


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(path: Path, furniture: set[str]) -> str:
    """The PDF's text in drawing order (-raw keeps a table cell's lines together), squashed, each
    page without its running header and footer lines."""
    raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    pieces = sorted((" ".join(f.split()) for f in furniture if f), key=len, reverse=True)

    def is_furniture(line: str) -> bool:  # a running header may join the chapter and the code on one line
        line = " ".join(line.split())
        for piece in pieces:
            line = line.replace(piece, " ")
        return not line.strip() or bool(FOOTER.fullmatch(line.strip()))

    kept = [ln for page in raw.split("\f") for ln in page.splitlines() if not is_furniture(ln)]
    return squash("".join(kept))


def own_text(page: BeautifulSoup, anchor: str) -> tuple[str, list[str]]:
    """(number and title, paragraphs and list items) the site shows for the entry at ``anchor``:
    its heading, then what follows up to the next heading or the next entry."""
    start = page.find(id=anchor)
    assert start is not None, anchor
    for link in start.select("a.headerlink"):
        link.decompose()
    if start.name == "div" and "term" not in (start.get("class") or []):  # an untitled clause
        first = start.find("p")
        title, blocks, following = first.get_text(), [first.get_text()], start.next_siblings
    else:
        head = start if HEADING.match(start.name) or start.name == "p" else start.find(HEADING)
        title, blocks, following = head.get_text(), [], head.next_siblings
    for sibling in following:
        if not isinstance(sibling, Tag):
            continue
        if HEADING.match(sibling.name) or sibling.get("id") or sibling.find(HEADING) or sibling.find(id=True):
            break
        if sibling.name == "table":  # a form's fields: the label column
            blocks += [tr.find_all("td")[1].get_text() for tr in sibling.find_all("tr") if tr.find_all("td")]
            continue
        blocks += [el.get_text() for el in sibling.find_all(["p", "li"]) if not el.find(["p", "li"])] \
            or [sibling.get_text()]
    return title, [b for b in blocks if b.strip()]


def session_text(page: BeautifulSoup, anchor: str) -> tuple[str, list[str]]:
    """A session's heading, objectives and outline."""
    heading = page.find(id=anchor)
    for link in heading.select("a.headerlink"):
        link.decompose()
    section = heading.parent
    items = [li.get_text() for box in section.select("div.labelled")[:2] for li in box.find_all("li")]
    return heading.get_text(), items


@pytest.fixture(scope="module")
def both(shipped):
    root, lib, _ = shipped
    return shipped_site(), root / pdf_build.OUT_DIR, lib


def test_the_site_and_the_pdf_say_the_same_things(both):
    site, pdfs, lib = both
    checked = 0
    disagreements = []
    for doc in lib.documents:
        page = BeautifulSoup((site / page_of(doc).replace(".md", ".html")).read_text(encoding="utf-8"), "html.parser")
        for link in page.select("a.headerlink"):
            link.decompose()
        # GB/T list marks (a), 1)) hang in the margin in print, so pdftotext places them apart from
        # the item's text; test_pdf_gbt checks them there
        for mark in page.select("ul.hb-items span.mark"):
            mark.decompose()
        headings = page.find("article").find_all("h2")
        furniture = {doc.title, getattr(getattr(doc, "cover", None), "code", "")}
        furniture |= {h.get_text(" ", strip=True) for h in headings}
        texts = {}
        # a curriculum: sessions as the trainer's guide prints them, forms as the workbook does
        for variant in ([Variant("trainer"), Variant("workbook")] if doc.kind == "curriculum" else [Variant()]):
            path = pdfs / pdf_name(doc, variant)
            headers = furniture | {f"{doc.title} {variant.subtitle()}"}
            texts[variant.kind] = (pdf_text(path, set()), pdf_text(path, headers))  # titles: whole; paragraphs: body
        for entry in lib.entries_of(doc):
            if entry.kind not in KINDS or entry.item is doc:
                continue
            whole, body = texts["workbook" if doc.kind == "curriculum" and entry.kind == "form"
                                else "trainer" if doc.kind == "curriculum" else "handbook"]
            title, blocks = session_text(page, entry.id) if entry.kind == "session" else own_text(page, entry.id)
            assert squash(title).startswith(squash(entry.number)), (entry.key, title)
            for text, printed in [(title, whole), *((b, body) for b in blocks)]:
                if squash(text) not in printed:
                    disagreements.append(f"{entry.key}: the site shows {text.strip()[:60]!r}; the PDF does not")
            checked += 1
    assert checked > 100
    assert not disagreements, "\n".join(disagreements[:30]) + f"\n({len(disagreements)} in all)"
