"""The review papers in PDF (WeasyPrint, templates pdf/templates/review_*.html) and Word
(``handbook.docx.review``): a draft's comment form (意见反馈表) and the 意见汇总处理表."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from ..library import Library
from ..models import Standard
from ..render.env import environment
from .clauses import NOT_ON_FORM, Provision, provisions
from .summary import Summary

CSS = Path(__file__).with_name("review.css")
FORM_HINT = ("请在“修改意见”栏写明建议的修改内容，在“理由”栏说明依据；对全文的意见写在第 1 行。"
             "行数不够时可另附页，并注明章条编号。")


def form_rows(doc: Standard, lib: Library) -> list[Provision]:
    return [p for p in provisions(doc, lib) if p.number not in NOT_ON_FORM]


def form_closing(doc: Standard) -> str:
    return f"请于反馈意见时将本表连同《{doc.title}》{doc.cover.status}的修改稿（如有）一并返回起草工作组。"


def _pdf(html: str, out: Path, root: Path) -> Path:
    from ..pdf.write import write_pdf

    tmp = out.with_name(f".{out.name}.tmp")
    write_pdf(html, tmp, base_url=str(root.resolve()) + "/")
    tmp.replace(out)
    return out


def form_html(doc: Standard, lib: Library) -> str:
    return environment().get_template("pdf/review_form.html").render(
        doc=doc, rows=form_rows(doc, lib), hint=FORM_HINT, closing=form_closing(doc),
        css=Markup(CSS.read_text(encoding="utf-8")))


def table_html(summary: Summary) -> str:
    return environment().get_template("pdf/review_table.html").render(
        s=summary, css=Markup(CSS.read_text(encoding="utf-8")))


def write_feedback_form(doc: Standard, lib: Library, out: Path, word_name: str, pdf_name: str,
                        excel_name: str) -> list[Path]:
    """The comment form of draft ``doc`` as ``out/word_name`` (Word), ``out/pdf_name`` (PDF) and
    ``out/excel_name`` (the workbook the drafting group collects comments in, read back by check)."""
    from ..docx.review import feedback_form_docx, save
    from .workbook import write_form_workbook

    rows = form_rows(doc, lib)
    word = save(feedback_form_docx(doc, rows, FORM_HINT, form_closing(doc)), out / word_name)
    return [word, _pdf(form_html(doc, lib), out / pdf_name, out.parent.parent),
            write_form_workbook(doc.title, doc.cover.status, rows, out / excel_name)]


def write_comment_table(summary: Summary, out: Path, stem: str, root: Path) -> list[Path]:
    """The 意见汇总处理表 as ``out/<stem>.pdf`` and ``out/<stem>.docx``."""
    from ..docx.review import comment_table_docx, save

    out.mkdir(parents=True, exist_ok=True)
    return [_pdf(table_html(summary), out / f"{stem}.pdf", root), save(comment_table_docx(summary), out / f"{stem}.docx")]
