"""Standards printed as Chinese standards are (GB/T 1.1—2020 elements and layout), read back
from the PDFs: page numbers, running headers, 目次 with 图 and 表, 表N（续）, 终结线, cover mark.

Two builds, each made once per session: the shipped library (the ``shipped`` fixture in
conftest) and tests/fixtures/gbt_lib, a small standard whose 70-row table must break over pages.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from handbook.pdf import build as pdf_build
from handbook.pdf.render import render_print
from handbook.rules import check_library

from .conftest import copy_library
from .test_pdf import outline, pdftotext, squash

GBT_LIB = Path(__file__).parent / "fixtures" / "gbt_lib"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


@pytest.fixture(scope="session")
def fixture_pdf(tmp_path_factory):
    root = copy_library(GBT_LIB, tmp_path_factory.mktemp("gbt"))
    lib = check_library(root)
    assert lib.errors == []
    result = pdf_build.build(lib, root, log=lambda message: None)
    assert result["failed"] == {}
    return lib.document("gbt-fixture"), root / pdf_build.OUT_DIR / "gbt-fixture.pdf", lib


@pytest.fixture(scope="session")
def shipped_pdf(shipped):
    root, lib, _ = shipped
    return lib.document("jd-service-guide"), root / pdf_build.OUT_DIR / "jd-service-guide.pdf", lib


@pytest.fixture(params=["fixture", "shipped"])
def standard(request):
    return request.getfixturevalue(f"{request.param}_pdf")


# ------------------------------------------------------------------ reading a page's furniture

def words(path: Path) -> list[list[tuple[float, float, float, str]]]:
    """Per page, every word as (x_min, y_min, x_max, text) in points from the top left."""
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in BeautifulSoup(html, "html.parser").find_all("page"):
        pages.append([(float(w["xmin"]), float(w["ymin"]), float(w["xmax"]), w.get_text()) for w in page.find_all("word")])
    return pages


PAGE_W, PAGE_H = 595.28, 841.89


def header(page_words) -> list[tuple[float, float, float, str]]:
    return [w for w in page_words if w[1] < 60 and w[1] + 13 < 25 * 2.835]  # in the 25 mm top margin


def footer(page_words) -> list[tuple[float, float, float, str]]:
    return [w for w in page_words if w[1] > PAGE_H - 22 * 2.835]


def blank(page_words) -> bool:
    return not page_words


# ------------------------------------------------------------------ page numbers

def test_cover_and_blank_pages_carry_no_number_front_matter_is_roman_and_the_body_starts_at_1(standard):
    doc, path, _ = standard
    pages = words(path)
    marks = {squash(t): p for _, t, p in outline(path)}
    toc, body = marks["目次"], marks["1范围"]
    assert footer(pages[0]) == [] and header(pages[0]) == []  # the cover
    assert toc == 3 and blank(pages[1])  # the cover's back is left blank; the 目次 opens on a recto
    assert body % 2 == 1  # the body opens on a recto
    expected_front = ROMAN[: body - toc]
    printed = ["".join(w[3] for w in footer(p)) for p in pages]
    front = [n for n in printed[toc - 1:body - 1] if n]
    assert front == expected_front[: len(front)] and front[0] == "I"
    for i in range(toc - 1, body - 1):  # a front page is numbered by its place from the 目次, or blank
        assert printed[i] in ("", ROMAN[i - toc + 1])
        assert printed[i] or blank(pages[i])
    for i in range(body - 1, len(pages)):
        assert printed[i] == str(i - body + 2) or (printed[i] == "" and blank(pages[i])), (path.name, i + 1)


def test_page_numbers_and_the_code_sit_on_the_outer_side(standard):
    doc, path, _ = standard
    for i, page in enumerate(words(path)[2:], 3):
        if blank(page):
            continue
        recto = i % 2 == 1
        number = footer(page)
        assert number, (path.name, i)
        assert (number[0][0] > PAGE_W / 2) == recto, (path.name, i)
        code = [w for w in header(page) if w[3].startswith(doc.cover.code.split()[0])]
        assert code, (path.name, i)
        assert (code[0][0] > PAGE_W / 2) == recto, (path.name, i)


# ------------------------------------------------------------------ running header

def chapter_starts(path: Path) -> list[tuple[int, float, str]]:
    """(page, top of the heading in points from the top, title) of every level-1 heading."""
    reader = PdfReader(path)
    found = []
    for item in reader.outline:
        if isinstance(item, list):
            continue
        page = reader.get_destination_page_number(item) + 1
        found.append((page, PAGE_H - float(item.top), item.title))
    return found


def test_the_running_header_names_the_chapter_each_page_opens_in(standard):
    doc, path, _ = standard
    pages = words(path)
    starts = chapter_starts(path)
    text_top = 25 * 2.835 + 20  # a heading this close to the top margin opens its page
    checked = 0
    for i, page in enumerate(pages, 1):
        if i == 1 or blank(page):
            continue
        opened = [t for p, top, t in starts if p < i or (p == i and top <= text_top)]
        if i == next(p for p, _, t in starts if squash(t) == "1范围"):
            opened.append("1 范围")  # under the title on the first body page
        expected = squash(opened[-1])
        got = squash("".join(w[3] for w in header(page) if w[3] not in doc.cover.code.split()))
        assert got == expected, (path.name, i, got, expected)
        checked += 1
    assert checked >= 8


def test_a_page_that_opens_inside_a_chapter_names_that_chapter_not_the_next_one(fixture_pdf):
    """Page 8 of the fixture opens in 4.2 and starts chapter 5 halfway down: its header reads 4."""
    doc, path, _ = fixture_pdf
    starts = chapter_starts(path)
    page = next(p for p, top, t in starts if squash(t) == "5服务记录")
    assert next(top for p, top, t in starts if squash(t) == "5服务记录") > 150  # well down the page
    text = "".join(w[3] for w in header(words(path)[page - 1]))
    assert "4服务流程" in text and "5服务记录" not in text


# ------------------------------------------------------------------ 目次

def toc_entries(path: Path, marks: dict[str, int]) -> list[tuple[str, str]]:
    pages = sorted(set(marks.values()))
    last = pages[pages.index(marks["目次"]) + 1] - 1
    return re.findall(r"^(\S.*?)\s*\.{4,}\s*(\d+|[IVXLC]+)$", pdftotext(path, marks["目次"], last), re.MULTILINE)


def test_the_contents_list_figures_and_tables_after_the_headings_with_their_printed_pages(standard):
    doc, path, lib = standard
    marks = {squash(t): p for _, t, p in outline(path)}
    entries = toc_entries(path, marks)
    printed = ["".join(w[3] for w in footer(p)) for p in words(path)]
    texts = [squash(p) for p in pdftotext(path).split("\f")]
    labels = [squash(label) for label, _ in entries]
    figures = [i for i, label in enumerate(labels) if label.startswith("图")]
    tables = [i for i, label in enumerate(labels) if label.startswith("表")]
    assert figures and tables and max(figures) < min(tables) == len(labels) - len(tables)
    listed = BeautifulSoup(render_print(doc, lib), "html.parser").select("ul.toc a")
    assert labels == [squash(a.get_text()) for a in listed]
    pages = sorted(set(marks.values()))
    last_toc = pages[pages.index(marks["目次"]) + 1] - 1
    for label, number in entries:
        if squash(label) in marks:
            page = marks[squash(label)]
        else:  # the first page after the 目次 that carries the caption
            page = next(i for i, t in enumerate(texts, 1) if i > last_toc and squash(label) in t)
        assert printed[page - 1] == number, (path.name, label)
    assert ("前言", "I") not in entries  # the 目次 itself is page I
    # the 前言 opens on the page after the 目次's last one, numbered on in Roman numerals
    toc_pages = last_toc - marks["目次"] + 1
    assert dict(entries)["前言"] == ["I", "II", "III", "IV", "V", "VI", "VII"][toc_pages]


# ------------------------------------------------------------------ 表N（续）

def test_a_table_that_breaks_repeats_its_header_under_a_continued_caption_on_every_page(fixture_pdf):
    doc, path, _ = fixture_pdf
    pages = [squash(p) for p in pdftotext(path).split("\f")[:-1]]
    holding = [i for i, p in enumerate(pages) if re.search(r"第\d+项示例内容", p)]
    assert len(holding) >= 3  # the 70-row table runs over at least three pages
    assert "表1服务记录项目" in pages[holding[0]] and "表1（续）" not in pages[holding[0]]
    for i in holding[1:]:
        assert pages[i].count("表1（续）") == 1, i + 1
        assert all(h in pages[i] for h in ("项目", "要求", "说明")), i + 1  # the header row again
        assert "表1服务记录项目" not in pages[i]
    rows = [int(n) for i in holding for n in re.findall(r"第(\d+)项示例内容", pages[i])]
    assert rows == list(range(1, 71))  # every row once, in order; none lost at a cut
    assert "注：本表为测试用长表" in pages[holding[-1]]
    # a table that fits on its page has no 续
    assert all("表A.1（续）" not in p for p in pages)


def test_a_form_that_breaks_gets_the_continued_caption_too(tmp_path):
    from handbook.pdf.continued import render

    rows = "".join(f'<tr data-row="{i}"><th>栏目 {i}</th><td style="height: 30mm"></td></tr>' for i in range(12))
    html = (f'<html><body><section class="form" data-table="f" data-continued="表A.2"><p class="form-caption">表A.2　登记表</p>'
            f'<table class="blank-form">{rows}</table></section></body></html>')
    document = render(html)
    document.write_pdf(tmp_path / "form.pdf")
    pages = [squash(p) for p in pdftotext(tmp_path / "form.pdf").split("\f")[:-1]]
    assert len(pages) >= 2
    assert "表A.2" in pages[0] and "登记表" in pages[0]
    assert all(p.count("表A.2（续）") == 1 for p in pages[1:]) and "（续）" not in pages[0]
    assert [int(n) for p in pages for n in re.findall(r"栏目(\d+)", p)] == list(range(12))



def test_a_continued_part_keeps_the_column_widths_of_the_table(tmp_path):
    """A table that sets its widths with <colgroup> (the roster's summary, forms) lays out its 续
    pages with the same columns: the second column starts where it started on the first page."""
    from handbook.pdf.continued import render

    rows = "".join(f'<tr data-row="{i}"><td>甲{i}</td><td style="height: 30mm">乙{i}</td></tr>' for i in range(12))
    html = ('<html><body><section data-table="t" data-continued="表3"><p class="table-caption">表3　宽度</p>'
            '<table style="width: 100%; table-layout: fixed"><colgroup><col style="width: 70%"><col style="width: 30%"></colgroup>'
            f'<thead><tr><th>一</th><th>二</th></tr></thead><tbody>{rows}</tbody></table></section></body></html>')
    render(html).write_pdf(tmp_path / "widths.pdf")
    pages = words(tmp_path / "widths.pdf")
    assert len(pages) >= 2
    starts = [min(x for x, _, _, text in page if text.startswith("乙")) for page in pages]
    assert max(starts) - min(starts) < 1, starts

# ------------------------------------------------------------------ cover and the end

def test_the_cover_carries_the_level_mark_from_the_code_prefix(standard):
    doc, path, _ = standard
    cover = words(path)[0]
    mark = [w for w in cover if w[3] == doc.cover.mark]
    assert mark and mark[0][0] > PAGE_W / 2 and mark[0][1] < 120  # large, top right
    assert doc.cover.mark == {"gbt-fixture": "DB99", "jd-service-guide": "示例"}[doc.id]


def test_the_last_element_is_followed_by_the_end_rule(standard):
    doc, path, lib = standard
    soup = BeautifulSoup(render_print(doc, lib), "html.parser")
    rules = soup.select(".end-rule")
    assert len(rules) == 1
    last_section = soup.select("section")[-1]
    assert rules[0].parent is last_section and rules[0] is last_section.find_all(recursive=False)[-1]
    # drawn on the last page, centred
    reader = PdfReader(path)
    last = reader.pages[-1].get_contents().get_data().decode("latin-1")
    assert " re" in last or " l" in last
