"""A standard as a Word file a drafting group can edit: cover, 目次 (a TOC field), 前言, numbered
headings in heading styles, terms, lists, notes, tables, figures, annexes each on a new page, 参考文献.

Numbers, titles and the fixed GB/T sentences come from the model and the render layer
(``numbering`` set them on the model; ``render.gbt`` words the 前言 and the first chapters), so the
Word file says what the site and the PDF say.
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from docx import Document as new_document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Mm, Pt

from .. import figures as figure_files
from ..library import Library
from ..models import Annex, Clause, Figure, Form, ListItem, Standard, Table
from ..render import gbt
from ..review.status import PATENT_CALL_STATUSES, cover_dates
from ..text import editor_html, ref_resolver
from . import richtext
from .styles import (
    HEI,
    NOTE_SIZE,
    bottom_rule,
    cant_split,
    field,
    new_section,
    repeat_header,
    row_height,
    run_fonts,
    setup,
    update_fields_on_open,
    watermark,
)

FIELD_SPACE = {"text": 8, "date": 8, "number": 8, "sign": 12, "check": 8}  # mm of room per form field


class StandardWriter:
    def __init__(self, doc: Standard, lib: Library, yaml_path: Path | None = None):
        self.doc, self.lib, self.yaml_path = doc, lib, yaml_path
        self.word = new_document()
        setup(self.word)
        self.resolve = ref_resolver(lib, doc, lambda entry: None)  # Word has no links into the site
        self.headings: list[tuple[int, str]] = []  # (level, text) for the 目次's shown result

    # ------------------------------------------------------------ text

    def html(self, markdown: str):
        return editor_html(markdown, self.resolve) if markdown and markdown.strip() else ""

    def text(self, markdown: str, style: str = "Normal", lead: str = "", container=None) -> None:
        richtext.write(container or self.word, self.html(markdown), style, lead=lead)

    def para(self, text: str, style: str = "Normal", align=None, container=None):
        p = (container or self.word).add_paragraph(text, style=style)
        if align is not None:
            p.alignment = align
        return p

    def heading(self, level: int, number: str, title: str, style: str | None = None):
        text = "\u3000".join(x for x in (number, title) if x)
        p = self.word.add_paragraph(text, style=style or f"Heading {min(level, 6)}")
        self.headings.append((level, text))
        return p

    # ------------------------------------------------------------ parts

    def build(self):
        self.cover()
        front = new_section(self.word, "upperRoman", 1)
        self.furniture(front)
        contents_at = self.contents_title()
        self.foreword()
        if self.doc.introduction.strip():
            self.page_break()
            self.heading(1, "", "引言", "标准前言标题")
            self.text(self.doc.introduction)
        body = new_section(self.word, "decimal", 1)
        self.furniture(body, linked=True)
        self.para(self.doc.title, "文件名称")
        self.scope_refs_terms()
        for chapter in self.doc.chapters:
            self.clause(chapter, 1)
        for annex in self.doc.annexes:
            self.annex(annex)
        if self.doc.bibliography:
            self.page_break()
            self.heading(1, "", "参考文献", "标准前言标题")
            for i, entry in enumerate(self.doc.bibliography, 1):
                p = self.para(f"[{i}]\u3000{entry}")
                p.paragraph_format.left_indent, p.paragraph_format.first_line_indent = Pt(28), Pt(-28)
        self.fill_contents(contents_at)
        update_fields_on_open(self.word)
        props = self.word.core_properties
        props.title, props.author = self.doc.title, self.doc.cover.publisher
        props.subject = self.doc.cover.code + (f"（{self.doc.cover.status}）" if self.doc.cover.is_draft else "")
        return self.word

    def page_break(self) -> None:
        self.word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def furniture(self, section, linked: bool = False) -> None:
        """Running header (the code, and a draft's round) and the page number in the footer."""
        c = self.doc.cover
        if linked:
            return
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
        header = section.header.paragraphs[0]
        header.text = c.code + (f"（{c.status}）" if c.is_draft else "")
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        bottom_rule(header, 4)
        if c.is_draft:
            watermark(section, c.status)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        field(footer, "PAGE", "1")

    def cover(self) -> None:
        c, doc = self.doc.cover, self.doc
        first = self.word.sections[0]
        first.different_first_page_header_footer = True
        if c.is_draft:  # the cover is watermarked too: its first-page header carries the mark
            watermark(_FirstPage(first), c.status)
        top = self.para(f"ICS {c.ics}\nCCS {c.ccs}", "封面")
        top.add_run("\t")
        mark_run = top.add_run(c.mark)
        mark_run.bold, mark_run.font.size = True, Pt(26)
        top.paragraph_format.tab_stops.add_tab_stop(Mm(165), alignment=2)  # right
        if c.filing_no:
            self.para(f"备案号：{c.filing_no}", "封面")
        level = self.para(c.level, "封面", WD_ALIGN_PARAGRAPH.CENTER)
        level.paragraph_format.space_before = Pt(48)
        level.runs[0].font.size, level.runs[0].bold = Pt(22), True
        code = self.para(c.code, "封面", WD_ALIGN_PARAGRAPH.RIGHT)
        code.paragraph_format.space_before = Pt(18)
        code.runs[0].font.size = Pt(14)
        if c.supersedes:
            self.para(f"代替 {c.supersedes}", "封面", WD_ALIGN_PARAGRAPH.RIGHT)
        bottom_rule(code if not c.supersedes else self.word.paragraphs[-1])
        title = self.para(c.title, "封面", WD_ALIGN_PARAGRAPH.CENTER)
        title.paragraph_format.space_before = Pt(110)
        title.runs[0].font.size, title.runs[0].bold = Pt(24 if len(c.title) <= 15 else 18), True
        if c.title_en:
            en = self.para(c.title_en, "封面", WD_ALIGN_PARAGRAPH.CENTER)
            en.paragraph_format.space_before = Pt(12)
            en.runs[0].font.size = Pt(13)
        space = 96
        if c.is_draft:
            status = self.para(f"（{c.status}）", "封面", WD_ALIGN_PARAGRAPH.CENTER)
            status.paragraph_format.space_before = Pt(18)
            status.runs[0].font.size = Pt(14)
            if c.status in PATENT_CALL_STATUSES:
                call = self.para(gbt.PATENT_CALL, "封面", WD_ALIGN_PARAGRAPH.CENTER)
                call.paragraph_format.space_before = Pt(8)
                call.runs[0].font.size = NOTE_SIZE
            done = self.para(f"（本稿完成日期：{c.draft_date}）", "封面", WD_ALIGN_PARAGRAPH.CENTER)
            done.paragraph_format.space_before = Pt(6)
            done.runs[0].font.size = Pt(12)
            space = 40
        if doc.sample:
            sample = self.para("示\u3000例", "封面", WD_ALIGN_PARAGRAPH.CENTER)
            sample.paragraph_format.space_before = Pt(24)
            sample.runs[0].font.size, sample.runs[0].bold = Pt(20), True
            space -= 30
        issued, effective = cover_dates(c)
        dates = self.para(f"{issued}发布\t{effective}实施", "封面")
        dates.paragraph_format.space_before = Pt(max(space, 12) + 60)
        dates.paragraph_format.tab_stops.add_tab_stop(Mm(165), alignment=2)
        for run in dates.runs:
            run.bold, run.font.size = True, Pt(13)
        bottom_rule(dates)
        publisher = self.para(f"{c.publisher}\u3000\u3000发布", "封面", WD_ALIGN_PARAGRAPH.CENTER)
        publisher.paragraph_format.space_before = Pt(10)
        publisher.runs[0].font.size, publisher.runs[0].bold = Pt(16), True

    def contents_title(self):
        self.para("目\u3000\u3000次", "文件名称")
        return self.word.add_paragraph(style="目次条目")

    def fill_contents(self, at) -> None:
        """The 目次 as a Word TOC field over heading levels 1–2 (and the centred titles); its shown
        result lists the headings until Word or LibreOffice updates it with page numbers."""
        shown = [text for level, text in self.headings if level <= 2]
        field(at, 'TOC \\o "1-2" \\h \\z \\u', shown[0] if shown else "")
        previous = at
        for text in shown[1:]:
            p = previous._p
            new = self.word.add_paragraph(text, style="目次条目")
            p.addnext(new._p)
            previous = new
        # the field's end must close after the last shown line: move the closing run there
        end = at.runs[-1]._r
        previous._p.append(end)
        self.page_break_after(previous)

    def page_break_after(self, paragraph) -> None:
        paragraph.paragraph_format.page_break_before = False
        paragraph.add_run().add_break(WD_BREAK.PAGE)

    def foreword(self) -> None:
        doc, fw = self.doc, self.doc.foreword
        self.heading(1, "", "前言", "标准前言标题")
        self.para(gbt.GBT_DRAFTING)
        if doc.cover.supersedes:
            self.para(gbt.supersedes_line(doc))
        self.text(fw.text)
        self.para(gbt.PATENT_NOTICE)
        self.para(f"本文件由{fw.proposer}提出。")
        self.para(f"本文件由{fw.administrator}归口。")
        self.para(f"本文件起草单位：{'、'.join(fw.drafting_units)}。")
        self.para(f"本文件主要起草人：{'、'.join(fw.drafters)}。")
        lead, editions, closing = gbt.releases(doc)
        self.para(lead)
        for e in editions:
            changes = "；".join(self._inline(ch) for ch in e.changes)
            self.para(f"——{e.year}年{e.edition}" + (f"：{changes}" if changes else "") + "；", "列项")
        if closing:
            self.para(f"——{closing}", "列项")

    def _inline(self, markdown: str) -> str:
        return "".join(r.text for b in richtext.blocks(self.html(markdown)) for r in b.runs)

    def scope_refs_terms(self) -> None:
        doc = self.doc
        self.heading(1, "1", "范围")
        self.text(doc.scope)
        self.heading(1, "2", "规范性引用文件")
        self.para(gbt.refs_statement(doc))
        for r in doc.normative_references.documents:
            self.para(f"{r.code}\u3000{r.title}")
        self.heading(1, "3", "术语和定义")
        self.para(gbt.terms_statement(doc))
        for term in doc.terms.entries:
            self.para(term.number, "术语条目")
            name = self.para(term.term, "术语条目")
            name.paragraph_format.space_before = Pt(0)
            if term.en:
                en = name.add_run("\u3000" + term.en)
                en.bold = True
            self.text(term.definition)
            self.examples(term.examples)
            self.notes(term.notes)
            if term.source:
                self.para(gbt.source_line(term.source))

    def clause(self, node: Clause, depth: int) -> None:
        titled = bool(node.title)
        if titled or depth == 1:
            self.heading(depth, node.number, node.title)
            self.text(node.text)
        else:  # an untitled clause: its number opens its first paragraph
            self.text(node.text, lead=node.number)
        self.items(node)
        self.elements(node)
        for child in node.clauses:
            self.clause(child, depth + 1)

    def items(self, node: Clause) -> None:
        for i, item in enumerate(node.items):
            text = item.text if isinstance(item, ListItem) else item
            mark = "——" if node.item_style == "dash" else f"{chr(ord('a') + i)})"
            self._item(mark, text, 0)
            if isinstance(item, ListItem):
                for j, sub in enumerate(item.items, 1):
                    self._item(f"{j})", sub, 1)

    def _item(self, mark: str, markdown: str, depth: int) -> None:
        runs = [r for b in richtext.blocks(self.html(markdown)) for r in b.runs]
        p = self.word.add_paragraph(style="列项")
        p.paragraph_format.left_indent = Pt(21 * (depth + 1) + 7)
        p.paragraph_format.first_line_indent = Pt(-21)
        p.add_run(mark + ("" if mark == "——" else " "))
        richtext.add_runs(p, runs)

    def elements(self, node) -> None:
        for table in node.tables:
            self.table(table)
        for figure in node.figures:
            self.figure(figure)
        self.examples(getattr(node, "examples", []))
        self.notes(getattr(node, "notes", []))

    def notes(self, notes: list[str]) -> None:
        for i, note in enumerate(notes, 1):
            richtext.write(self.word, self.html(note), "注", label="注：" if len(notes) == 1 else f"注{i}：")

    def examples(self, examples: list[str]) -> None:
        for i, example in enumerate(examples, 1):
            richtext.write(self.word, self.html(example), "注", label="示例：" if len(examples) == 1 else f"示例{i}：")

    def table(self, table: Table) -> None:
        self.para(f"{table.number}\u3000{table.title}", "表题").paragraph_format.keep_with_next = True
        width = max(len(r) for r in [*table.header, *table.rows])
        grid = self.word.add_table(rows=0, cols=width)
        grid.style = "Table Grid"
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        for header in table.header:
            row = grid.add_row()
            repeat_header(row)
            for cell, text in zip(row.cells, header):
                cell.text = ""
                p = cell.paragraphs[0]
                p.style, p.alignment = "表格文字", WD_ALIGN_PARAGRAPH.CENTER
                run = p.add_run(text)
                run.bold = True
                run_fonts(run, HEI)
        for cells in table.rows:
            row = grid.add_row()
            cant_split(row)
            for cell, text in zip(row.cells, cells):
                self.cell_text(cell, text)
        self.notes(table.notes)

    def cell_text(self, cell, markdown: str) -> None:
        found = richtext.blocks(self.html(markdown))
        first = cell.paragraphs[0]
        first.style = "表格文字"
        for i, block in enumerate(found):
            p = first if i == 0 else cell.add_paragraph(style="表格文字")
            if block.prefix:
                p.add_run(block.prefix + ("" if block.prefix == "——" else " "))
            richtext.add_runs(p, block.runs)

    def figure(self, figure: Figure) -> None:
        png = self.figure_png(figure)
        p = self.word.add_paragraph(style="图题")
        if png is not None:
            p.add_run().add_picture(io.BytesIO(png), width=fit_width(png))
            p.paragraph_format.keep_with_next = True
            p = self.word.add_paragraph(style="图题")
        else:
            p.add_run(f"（{figure_files.alt_text(figure)}：SVG 图见 PDF 版和网页版）")
            p = self.word.add_paragraph(style="图题")
        p.add_run(f"{figure.number}\u3000{figure.title}")
        self.notes(figure.notes)

    def figure_png(self, figure: Figure) -> bytes | None:
        if figure.flow is not None:
            try:
                return subprocess.run(["dot", "-Tpng", "-Gdpi=200"], input=figure_files.flow_dot(figure.flow).encode(),
                                      capture_output=True, check=True).stdout
            except (OSError, subprocess.CalledProcessError):
                return None
        path = figure_files.figure_path(figure, self.yaml_path)
        if path is None or figure_files.file_problem(figure, self.yaml_path) or path.suffix.lower() != ".png":
            return None
        return path.read_bytes()

    def annex(self, annex: Annex) -> None:
        self.page_break()
        # three centred lines in one heading (GB/T 1.1—2020 9.6): the 目次 lists them as one entry
        letter = annex.number.removeprefix("附录")
        p = self.word.add_paragraph(style="附录标识")
        for i, line in enumerate((f"附\u3000录\u3000{letter}", f"（{annex.nature}）", annex.title)):
            if i:
                p.add_run().add_break()
            p.add_run(line)
        self.headings.append((1, f"{annex.number}（{annex.nature}）{annex.title}"))
        self.text(annex.text)
        self.elements(annex)
        for form in annex.forms:
            self.form(form)
        for child in annex.clauses:
            self.clause(child, 2)

    def form(self, form: Form) -> None:
        self.para(f"{form.number}\u3000{form.title}", "表题").paragraph_format.keep_with_next = True
        if form.purpose.strip():
            self.text(form.purpose, "注")
        grid = self.word.add_table(rows=0, cols=2)
        grid.style = "Table Grid"
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        for f in form.fields:
            row = grid.add_row()
            cant_split(row)
            label, blank = row.cells
            label.width, blank.width = Mm(45), Mm(120)
            label.paragraphs[0].style = "表格文字"
            label.paragraphs[0].add_run(f.label).bold = True
            blank.paragraphs[0].style = "表格文字"
            if f.type == "check" and f.options:
                blank.paragraphs[0].add_run("\u3000".join(f"□{o}" for o in f.options))
            elif f.hint:
                blank.paragraphs[0].add_run(f.hint).font.size = Pt(8)
            row_height(row, 8 * f.lines if f.type == "lines" else FIELD_SPACE.get(f.type, 8))
        if form.note.strip():
            self.text(form.note, "注")


MAX_FIGURE = (150, 160)  # mm: the text width, and a height that leaves room for the caption on the page


def fit_width(png: bytes):
    """The width that fits a picture within the text block (a tall flow is scaled down by its height)."""
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    if not width or not height:
        return Mm(MAX_FIGURE[0])
    natural = width / 200 * 25.4  # drawn at 200 dpi
    return Mm(min(natural, MAX_FIGURE[0], MAX_FIGURE[1] * width / height))


class _FirstPage:
    """The first-page header of a section, shaped like a section for ``watermark``."""

    def __init__(self, section):
        self.header = section.first_page_header


def standard_docx(doc: Standard, lib: Library, yaml_path: Path | None = None):
    """The python-docx Document of ``doc``."""
    return StandardWriter(doc, lib, yaml_path).build()


def write_standard(doc: Standard, lib: Library, out: Path) -> Path:
    """Write ``out`` whole or not at all (a temporary file renamed over it)."""
    source = lib.sources.get(doc.id)
    word = standard_docx(doc, lib, source.path if source else None)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    word.save(str(tmp))
    tmp.replace(out)
    return out
