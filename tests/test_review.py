"""Review rounds of a standard: the draft's cover, watermark and site banner; the status rules."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from handbook.site.links import Links
from handbook.site.overview import render_home
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
    home = html.unescape(render_home(lib, Links(lib)).html)
    assert "征求意见中的草案" in home and "征求意见稿（本稿完成日期：2026-03-16）" in home


def test_the_released_site_page_has_neither(shipped):
    _, lib, _ = shipped
    doc = lib.document(GUIDE)
    page = html.unescape(str(render_page(doc, lib, Links(lib), flow=lambda *a: "")))
    assert "尚未发布" not in page and "本稿完成日期" not in page
    assert "实施日期" in page and "2026-06-26" in page and "现行" in page
    assert "征求意见中的草案" not in render_home(lib, Links(lib)).html


# ------------------------------------------------------------------ comments and the 意见汇总处理表

def run(*argv: str) -> tuple[int, str, str]:
    import contextlib
    import io

    from handbook.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def comment_table(draft):
    root, _ = draft
    code, out, err = run("--root", str(root), "comments", GUIDE)
    assert (code, err) == (0, "")
    return root, out


def test_the_sample_comments_make_the_table_ordered_by_clause_with_counts(comment_table):
    root, out = comment_table
    assert "共收到 3 个单位的意见 8 条：采纳 4 条，部分采纳 2 条，不采纳 1 条，未处理 1 条。" in out
    pdf = root / "build" / "comments" / f"{GUIDE}-comments.pdf"
    text = "".join(page_texts(pdf))
    assert "《禁毒社会工作服务指南（示例）》征求意见稿意见汇总处理表" in text
    order = [text.index(n) for n in ("1全文", "23.11", "35.5.2", "46.4.2", "57.3.2", "68.4", "79.3", "8C.3")]
    assert order == sorted(order)  # row numbers run with the clauses (pdftotext reads the rows' first lines in order)
    assert "发送《征求意见稿》的单位数：12个。" in text and "没有回函的单位数：9个。" in text
    word = docx.Document(str(root / "build" / "comments" / f"{GUIDE}-comments.docx"))
    table = word.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "章条编号", "修改意见", "理由", "提出单位", "处理意见", "处理说明"]
    assert [r.cells[5].text for r in table.rows[1:]] == ["采纳", "不采纳", "采纳", "部分采纳", "采纳", "采纳", "部分采纳", "未处理"]
    assert table.rows[2].cells[4].text == "示例市某区社区戒毒社区康复工作办公室（李某）"


def write_workbook(path: Path, rows: list[list[str]], sheet: str = "朱某") -> None:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in [["意见反馈表"], ["提出单位", "示例市禁毒委员会办公室"], ["提出人", "朱某"], ["日期", "2026-04-08"],
                ["序号", "章条编号", "条款标题", "修改意见", "理由", "处理意见", "处理说明"], *rows]:
        ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def test_an_excel_comment_form_is_checked_at_its_sheet_row_and_column(tmp_path):
    from tests.conftest import write_base_library

    root = write_base_library(tmp_path)
    write_workbook(root / "comments" / "base-std.xlsx", [
        ["1", "4.1", "以人为本", "建议写明尊重服务对象的具体要求。", "", "采纳", ""],
        ["2", "4.9", "", "建议增加预防为主原则。", "", "采纳", ""],
        ["3", "附录A", "", "建议增加联系方式一栏。", "", "同意", ""],
        ["4", "5", "", "建议写明跟进回访。", "", "不采纳", ""],
        ["5", "4.2", "", "", "", "", ""],  # an unused row of the form
    ])
    code, out, _ = run("--root", str(root), "check")
    assert code == 1
    assert out.splitlines() == [
        "comments/base-std.xlsx:7:2: E904 工作表“朱某”第 7 行：《测试用服务指南》中没有章条“4.9”：请写印出的章条编号"
        "（如 5.2、3.1、附录A、A.1）、条款 ID，或“全文”“前言”",
        "comments/base-std.xlsx:8:6: E905 工作表“朱某”第 8 行：处理意见“同意”无效，应为采纳、部分采纳、不采纳之一（尚未处理时留空）",
        "comments/base-std.xlsx:9:6: E906 工作表“朱某”第 9 行：处理意见为“不采纳”，请在 explanation（处理说明）中写明理由",
    ]


def test_a_clean_excel_form_makes_the_table(tmp_path):
    from tests.conftest import write_base_library

    root = write_base_library(tmp_path)
    write_workbook(root / "comments" / "base-std.xlsx", [
        ["1", "5", "服务流程", "建议写明跟进回访。", "结案后缺少跟进。", "部分采纳", "在结案条款中提示跟进。"],
        ["2", "4.1", "以人为本", "建议写明尊重服务对象的具体要求。", "", "采纳", ""],
    ])
    code, out, err = run("--root", str(root), "comments", "base-std")
    assert (code, err) == (0, "")
    assert "共收到 1 个单位的意见 2 条：采纳 1 条，部分采纳 1 条，不采纳 0 条。" in out
    assert out.index("4.1 以人为本") < out.index("5 服务流程")  # by clause, not as entered


def test_comments_on_an_earlier_draft_warn_where_the_next_edition_changed_or_removed_the_clause(tmp_path):
    from tests.conftest import write_base_library

    root = write_base_library(tmp_path)
    git = ["git", "-C", str(root), "-c", "user.name=示例", "-c", "user.email=draft@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "征求意见稿"], check=True)
    subprocess.run([*git, "tag", "zqyj"], check=True)
    guide = root / "standards" / "base-std.yaml"
    text = guide.read_text(encoding="utf-8")
    text = text.replace("        text: 服务应尊重服务对象。", "        text: 服务应尊重服务对象的意愿和隐私。")
    text = text.replace("      - id: confidentiality\n        title: 保密\n", "      - id: records\n        title: 记录\n")
    text = text.replace("    text: 服务按接案、预估、计划、介入、评估、结案进行。", "    text: 服务按接案、预估、计划、介入、评估、结案进行，记录按 [[annex-forms]] 保存。")
    guide.write_text(text, encoding="utf-8")
    (root / "comments").mkdir()
    (root / "comments" / "base-std.yaml").write_text(
        "standard: base-std\nrevision: zqyj\nsubmissions:\n  - unit: 示例社工服务中心\n    reviewer: 李某\n    comments:\n"
        "      - clause: \"4.1\"\n        comment: 建议写明尊重的具体内容。\n        decision: 采纳\n"
        "      - clause: \"4.2\"\n        comment: 建议保密条款写明例外情形。\n        decision: 采纳\n"
        "      - clause: \"5\"\n        comment: 建议写明跟进回访。\n", encoding="utf-8")
    assert run("--root", str(root), "check")[0] == 0  # 4.2 exists in the draft commented on, not in the next
    code, out, err = run("--root", str(root), "comments", "base-std")
    assert code == 0
    assert err.splitlines() == [
        "comments/base-std.yaml:7:17: W909 意见 1（4.1 以人为本，示例社工服务中心（李某））所指的条款：下一稿中该条已文字修改，"
        "请复核处理意见是否仍然适用",
        "comments/base-std.yaml:10:17: W909 意见 2（4.2 保密，示例社工服务中心（李某））所指的条款：下一稿已删除该条，"
        "请复核处理意见是否仍然适用",
        "comments/base-std.yaml:13:17: W909 意见 3（5 服务流程，示例社工服务中心（李某））所指的条款：下一稿中该条已文字修改，"
        "请复核处理意见是否仍然适用",
    ]
    text = re.sub(r"\s+", "", "".join(page_texts(root / "build" / "comments" / "base-std-comments.pdf")))
    assert "注意：下一稿已删除该条" in text


def test_a_drafts_comment_form_lists_every_provision_with_room_to_write(draft_word):
    from handbook.review.forms import form_rows

    root, lib, written = draft_word
    names = {p.name for p in written}
    assert {f"{GUIDE}.docx", f"{GUIDE}-feedback.docx", f"{GUIDE}-feedback.pdf", f"{GUIDE}-feedback.xlsx"} <= names
    rows = form_rows(lib.document(GUIDE), lib)
    word = docx.Document(str(root / "build" / "pdf" / f"{GUIDE}-feedback.docx"))
    table = word.tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["序号", "章条编号", "条款标题", "修改意见", "理由"]
    assert [(r.cells[1].text, r.cells[2].text) for r in table.rows[1:]] == [(p.number, p.title) for p in rows]
    assert all(r.height is not None and r.height.mm >= 12 for r in table.rows[1:])
    text = re.sub(r"\s+", "", "".join(page_texts(root / "build" / "pdf" / f"{GUIDE}-feedback.pdf")))
    assert "征求意见稿意见反馈表" in text and "提出单位" in text
    assert "10.5持续改进" in text and "C.4安全计划要点" in text


def test_the_downloads_page_offers_the_word_file_and_the_comment_form(draft_word):
    from handbook.site.overview import find_pdfs, render_downloads

    root, lib, _ = draft_word
    page = html.unescape(render_downloads(lib, find_pdfs(root, lib)).html)
    hrefs = set(re.findall(r'href="([^"]+)"', page))
    assert f"downloads/{GUIDE}.docx" in hrefs and "全文（Word 版，可编辑）" in page
    assert {f"downloads/{GUIDE}-feedback.docx", f"downloads/{GUIDE}-feedback.pdf"} <= hrefs
    assert f"downloads/{GUIDE}-feedback.xlsx" in hrefs and "意见反馈表（Excel 版，供汇总意见）" in page


def test_the_excel_comment_form_reads_back_once_filled_in(draft_word, tmp_path):
    import openpyxl

    root, lib, _ = draft_word
    form = root / "build" / "pdf" / f"{GUIDE}-feedback.xlsx"
    book = openpyxl.load_workbook(form)
    sheet = book.active
    header = next(r for r in sheet.iter_rows() if r[0].value == "序号")[0].row
    numbers = [sheet.cell(r, 2).value for r in range(header + 1, sheet.max_row + 1)]
    from handbook.review.forms import form_rows

    assert numbers == [p.number for p in form_rows(lib.document(GUIDE), lib)]
    sheet["B3"] = "示例市某街道社区戒毒社区康复工作站"
    sheet["B4"] = "陈某"
    row = header + numbers.index("6.9.2") + 1
    sheet.cell(row, 4, "建议写明危机处置后向督导报告的时限。")
    sheet.cell(row, 6, "不采纳")
    from tests.conftest import copy_library

    project = copy_library(root, tmp_path)
    (project / "comments").mkdir()
    book.save(project / "comments" / f"{GUIDE}.xlsx")
    code, out, _ = run("--root", str(project), "check")
    assert code == 1
    assert out.splitlines() == [f"comments/{GUIDE}.xlsx:{row}:6: E906 工作表“意见1”第 {row} 行：处理意见为“不采纳”，"
                                "请在 explanation（处理说明）中写明理由"]
    sheet.cell(row, 7, "时限由机构的危机处置预案规定，标准不作统一要求。")
    book.save(project / "comments" / f"{GUIDE}.xlsx")
    code, out, err = run("--root", str(project), "comments", GUIDE)
    assert (code, err) == (0, "")
    assert "共收到 1 个单位的意见 1 条：采纳 0 条，部分采纳 0 条，不采纳 1 条。" in out


def test_the_sample_comments_file_matches_its_json_schema(root):
    import json

    import jsonschema
    import yaml

    schema = json.loads((root / "docs" / "schema" / "comments.schema.json").read_text(encoding="utf-8"))
    data = json.loads(json.dumps(yaml.safe_load((root / "comments" / f"{GUIDE}.yaml").read_text(encoding="utf-8")),
                                 default=str))
    jsonschema.validate(data, schema)
    data["submissions"][0]["comments"][0]["clause"] = 5.2
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
