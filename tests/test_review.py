"""Review rounds of a standard: the draft's cover, watermark and site banner; the status rules."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

from pypdf import PdfReader

from handbook.site.overview import render_home
from handbook.site.links import Links
from handbook.site.pages import render_page

GUIDE = "jd-service-guide"


def page_texts(pdf: Path) -> list[str]:
    """Each page's text with the spaces pdftotext puts between spaced-out characters removed."""
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [re.sub(r"\s+", "", page) for page in out.split("\f")[:-1]]


def test_a_draft_cover_names_the_round_and_its_completion_date_and_leaves_the_dates_open(draft):
    root, lib = draft
    cover = page_texts(root / "build" / "pdf" / f"{GUIDE}.pdf")[0]
    assert "（征求意见稿）" in cover
    assert "（本稿完成日期：2026-03-16）" in cover
    assert "××××-××-××发布" in cover and "××××-××-××实施" in cover
    assert "2026-05-20发布" not in cover  # the planned dates of the file are not printed on a draft
    assert "在提交反馈意见时，请将您知道的相关专利连同支持性文件一并附上。" in cover


def rotated_text(pdf: Path) -> list[str]:
    """Per page, the text drawn at a slant (the watermark); upright text is left out."""
    found = []
    for page in PdfReader(pdf).pages:
        parts: list[str] = []

        def visit(text, cm, tm, font, size, parts=parts):
            a, b = cm[0] * tm[0] + cm[2] * tm[1], cm[1] * tm[0] + cm[3] * tm[1]
            if text.strip() and abs(b) > 0.3 * abs(a):
                parts.append(text)

        page.extract_text(visitor_text=visit)
        found.append(re.sub(r"\s+", "", "".join(parts)))
    return found


def test_every_page_of_a_draft_carries_a_diagonal_watermark_and_a_release_none(draft, shipped):
    marks = rotated_text(draft[0] / "build" / "pdf" / f"{GUIDE}.pdf")
    assert len(marks) > 20 and set(marks) == {"征求意见稿"}
    assert set(rotated_text(shipped[0] / "build" / "pdf" / f"{GUIDE}.pdf")) == {""}
    released = page_texts(shipped[0] / "build" / "pdf" / f"{GUIDE}.pdf")[0]
    assert "2026-05-20发布" in released and "2026-06-26实施" in released
    assert "本稿完成日期" not in released and "征求意见稿" not in released


def test_the_site_page_of_a_draft_has_the_banner_and_no_release_dates(draft):
    _, lib = draft
    doc = lib.document(GUIDE)
    page = html.unescape(str(render_page(doc, lib, Links(lib), flow=lambda *a: "")))
    assert "本文件为征求意见稿（本稿完成日期：2026-03-16），尚未发布，不作为执行依据" in page
    assert "实施日期" not in page and "发布日期" not in page
    home = html.unescape(render_home(lib, Links(lib)))
    assert "征求意见中的草案" in home and "征求意见稿（本稿完成日期：2026-03-16）" in home


def test_the_released_site_page_has_neither(shipped):
    _, lib, _ = shipped
    doc = lib.document(GUIDE)
    page = html.unescape(str(render_page(doc, lib, Links(lib), flow=lambda *a: "")))
    assert "尚未发布" not in page and "本稿完成日期" not in page
    assert "实施日期" in page and "2026-06-26" in page and "现行" in page
    assert "征求意见中的草案" not in render_home(lib, Links(lib))
