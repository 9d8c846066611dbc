"""Read a roster spreadsheet (.xlsx with openpyxl, or .csv) into participants and attendance marks."""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..models import Curriculum, Session
from ..rules.curriculum import sessions as sessions_of
from ..rules.privacy import valid_resident_id

NAME_HEADERS = ("姓名",)
UNIT_HEADERS = ("单位", "所在街道（乡镇）", "所在单位", "工作单位")
ID_HEADERS = ("身份证号码", "身份证号", "公民身份号码")
PRESENT = {"√", "✓", "✔", "1", "到", "出勤", "是", "y", "yes"}
ABSENT = {"", "0", "×", "✗", "缺", "缺勤", "请假", "否", "n", "no", "-", "—"}
ID_FORM = re.compile(r"^\d{17}[\dXx]$")


class RosterError(Exception):
    """The spreadsheet cannot be used; ``problems`` lists every bad cell."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Participant:
    row: int
    name: str
    unit: str = ""
    id_number: str = ""
    attended: dict[str, bool] = field(default_factory=dict)  # session id -> present

    @property
    def masked_id(self) -> str:
        """An ID number is never printed in full: the first 6 and last 4 characters only."""
        n = self.id_number
        return f"{n[:6]}{'*' * 8}{n[-4:]}" if n else ""


@dataclass
class Roster:
    path: Path
    participants: list[Participant]
    sessions: list[Session]  # the sessions the sheet has attendance columns for
    has_attendance: bool


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _rows(path: Path) -> list[list[str]]:
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as f:
            return [[c.strip() for c in row] for row in csv.reader(f)]
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book["学员"] if "学员" in book.sheetnames else book.worksheets[0]
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
        return rows
    raise RosterError([f"{path.name}: 不支持的文件类型“{path.suffix}”，请使用 .xlsx 或 .csv"])


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value).strip()


def _session_column(header: str, doc: Curriculum) -> Session | None:
    """A header names a session by its number (第3讲, optionally followed by the title) or its ID."""
    found = re.match(r"^(第\d+讲)", header)
    for s in sessions_of(doc):
        if header == s.id or (found and found.group(1) == s.number):
            return s
    return None


def read_roster(path: Path, doc: Curriculum) -> Roster:
    try:
        rows = _rows(path)
    except (OSError, UnicodeDecodeError, ValueError, KeyError) as exc:
        raise RosterError([f"{path.name}: 无法读取（{type(exc).__name__}: {exc}）"]) from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises its own types for a broken file
        raise RosterError([f"{path.name}: 无法读取，文件可能已损坏或不是 Excel 工作簿（{type(exc).__name__}）"]) from None
    header_index = next((i for i, r in enumerate(rows) if any(c in NAME_HEADERS for c in r)), None)
    if header_index is None:
        raise RosterError([f"{path.name}: 找不到标题行：第一行应有“姓名”一栏（可选“单位”“身份证号码”和“第1讲”“第2讲”……出勤栏）"])
    header = rows[header_index]
    problems: list[str] = []
    where = lambda r, c, what: f"{path.name}:{r}:{column_letter(c)}: 第 {r} 行“{what}”一栏"  # noqa: E731
    col = {"name": None, "unit": None, "id": None}
    session_cols: dict[int, Session] = {}
    for c, h in enumerate(header):
        if h in NAME_HEADERS:
            col["name"] = c
        elif h in UNIT_HEADERS:
            col["unit"] = c
        elif h in ID_HEADERS:
            col["id"] = c
        elif re.match(r"^第\d+讲", h) or any(h == s.id for s in sessions_of(doc)):
            s = _session_column(h, doc)
            if s is None:
                problems.append(f"{path.name}:{header_index + 1}:{column_letter(c)}: 标题“{h}”不是《{doc.title}》的课次"
                                f"（共 {len(sessions_of(doc))} 讲）")
            elif s in session_cols.values():
                problems.append(f"{path.name}:{header_index + 1}:{column_letter(c)}: {s.number}的出勤栏重复")
            else:
                session_cols[c] = s
    participants: list[Participant] = []
    seen_ids: dict[str, int] = {}
    for i, row in enumerate(rows[header_index + 1:], header_index + 2):
        cells = row + [""] * (len(header) - len(row))
        if not any(cells):
            continue
        name = cells[col["name"]]
        if not name:
            problems.append(f"{where(i, col['name'], '姓名')}为空：每一行都要写学员姓名（空行请整行删除）")
            continue
        p = Participant(i, name, cells[col["unit"]] if col["unit"] is not None else "")
        if col["id"] is not None and cells[col["id"]]:
            number = cells[col["id"]].replace(" ", "").upper()
            message = _id_problem(number)
            if message:
                problems.append(f"{where(i, col['id'], header[col['id']])}：{message}（{name}）")
            elif number in seen_ids:
                problems.append(f"{where(i, col['id'], header[col['id']])}：与第 {seen_ids[number]} 行的身份证号码相同（{name}）")
            else:
                seen_ids[number] = i
                p.id_number = number
        for c, s in session_cols.items():
            mark = cells[c].strip().lower()
            if mark in PRESENT:
                p.attended[s.id] = True
            elif mark in ABSENT:
                p.attended[s.id] = False
            else:
                problems.append(f"{where(i, c, header[c])}的“{cells[c]}”无法识别：出勤写 √ 或 1，缺勤留空或写 0（{name}）")
        participants.append(p)
    if not participants and not problems:
        problems.append(f"{path.name}: 标题行下面没有学员")
    if problems:
        raise RosterError(problems)
    ordered = [s for s in sessions_of(doc) if s in session_cols.values()]
    return Roster(path, participants, ordered, bool(session_cols))


def _id_problem(number: str) -> str:
    if not ID_FORM.match(number):
        return "身份证号码应为 18 位（前 17 位是数字，最后一位是数字或 X）"
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "身份证号码中的出生日期无效"
    if not valid_resident_id(number):
        return "身份证号码的校验码不对（GB 11643），请核对是否抄错"
    return ""
