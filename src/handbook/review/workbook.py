"""Comments in an Excel workbook laid out as the comment form, read with openpyxl.

One sheet per reviewer: above the table, label cells in column A (提出单位, 提出人, 日期) with the
value beside them; then a header row naming the columns (章条编号, 条款标题, 修改意见, 理由, 处理意见,
处理说明; 序号 and 条款标题 are not read) and one row per comment. Rows without a 修改意见 are the
form's unused rows and are skipped. Problems name the sheet and give its row and column.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from pydantic import ValidationError

from ..problems import E_COMMENTS_FILE, E_DATE, E_MISSING, E_VALUE, Problem
from .comments import CommentSet, CommentsFile

COLUMNS = {"章条编号": "clause", "修改意见": "comment", "理由": "reason", "处理意见": "decision", "处理说明": "explanation"}
LABELS = {"提出单位": "unit", "提出人": "reviewer", "日期": "date"}
REQUIRED = ("章条编号", "修改意见")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
    return str(value).strip()


def read_workbook(path: Path, name: str) -> CommentSet:
    import openpyxl

    found = CommentSet(name, path, None)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        found.problems.append(Problem(name, 1, 1, E_COMMENTS_FILE, f"无法读取 Excel 文件（{type(exc).__name__}）：请用 Excel 或 WPS 另存为 .xlsx"))
        return found
    places: dict[tuple, tuple[int, int, str]] = {}
    submissions = []
    for sheet in book.worksheets:
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        prefix = f"工作表“{sheet.title}”第 {{row}} 行："
        header_at = next((i for i, r in enumerate(rows) if all(h in map(_text, r) for h in REQUIRED)), None)
        if header_at is None:
            if any(_text(v) for r in rows for v in r):
                found.problems.append(Problem(name, 1, 1, E_COMMENTS_FILE,
                                              f"工作表“{sheet.title}”中找不到“章条编号”“修改意见”栏目：表头一行应写明"
                                              f"{'、'.join(COLUMNS)}"))
            continue
        s = len(submissions)
        columns = {COLUMNS[_text(v)]: j for j, v in enumerate(rows[header_at]) if _text(v) in COLUMNS}
        submission: dict = {"unit": "", "comments": []}
        places[(s, None, "")] = (header_at + 1, 1, prefix.format(row=header_at + 1))
        for i, row in enumerate(rows[:header_at]):
            label = _text(row[0]).rstrip("：:") if row else ""
            if label in LABELS and len(row) > 1:
                value = row[1]
                submission[LABELS[label]] = _text(value) or None if LABELS[label] == "date" else _text(value)
                places[(s, None, LABELS[label])] = (i + 1, 2, prefix.format(row=i + 1))
        places.setdefault((s, None, "unit"), (1, 1, f"工作表“{sheet.title}”："))
        for i, row in enumerate(rows[header_at + 1:], start=header_at + 2):
            cells = {key: _text(row[j]) if j < len(row) else "" for key, j in columns.items()}
            if not cells.get("comment"):
                continue
            c = len(submission["comments"])
            submission["comments"].append({k: v for k, v in cells.items()})
            for key, j in columns.items():
                places[(s, c, key)] = (i, j + 1, prefix.format(row=i))
            places[(s, c, "")] = (i, 1, prefix.format(row=i))
        submissions.append(submission)
    book.close()

    def place(key: tuple) -> tuple[int, int, str]:
        s, c, _ = key
        return places.get(key) or places.get((s, c, "")) or places.get((s, None, "")) or (1, 1, "")

    found.place = place
    if not submissions:
        if not found.problems:
            found.problems.append(Problem(name, 1, 1, E_COMMENTS_FILE, "工作簿中没有填写任何意见"))
        return found
    try:
        found.data = CommentsFile.model_validate({"submissions": submissions})
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            s = loc[1] if len(loc) > 1 else None
            c = loc[3] if len(loc) > 3 and loc[2] == "comments" else None
            field_name = next((p for p in reversed(loc) if isinstance(p, str)), "")
            label = {v: k for k, v in {**COLUMNS, **LABELS}.items()}.get(field_name, field_name)
            if err["type"] == "missing" or (err["type"] == "string_too_short"):
                code, message = E_MISSING, f"缺少“{label}”"
            elif err["type"].startswith("date"):
                code, message = E_DATE, f"“{label}”应为日期，如 2026-04-10"
            else:
                code, message = E_VALUE, f"“{label}”无效：{err['msg']}"
            found.problems.append(found.problem((s, c, field_name), code, message))
        found.data = None
    return found


def write_form_workbook(title: str, round_: str, rows, path: Path) -> Path:
    """The comment form as a workbook in the layout ``read_workbook`` reads: a drafting group copies
    the sheet once per reviewer and fills in 修改意见 (rows left empty are skipped) and the decision."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from .comments import DECISIONS

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "意见1"
    ws.append([f"《{title}》{round_}意见反馈表"])
    ws.append(["标准名称", title])
    for label in LABELS:
        ws.append([label, ""])
    ws.append([])
    header = ["序号", "章条编号", "条款标题", "修改意见", "理由", "处理意见", "处理说明"]
    ws.append(header)
    header_row = ws.max_row
    for i, p in enumerate(rows, 1):
        ws.append([i, p.number, p.title, "", "", "", ""])
    ws["A1"].font = Font(bold=True, size=14)
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEEEEE")
    for row in ws.iter_rows(min_row=header_row + 1, min_col=2, max_col=2):
        row[0].number_format = "@"  # 5.10 stays 5.10, not the number 5.1
    for col, width in zip("ABCDEFG", (6, 10, 24, 48, 36, 10, 40)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    choice = DataValidation(type="list", formula1='"' + ",".join(DECISIONS) + '"', allow_blank=True)
    choice.error, choice.errorTitle = f"处理意见应为{'、'.join(DECISIONS)}之一", "处理意见"
    ws.add_data_validation(choice)
    choice.add(f"F{header_row + 1}:F{ws.max_row}")
    ws.freeze_panes = f"A{header_row + 1}"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    book.save(tmp)
    tmp.replace(path)
    return path
