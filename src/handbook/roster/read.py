"""Read a roster spreadsheet (.xlsx with openpyxl, or .csv) into participants and attendance marks."""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..models import Component, Curriculum, Phase, Session
from ..rules.curriculum import sessions as sessions_of
from ..rules.privacy import valid_resident_id

NAME_HEADERS = ("姓名",)
UNIT_HEADERS = ("单位", "所在街道（乡镇）", "所在单位", "工作单位")
ID_HEADERS = ("身份证号码", "身份证号", "公民身份号码")
PRESENT = {"√", "✓", "✔", "1", "到", "出勤", "是", "y", "yes"}
ABSENT = {"", "0", "×", "✗", "缺", "缺勤", "请假", "否", "n", "no", "-", "—"}
ID_FORM = re.compile(r"^\d{17}[\dXx]$")
DATE_ROWS = ("日期", "上课日期")  # a row under the header: the date under each 第N讲 column
PLACE_ROWS = ("地点", "上课地点")
DATE_FORM = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
SCORE_SUFFIXES = ("成绩", "得分", "分数")
NO_SHOW = ("缺考",)
SEPARATORS = "/／·:："


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
    scores: dict[int, float | str] = field(default_factory=dict)  # score column -> score, or 未录入 / 缺考

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
    has_attendance: bool  # some attendance mark is filled in
    dates: dict[str, dt.date] = field(default_factory=dict)  # session id -> date (the 日期 row)
    places: dict[str, str] = field(default_factory=dict)  # session id -> place (the 地点 row)
    score_columns: dict[int, "ScoreColumn"] = field(default_factory=dict)


@dataclass(frozen=True)
class ScoreColumn:
    """A column of scores out of 100: a phase's total, or one of its components (weighted in)."""
    header: str
    phase: Phase
    component: Component | None = None


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
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()  # Excel keeps a typed date as a datetime at midnight
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


def _short(title: str) -> str:
    return re.split(r"[（(]", title, maxsplit=1)[0].strip()


def score_column(header: str, doc: Curriculum) -> ScoreColumn | str | None:
    """A phase (its title or ID, 成绩 optional) or a component (its title, the part before any
    bracket will do; ``阶段/组成`` where two phases share the title). A string is a problem."""
    keys = {header, *(header.removesuffix(x) for x in SCORE_SUFFIXES)}
    for phase in doc.phases:
        if keys & {phase.title, phase.id}:
            return ScoreColumn(header, phase)
    for key in keys:
        for sep in SEPARATORS:
            head, _, tail = key.partition(sep)
            for phase in doc.phases:
                if tail and head in (phase.title, phase.id):
                    found = [c for c in phase.components if tail in (c.title, _short(c.title))]
                    if found:
                        return ScoreColumn(header, phase, found[0])
    owners = [(p, c) for p in doc.phases for c in p.components if keys & {c.title, _short(c.title)}]
    if len(owners) == 1:
        return ScoreColumn(header, *owners[0])
    if owners:
        return (f"标题“{header}”是{'、'.join(p.title for p, _ in owners)}几个阶段共有的考核组成，"
                f"请写明阶段，如“{owners[-1][0].title}/{_short(owners[-1][1].title)}”")
    if header.endswith(SCORE_SUFFIXES):
        known = "、".join(p.title + "成绩" for p in doc.phases if p.components)
        return f"标题“{header}”对不上《{doc.title}》的阶段或考核组成（可写：{known}，或某一考核组成的名称）"
    return None


def parse_date(text: str) -> dt.date | str:
    """2026-03-05, 2026/3/5, 2026.3.5 or 2026年3月5日; a string is the problem."""
    found = DATE_FORM.match(text)
    if not found:
        return f"的日期“{text}”无法识别：请写作 2026-03-05 或 2026年3月5日"
    try:
        return dt.date(*map(int, found.groups()))
    except ValueError:
        return f"的日期“{text}”不存在"


def parse_score(text: str) -> float | str | None:
    """A score out of 100; 缺考 and blank are kept as words; None means unreadable."""
    if text in ("", *NO_SHOW):
        return text or "未录入"
    try:
        value = float(text.removesuffix("分"))
    except ValueError:
        return None
    return value if 0 <= value <= 100 else None


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
    score_cols: dict[int, ScoreColumn] = {}
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
        elif h:
            found = score_column(h, doc)
            if isinstance(found, str):
                problems.append(f"{path.name}:{header_index + 1}:{column_letter(c)}: {found}")
            elif found is not None:
                if any(found.phase is o.phase and found.component is o.component for o in score_cols.values()):
                    problems.append(f"{path.name}:{header_index + 1}:{column_letter(c)}: “{h}”的成绩栏重复")
                score_cols[c] = found
    problems += _missing_score_columns(path, header_index, score_cols, doc)
    dates: dict[str, dt.date] = {}
    places: dict[str, str] = {}
    participants: list[Participant] = []
    seen_ids: dict[str, int] = {}
    marked = False  # a sheet made before the course has 第N讲 columns (and dates) but no marks yet
    for i, row in enumerate(rows[header_index + 1:], header_index + 2):
        cells = row + [""] * (len(header) - len(row))
        if not any(cells):
            continue
        name = cells[col["name"]]
        if name in DATE_ROWS + PLACE_ROWS:
            for c, s in session_cols.items():
                if not cells[c]:
                    continue
                if name in PLACE_ROWS:
                    places[s.id] = cells[c]
                    continue
                day = parse_date(cells[c])
                if isinstance(day, str):
                    problems.append(f"{path.name}:{i}:{column_letter(c)}: 第 {i} 行（{name}）“{header[c]}”一栏{day}")
                else:
                    dates[s.id] = day
            continue
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
            marked = marked or bool(mark)
            if mark in PRESENT:
                p.attended[s.id] = True
            elif mark in ABSENT:
                p.attended[s.id] = False
            else:
                problems.append(f"{where(i, c, header[c])}的“{cells[c]}”无法识别：出勤写 √ 或 1，缺勤留空或写 0（{name}）")
        for c in score_cols:
            score = parse_score(cells[c])
            if score is None:
                problems.append(f"{where(i, c, header[c])}的“{cells[c]}”不是 0～100 之间的分数（未考写“缺考”，未出成绩留空）（{name}）")
            else:
                p.scores[c] = score
        participants.append(p)
    if not participants and not problems:
        problems.append(f"{path.name}: 标题行下面没有学员")
    if problems:
        raise RosterError(problems)
    ordered = [s for s in sessions_of(doc) if s in session_cols.values()]
    return Roster(path, participants, ordered, marked, dates, places, score_cols)


def _missing_score_columns(path: Path, header_index: int, score_cols: dict[int, ScoreColumn],
                           doc: Curriculum) -> list[str]:
    """Once a sheet has scores, every phase with a pass mark needs its total or all its components."""
    if not score_cols:
        return []
    problems = []
    where = f"{path.name}:{header_index + 1}:{column_letter(min(score_cols))}"
    for phase in doc.phases:
        mine = [c for c in score_cols.values() if c.phase is phase]
        given = {c.component.title for c in mine if c.component}
        if any(c.component is None for c in mine):
            continue
        lacking = [c.title for c in phase.components if c.title not in given]
        if not lacking or not (given or phase.pass_score is not None):
            continue
        mark = f"（合格分 {phase.pass_score:g} 分）" if phase.pass_score is not None else ""
        if given:
            problems.append(f"{where}: 名单有“{phase.title}”的考核组成成绩，但缺少“{'”“'.join(_short(t) for t in lacking)}”栏{mark}："
                            f"请补上，或只写一栏“{phase.title}成绩”（按权重合计的总分）")
        else:
            problems.append(f"{where}: 名单有成绩栏，但没有“{phase.title}成绩”栏{mark}：请加上这一栏，"
                            f"或加上它的各考核组成栏（{'、'.join(_short(c.title) for c in phase.components)}）")
    return problems


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
