"""The review papers as Word files: the comment form a reviewer fills in, and the 意见汇总处理表."""

from __future__ import annotations

from pathlib import Path

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from ..models import Standard
from ..render import labels
from .styles import HEI, field, repeat_header, row_height, run_fonts, setup, watermark

FORM_COLUMNS = ("序号", "章条编号", "条款标题", "修改意见", "理由")
FORM_WIDTHS = (10, 20, 38, 55, 45)  # mm, 168 in all
TABLE_COLUMNS = ("序号", "章条编号", "修改意见", "理由", "提出单位", "处理意见", "处理说明")
TABLE_WIDTHS = (10, 24, 62, 48, 36, 18, 68)  # mm, landscape


def _header_row(table, columns, widths) -> None:
    row = table.rows[0]
    repeat_header(row)
    for cell, text, width in zip(row.cells, columns, widths):
        cell.width = Mm(width)
        p = cell.paragraphs[0]
        p.style, p.alignment = "表格文字", WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold = True
        run_fonts(run, HEI)


def _cells(row, values, widths) -> None:
    for cell, value, width in zip(row.cells, values, widths):
        cell.width = Mm(width)
        p = cell.paragraphs[0]
        p.style = "表格文字"
        if value:
            p.add_run(value)


def _footer(document) -> None:
    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    field(footer, "PAGE", "1")
    footer.add_run(" 页")


def feedback_form_docx(doc: Standard, rows, hint: str, closing: str):
    word = new_document()
    setup(word)
    section = word.sections[0]
    section.left_margin = section.right_margin = Mm(20)
    if doc.cover.is_draft:
        watermark(section, doc.cover.status)
    _footer(word)
    word.add_paragraph(f"《{doc.title}》{doc.cover.status}意见反馈表", style="文件名称")
    if doc.sample:
        word.add_paragraph(labels.SAMPLE_TEXT, style="注").alignment = WD_ALIGN_PARAGRAPH.CENTER
    who = word.add_table(rows=2, cols=4)
    who.style, who.alignment = "Table Grid", WD_TABLE_ALIGNMENT.CENTER
    for r, pair in enumerate((("提出单位", "提出人"), ("联系方式", "日期"))):
        cells = who.rows[r].cells
        for i, label in enumerate(pair):
            cells[i * 2].paragraphs[0].add_run(label).bold = True
            cells[i * 2].width, cells[i * 2 + 1].width = Mm(22), Mm(62)
        row_height(who.rows[r], 9)
    word.add_paragraph(hint, style="注")
    table = word.add_table(rows=1, cols=len(FORM_COLUMNS))
    table.style, table.alignment = "Table Grid", WD_TABLE_ALIGNMENT.CENTER
    _header_row(table, FORM_COLUMNS, FORM_WIDTHS)
    for i, p in enumerate(rows, 1):
        row = table.add_row()
        _cells(row, (str(i), p.number, p.title, "", ""), FORM_WIDTHS)
        row_height(row, 13)  # room to write by hand when printed
    word.add_paragraph(closing, style="注")
    word.core_properties.title = f"{doc.title} 意见反馈表"
    return word


def comment_table_docx(summary):
    word = new_document()
    setup(word)
    section = word.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(14)
    section.top_margin = section.bottom_margin = Mm(15)
    _footer(word)
    word.add_paragraph(f"《{summary.title}》{summary.round}意见汇总处理表", style="文件名称")
    meta = word.add_paragraph(f"{summary.code}\u3000\u3000{summary.count_line()}", style="注")
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if summary.sample:
        word.add_paragraph(labels.SAMPLE_TEXT, style="注").alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = word.add_table(rows=1, cols=len(TABLE_COLUMNS))
    table.style, table.alignment = "Table Grid", WD_TABLE_ALIGNMENT.CENTER
    _header_row(table, TABLE_COLUMNS, TABLE_WIDTHS)
    for r in summary.rows:
        row = table.add_row()
        clause = r.provision.number + (f"\n{r.provision.title}" if r.provision.title else "")
        note = r.comment.explanation + (f"\n注意：{r.change_note}" if r.change else "")
        _cells(row, (str(r.number), "", r.comment.comment, r.comment.reason, r.source, r.decision, ""), TABLE_WIDTHS)
        for cell, text in ((row.cells[1], clause), (row.cells[6], note)):
            lines = text.split("\n")
            p = cell.paragraphs[0]
            p.add_run(lines[0])
            for line in lines[1:]:
                p.add_run().add_break()
                extra = p.add_run(line)
                extra.font.size = Pt(8)
    word.add_paragraph("说明：", style="注")
    for i, line in enumerate(summary.notes(), 1):
        word.add_paragraph(f"{i}. {line}", style="注")
    word.core_properties.title = f"{summary.title} 意见汇总处理表"
    return word


def save(word, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    word.save(str(tmp))
    tmp.replace(out)
    return out
