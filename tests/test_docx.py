"""The Word file of a standard, read back with python-docx and opened by LibreOffice: what a drafting
group gets from ``build.py docx``. Built once per session (conftest ``draft_word``)."""

from __future__ import annotations

import re
import subprocess

import docx
from docx.oxml.ns import qn

from handbook.docx.standard import standard_docx
from handbook.models import Clause
from handbook.numbering import tree
from handbook.rules import check_library

GUIDE = "jd-service-guide"


def word_of(draft_word):
    root, lib, _ = draft_word
    return docx.Document(str(root / "build" / "pdf" / f"{GUIDE}.docx")), lib.document(GUIDE)


def expected_headings(doc) -> list[tuple[str, str]]:
    """(style, text) of every heading, in order, from the model's numbers and titles."""
    found = [("标准前言标题", "前言")]
    if doc.introduction.strip():
        found.append(("标准前言标题", "引言"))
    found += [("Heading 1", "1\u3000范围"), ("Heading 1", "2\u3000规范性引用文件"), ("Heading 1", "3\u3000术语和定义")]

    def walk(node: Clause, depth: int):
        if node.title or depth == 1:
            found.append((f"Heading {min(depth, 6)}", "\u3000".join(x for x in (node.number, node.title) if x)))
        for child in node.clauses:
            walk(child, depth + 1)

    for chapter in doc.chapters:
        walk(chapter, 1)
    for annex in doc.annexes:
        found.append(("附录标识", f"附\u3000录\u3000{annex.number.removeprefix('附录')}\n（{annex.nature}）\n{annex.title}"))
        for child in annex.clauses:
            walk(child, 2)
    if doc.bibliography:
        found.append(("标准前言标题", "参考文献"))
    return found


HEADING_STYLES = {f"Heading {n}" for n in range(1, 7)} | {"标准前言标题", "附录标识"}


def test_headings_are_heading_styles_with_the_models_numbers_and_titles(draft_word):
    word, doc = word_of(draft_word)
    found = [(p.style.name, p.text) for p in word.paragraphs if p.style.name in HEADING_STYLES]
    assert found == expected_headings(doc)
    assert len(found) > 100


def test_untitled_clauses_open_with_their_number_in_bold(draft_word):
    word, doc = word_of(draft_word)
    untitled = [n for ch in doc.chapters for n in tree(ch) if isinstance(n, Clause) and not n.title and n not in doc.chapters]
    by_start = {p.runs[0].text.strip(): p for p in word.paragraphs if p.runs and p.style.name == "Normal"}
    for clause in untitled:
        assert clause.number in by_start and by_start[clause.number].runs[0].bold


def test_term_entries_number_term_english_and_definition(draft_word):
    word, doc = word_of(draft_word)
    paragraphs = word.paragraphs
    entries = [i for i, p in enumerate(paragraphs) if p.style.name == "术语条目" and re.fullmatch(r"3\.\d+", p.text)]
    assert len(entries) == len(doc.terms.entries)
    for i, term in zip(entries, doc.terms.entries):
        assert paragraphs[i].text == term.number
        assert paragraphs[i + 1].text == "\u3000".join(x for x in (term.term, term.en) if x)
        assert paragraphs[i + 2].text.strip()  # the definition follows
    assert "[来源：" in "\n".join(p.text for p in paragraphs)


def test_body_tables_carry_the_models_cells_and_repeat_their_header(draft_word):
    word, doc = word_of(draft_word)
    tables = [t for ch in doc.chapters for n in tree(ch) for t in n.tables]
    assert tables
    captions = [p.text for p in word.paragraphs if p.style.name == "表题"]
    for table in tables:
        assert f"{table.number}\u3000{table.title}" in captions
        grid = next(g for g in word.tables if [c.text for c in g.rows[0].cells] == table.header[0])
        assert len(grid.rows) == len(table.header) + len(table.rows)
        assert grid.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        plain = [[re.sub(r"\[\[[^]]+\]\]|\*\*", "", cell) for cell in row] for row in table.rows]
        assert [c.text for c in grid.rows[len(table.header)].cells][0] == plain[0][0]


def test_figures_are_pictures_under_their_caption(draft_word):
    word, doc = word_of(draft_word)
    figures = [f for ch in doc.chapters for n in tree(ch) for f in n.figures]
    assert len(word.inline_shapes) == len(figures) > 0
    for shape in word.inline_shapes:  # within the text block, with room for the caption below
        assert shape.width.mm <= 160 and shape.height.mm <= 165
    captions = [p.text for p in word.paragraphs if p.style.name == "图题"]
    assert [f"{f.number}\u3000{f.title}" for f in figures] == [c for c in captions if c.startswith("图")]


def test_lists_notes_and_annex_forms(draft_word):
    word, doc = word_of(draft_word)
    items = [p.text for p in word.paragraphs if p.style.name == "列项"]
    expected = []
    for node in (n for part in [*doc.chapters, *doc.annexes] for n in tree(part) if isinstance(n, Clause)):
        for i, item in enumerate(node.items):
            text = item if isinstance(item, str) else item.text
            mark = "——" if node.item_style == "dash" else f"{chr(ord('a') + i)}) "
            expected.append(mark + text.split("[[")[0].replace("**", "")[:6])
            for j, sub in enumerate([] if isinstance(item, str) else item.items, 1):
                expected.append(f"{j}) " + sub.split("[[")[0].replace("**", "")[:6])
    assert len(expected) > 20
    assert [e for e in expected if not any(t.startswith(e) for t in items)] == []
    notes = [p.text for p in word.paragraphs if p.style.name == "注"]
    assert any(t.startswith("注：") for t in notes) and any(re.match(r"注1：", t) for t in notes)
    forms = [f for a in doc.annexes for f in a.forms]
    captions = [p.text for p in word.paragraphs if p.style.name == "表题"]
    assert all(f"{f.number}\u3000{f.title}" in captions for f in forms)


def test_annexes_start_on_a_new_page_and_the_contents_is_a_toc_field(draft_word):
    word, doc = word_of(draft_word)
    paragraphs = word.paragraphs
    annex_at = [i for i, p in enumerate(paragraphs) if p.style.name == "附录标识"]
    assert len(annex_at) == len(doc.annexes)
    for i in annex_at:
        assert paragraphs[i - 1]._p.xpath(".//w:br[@w:type='page']")
    instructions = [t.text for t in word.element.body.iter(qn("w:instrText"))]
    assert any(i.strip().startswith("TOC \\o") for i in instructions)
    assert word.settings.element.find(qn("w:updateFields")) is not None  # Word fills in the page numbers


def test_fonts_per_style_and_a4_margins(draft_word):
    word, _ = word_of(draft_word)

    def east_asian(name):
        return word.styles[name].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))

    assert east_asian("Normal") == "宋体"
    assert {east_asian(f"Heading {n}") for n in range(1, 7)} == {"黑体"}
    section = word.sections[-1]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297  # stored in twips
    assert round(section.left_margin.mm) == 25
    fonts = next(r.target_part for r in word.part.rels.values() if r.reltype.endswith("/fontTable")).blob.decode()
    assert 'w:name="宋体"' in fonts and "Noto Serif CJK SC" in fonts


def test_the_draft_shows_its_round_on_the_cover_in_the_header_and_as_watermark(draft_word, root):
    word, _ = word_of(draft_word)
    text = "\n".join(p.text for p in word.paragraphs[:20])
    assert "（征求意见稿）" in text and "（本稿完成日期：2026-03-16）" in text and "××××-××-××发布" in text
    header = word.sections[1].header
    assert "（征求意见稿）" in header.paragraphs[0].text
    assert 'string="征求意见稿"' in header._element.xml  # the diagonal watermark shape
    lib = check_library(root)  # the shipped sample: a 发布稿
    released = standard_docx(lib.document(GUIDE), lib)
    text = "\n".join(p.text for p in released.paragraphs[:20])
    assert "征求意见稿" not in text and "2026-05-20发布" in text and "2026-06-26实施" in text
    assert "PowerPlusWaterMarkObject" not in released.sections[1].header._element.xml


def test_libreoffice_opens_the_docx_and_lays_it_out_as_a_standard(draft_word_pdf):
    info = subprocess.run(["pdfinfo", str(draft_word_pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 20 <= pages <= 60
    text = subprocess.run(["pdftotext", "-layout", str(draft_word_pdf), "-"], capture_output=True, text=True,
                          check=True).stdout.split("\f")
    flat = [re.sub(r"\s+", "", page) for page in text]
    assert "禁毒社会工作服务指南（示例）" in flat[0] and "（征求意见稿）" in flat[0]
    assert "目次" in flat[1] and "前言" in flat[1]
    annex_pages = [i for i, page in enumerate(flat) if re.search(r"附录[ABC]（(规范性|资料性)）", page)
                   and page.find("附录") < 40]
    assert len(annex_pages) >= 3  # each annex opens its own page
    fonts = subprocess.run(["pdffonts", str(draft_word_pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts
