"""`build.py roster`: sign-in sheets, 学时汇总表, 结业证书 and 继续教育学时证明 from a roster, read back.

The sample roster (tests/fixtures/roster, invented names, IDs under a region code that does not
exist) is built once per session; broken rosters must fail before anything is written.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from handbook.cli import main
from handbook.roster.read import column_letter
from handbook.rules import check_library
from handbook.rules.curriculum import sessions

from .conftest import ROOT

SAMPLE = Path(__file__).parent / "fixtures" / "roster" / "new-worker-programme.csv"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(ROOT), "roster", *argv])
    return code, out.getvalue(), err.getvalue()


def text(path: Path, layout: bool = False) -> str:
    cmd = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def sample_rows() -> list[dict[str, str]]:
    lines = [ln for ln in SAMPLE.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(lines))


@pytest.fixture(scope="session")
def curriculum():
    lib = check_library(ROOT)
    return lib.document("new-worker-programme")


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("roster") / "out"
    code, stdout, stderr = run("new-worker-programme", "--roster", str(SAMPLE), "--out", str(out), "--date", "2026-12-20")
    assert code == 0, stderr
    return out, stdout


def expected_hours(curriculum) -> dict[str, float]:
    by_number = {s.number: s.hours for s in sessions(curriculum)}
    return {r["姓名"]: sum(h for n, h in by_number.items() if r[n] == "√") for r in sample_rows()}


def test_attendance_summary_hours_are_the_sum_of_attended_sessions(built, curriculum) -> None:
    out, _ = built
    summary = text(out / "attendance-summary.pdf", layout=True)
    for name, hours in expected_hours(curriculum).items():
        row = next(ln for ln in summary.splitlines() if name in ln)
        marks = row.count("√")
        assert marks == sum(1 for v in next(r for r in sample_rows() if r["姓名"] == name).values() if v == "√")
        # 公需, 专业, 出勤学时, 出勤率 and 结业 follow the marks (then the reason, if any)
        cells = row.split()
        rate = next(i for i, c in enumerate(cells) if c.endswith("%"))
        tail = cells[rate - 3:rate + 2]
        assert float(tail[0]) + float(tail[1]) == hours
        assert float(tail[2]) == hours
        total = sum(s.hours for s in sessions(curriculum))
        assert tail[3] == f"{100 * hours / total:.0f}%"
        assert tail[4] == ("结业" if hours >= total * curriculum.meta.attendance_rule / 100 else "未结业")
    record = text(out / "hours-records.pdf")
    for name, hours in expected_hours(curriculum).items():
        assert re.search(rf"{name}.*?共 {hours:g} 学时", re.sub(r"\s+", " ", record)), name


def test_a_certificate_is_issued_exactly_to_those_who_met_the_rule(built, curriculum) -> None:
    out, stdout = built
    total = sum(s.hours for s in sessions(curriculum))
    met = {n for n, h in expected_hours(curriculum).items() if h >= total * curriculum.meta.attendance_rule / 100}
    assert 0 < len(met) < len(sample_rows())  # the sample holds both cases, 80 h exactly among them
    rule = total * curriculum.meta.attendance_rule / 100  # someone just above the line, someone just below
    assert any(0 <= h - rule < 1 for h in expected_hours(curriculum).values())
    assert any(0 < rule - h <= 1 for h in expected_hours(curriculum).values())
    reader = PdfReader(out / "certificates.pdf")
    assert len(reader.pages) == len(met)  # one page each
    pages = [re.sub(r"\s+", "", p.extract_text()) for p in reader.pages]
    for name in expected_hours(curriculum):
        holders = [p for p in pages if name in p]
        assert len(holders) == (1 if name in met else 0), name
        if name in met:
            assert "结业证书" in holders[0] and "准予结业" in holders[0]
    assert f"{len(met)} 人达到结业出勤要求" in stdout
    # no score columns: the attendance rule alone, said once
    assert stdout.count("名单中没有成绩栏：结业只按出勤认定") == 1
    # everyone gets a record of continuing-education hours
    assert all(name in text(out / "hours-records.pdf") for name in expected_hours(curriculum))


def test_id_numbers_are_never_printed_in_full(built) -> None:
    out, _ = built
    printed = "".join(text(p) for p in out.glob("*.pdf"))
    for row in sample_rows():
        number = row["身份证号码"]
        assert number not in printed
        assert f"{number[:6]}********{number[-4:]}" in printed


def test_sign_in_sheets_are_prefilled_per_session(built, curriculum) -> None:
    out, _ = built
    reader = PdfReader(out / "sign-in-sheets.pdf")
    assert len(reader.pages) == len(sessions(curriculum))
    for page, s in zip(reader.pages, sessions(curriculum)):
        content = page.extract_text()
        assert f"{s.number} {s.title} 签到表".replace(" ", "") in content.replace(" ", "").replace("\n", "")
        assert all(r["姓名"] in content for r in sample_rows())


def test_outputs_go_to_a_git_ignored_folder() -> None:
    from handbook.roster.command import OUT_DIR

    probe = ROOT / OUT_DIR / "new-worker-programme" / "certificates.pdf"
    ignored = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", str(probe)])
    assert ignored.returncode == 0


def broken_copy(tmp_path: Path, edits: dict[int, tuple[str, str]]) -> Path:
    """The sample with cells replaced: {row number in the file: (column header, new value)}."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    header = next(ln for ln in lines if ln.startswith("姓名")).split(",")
    for row, (column, value) in edits.items():
        cells = lines[row - 1].split(",")
        cells[header.index(column)] = value
        lines[row - 1] = ",".join(cells)
    path = tmp_path / "participants.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_broken_row_is_reported_by_row_number_and_nothing_is_written(built, tmp_path) -> None:
    out, _ = built
    before = {p.name: p.read_bytes() for p in out.glob("*.pdf")}
    rows = sample_rows()
    wrong_check = rows[1]["身份证号码"][:-1] + ("0" if rows[1]["身份证号码"][-1] != "0" else "1")
    path = broken_copy(tmp_path, {4: ("身份证号码", wrong_check), 6: ("第3讲", "迟到"), 7: ("姓名", "")})
    code, stdout, stderr = run("new-worker-programme", "--roster", str(path), "--out", str(out))
    assert code == 1
    assert "participants.csv:4:C: 第 4 行" in stderr and "校验码" in stderr
    header = next(ln for ln in SAMPLE.read_text(encoding="utf-8").splitlines() if ln.startswith("姓名")).split(",")
    assert f"participants.csv:6:{column_letter(header.index('第3讲'))}: 第 6 行“第3讲”一栏的“迟到”无法识别" in stderr
    assert "participants.csv:7:A: 第 7 行“姓名”一栏为空" in stderr
    assert wrong_check not in stderr  # not even in an error message
    assert "未生成任何文件" in stderr and "Traceback" not in stderr
    assert {p.name: p.read_bytes() for p in out.glob("*.pdf")} == before
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]  # no temporary folder left


def test_a_failed_write_keeps_the_previous_outputs(built, tmp_path, monkeypatch) -> None:
    out, _ = built
    target = tmp_path / "out"
    shutil.copytree(out, target)
    before = {p.name: p.read_bytes() for p in target.glob("*.pdf")}
    from handbook.pdf import write

    calls = []

    def fail_second(html, path, base_url=None):
        calls.append(path)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        path.write_bytes(b"%PDF-partial")

    monkeypatch.setattr(write, "write_pdf", fail_second)
    with pytest.raises(RuntimeError):
        run("new-worker-programme", "--roster", str(SAMPLE), "--out", str(target))
    assert {p.name: p.read_bytes() for p in target.glob("*.pdf")} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_excel_roster_without_attendance_gives_prefilled_sign_in_sheets_only(tmp_path, curriculum) -> None:
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "学员"
    sheet.append(["序号", "姓名", "单位", "身份证号码", "第1讲", "第2讲"])
    # made before the course: dates typed as Excel dates, a place, the attendance columns still empty
    sheet.append([None, "日期", None, None, dt.datetime(2026, 3, 2), dt.datetime(2026, 3, 3)])
    sheet.append([None, "地点", None, None, "示例区禁毒教育基地", None])
    for i, row in enumerate(sample_rows()[:3], 1):
        sheet.append([i, row["姓名"], row["单位"], row["身份证号码"]])
    path = tmp_path / "participants.xlsx"
    book.save(path)
    out = tmp_path / "out"
    code, stdout, stderr = run("new-worker-programme", "--roster", str(path), "--out", str(out))
    assert code == 0, stderr
    assert sorted(p.name for p in out.iterdir()) == ["sign-in-sheets.pdf"]
    assert "出勤栏还没有填：只生成了预填姓名的签到表" in stdout
    reader = PdfReader(out / "sign-in-sheets.pdf")
    first = reader.pages[0].extract_text()
    assert all(r["姓名"] in first for r in sample_rows()[:3])
    assert sample_rows()[3]["姓名"] not in first
    squashed = [re.sub(r"\s+", "", p.extract_text()) for p in reader.pages[:3]]
    assert "日期：2026年3月2日地点：示例区禁毒教育基地" in squashed[0] and "应到3人" in squashed[0]
    assert "日期：2026年3月3日地点：＿" in squashed[1]
    assert "日期：年月日" in squashed[2]  # no date given for 第3讲: left to fill in


def test_an_excel_id_typo_is_named_by_its_sheet_row(tmp_path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号码", "第1讲"])
    sheet.append(["林晓青", sample_rows()[0]["身份证号码"], "√"])
    sheet.append(["程一帆", "99010119950702013", 1])  # 17 characters
    path = tmp_path / "participants.xlsx"
    book.save(path)
    code, _, stderr = run("new-worker-programme", "--roster", str(path), "--out", str(tmp_path / "out"))
    assert code == 1
    assert "participants.xlsx:3:B: 第 3 行“身份证号码”一栏：身份证号码应为 18 位" in stderr
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------ a class of 40: 表N（续）, dates, scores

CLASS = SAMPLE.with_name("new-worker-programme-40.csv")
SIGN_IN_HEADER = ("序号", "姓名", "单位", "签到时间", "签退时间", "本人签名")


def class_lines() -> list[str]:
    return [ln for ln in CLASS.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]


def class_rows() -> list[dict[str, str]]:
    return [r for r in csv.DictReader(class_lines()) if r["姓名"] != "日期"]


def class_dates() -> dict[str, str]:
    return {k: v for k, v in next(r for r in csv.DictReader(class_lines()) if r["姓名"] == "日期").items()
            if k.startswith("第")}


@pytest.fixture(scope="session")
def class_built(tmp_path_factory):
    out = tmp_path_factory.mktemp("roster-class") / "out"
    code, stdout, stderr = run("new-worker-programme", "--roster", str(CLASS), "--out", str(out), "--date", "2026-12-20")
    assert code == 0, stderr
    return out, stdout


def pages_of(path: Path) -> list[str]:
    """Page texts in drawing order (pypdf), which is the table's row and cell order, blanks removed."""
    return [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(path).pages]


def test_a_sign_in_sheet_longer_than_a_page_continues_under_its_caption_with_every_name_once(class_built, curriculum):
    out, _ = class_built
    pages = pages_of(out / "sign-in-sheets.pdf")
    names = [r["姓名"] for r in class_rows()]
    assert len(names) == 40
    starts = [i for i, p in enumerate(pages) if "签到表" in p]
    assert len(starts) == len(sessions(curriculum))
    for n, (s, first) in enumerate(zip(sessions(curriculum), starts), 1):
        end = starts[n] if n < len(starts) else len(pages)
        sheet = pages[first:end]
        assert len(sheet) >= 2, s.number  # 40 names and room to sign do not fit one page
        assert f"表{n}{s.number}{s.title}签到表".replace(" ", "") in sheet[0] and "（续）" not in sheet[0]
        for page in sheet[1:]:
            assert page.count(f"表{n}（续）") == 1 and "签到表" not in page, (s.number, page[:80])
            assert "".join(SIGN_IN_HEADER) in page  # the header row again
        found = sorted((page_no, page.index(name), name) for page_no, page in enumerate(sheet)
                       for name in names if name in page)
        assert [name for *_, name in found] == names, s.number  # in order, none lost, none twice
        # the 记录人 row closes the sheet with at least three numbered rows above it on its page
        assert "应到40人" in sheet[-1] and all("记录人" not in p for p in sheet[:-1])
        assert "414243应到40人" in sheet[-1]  # the three spare rows, drawn just before it


def test_session_dates_from_the_roster_are_printed_on_sheets_summary_and_hours_records(class_built, curriculum):
    out, stdout = class_built
    dates = class_dates()
    pages = pages_of(out / "sign-in-sheets.pdf")
    starts = [p for p in pages if "签到表" in p]
    for s, page in zip(sessions(curriculum), starts):
        y, m, d = map(int, dates[s.number].split("-"))
        assert f"日期：{y}年{m}月{d}日" in page, s.number
    summary = re.sub(r"\s+", "", text(out / "attendance-summary.pdf"))
    assert "上课日期2026年3月2日至2026年12月16日" in summary
    for s in sessions(curriculum):
        y, m, d = map(int, dates[s.number].split("-"))
        assert f"{s.number}{s.title}（{s.hours:g}学时，{m}月{d}日）".replace(" ", "") in summary
    records = text(out / "hours-records.pdf").split("继续教育学时证明")
    for row in class_rows():
        record = re.sub(r"\s+", "", next(r for r in records if row["姓名"] in r))
        attended = [n for n in dates if row[n] == "√"]
        assert all(dates[n] in record for n in attended) and not any(dates[n] in record for n in dates if n not in attended)
    assert "没有“日期”行" not in stdout


def expected_completion(curriculum) -> dict[str, list[str]]:
    """name -> what fails (empty when 结业), computed from the CSV and the curriculum's own rules."""
    by_number = {s.number: s.hours for s in sessions(curriculum)}
    total = sum(by_number.values())
    pre, _, final = curriculum.phases
    weights = {c.title: c.weight for c in pre.components}
    result = {}
    for r in class_rows():
        fails = []
        if sum(h for n, h in by_number.items() if r[n] == "√") < total * curriculum.meta.attendance_rule / 100:
            fails.append("出勤率")
        pre_score = (float(r["闭卷笔试"]) * weights["闭卷笔试（法律法规与成瘾医学基础）"]
                     + float(r["个案预估练习单书面作业"]) * weights["个案预估练习单书面作业"]) / 100
        if pre_score < pre.pass_score:
            fails.append(pre.title)
        if r["督导与考核评估成绩"] == "缺考" or float(r["督导与考核评估成绩"]) < final.pass_score:
            fails.append(final.title)
        result[r["姓名"]] = fails
    return result


def test_a_certificate_needs_the_attendance_and_a_pass_in_every_phase_with_a_pass_mark(class_built, curriculum):
    out, stdout = class_built
    expected = expected_completion(curriculum)
    done = {n for n, fails in expected.items() if not fails}
    # the sample holds each case: attendance short, 岗前 below 60, 督导 below 70, 缺考, both short; exact marks pass
    kinds = {tuple(f) for f in expected.values()}
    assert {(), ("出勤率",), ("岗前集中培训",), ("督导与考核评估",), ("出勤率", "岗前集中培训")} <= kinds
    pages = [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(out / "certificates.pdf").pages]
    assert len(pages) == len(done)
    for name in expected:
        assert sum(name in p for p in pages) == (name in done), name
    first = next(p for p in pages if class_rows()[0]["姓名"] in p)
    assert "岗前集中培训考核成绩" in first and "督导与考核评估考核成绩" in first
    assert f"{len(expected)} 名学员，{len(done)} 人结业（出勤与考核都合格）" in stdout
    assert "名单中没有成绩栏" not in stdout
    # the summary: scores, 结业/未结业 and the reason on each participant's row
    summary = text(out / "attendance-summary.pdf", layout=True).splitlines()
    for row in class_rows():
        line = next(ln for ln in summary if row["姓名"] in ln)
        block = " ".join(summary[summary.index(line) - 4:summary.index(line) + 5])
        fails = expected[row["姓名"]]
        assert ("未结业" if fails else "结业") in line.split()
        for what in fails:
            assert what.replace("岗前集中培训", "岗前集") in block.replace(" ", ""), (row["姓名"], what)
        final = row["督导与考核评估成绩"]
        assert (final if final == "缺考" else f"{float(final):g}") in line.split()
    pre = next(r for r in class_rows() if r["闭卷笔试"] == "50")  # 0.4 × 50 + 0.6 × 62 = 57.2
    assert "57.2" in next(ln for ln in summary if pre["姓名"] in ln).split()


def class_copy(tmp_path: Path, edits: dict[tuple[int, str], str], drop: str = "") -> Path:
    """The class roster with cells replaced, {(row number in the file, column header): value}."""
    lines = CLASS.read_text(encoding="utf-8").splitlines()
    header = next(ln for ln in lines if ln.startswith("序号")).split(",")
    for (row, column), value in edits.items():
        cells = lines[row - 1].split(",")
        cells[header.index(column)] = value
        lines[row - 1] = ",".join(cells)
    if drop:
        at = header.index(drop)
        lines = [",".join(c for i, c in enumerate(ln.split(",")) if i != at) if not ln.startswith("#") else ln
                 for ln in lines]
    path = tmp_path / "class.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_bad_dates_and_scores_are_reported_at_row_and_column_and_nothing_is_written(tmp_path):
    header = next(ln for ln in CLASS.read_text(encoding="utf-8").splitlines() if ln.startswith("序号")).split(",")
    col = lambda h: column_letter(header.index(h))  # noqa: E731
    date_row = next(i for i, ln in enumerate(CLASS.read_text(encoding="utf-8").splitlines(), 1) if ",日期," in ln)
    path = class_copy(tmp_path, {(date_row, "第3讲"): "2026-02-30", (date_row, "第5讲"): "3月6日",
                                 (date_row + 2, "闭卷笔试"): "105", (date_row + 3, "督导与考核评估成绩"): "优"})
    out = tmp_path / "out"
    code, _, stderr = run("new-worker-programme", "--roster", str(path), "--out", str(out))
    assert code == 1 and "Traceback" not in stderr
    assert f"class.csv:{date_row}:{col('第3讲')}: 第 {date_row} 行（日期）“第3讲”一栏的日期“2026-02-30”不存在" in stderr
    assert f"class.csv:{date_row}:{col('第5讲')}: " in stderr and "“3月6日”无法识别" in stderr
    assert f"class.csv:{date_row + 2}:{col('闭卷笔试')}: 第 {date_row + 2} 行“闭卷笔试”一栏的“105”不是 0～100 之间的分数" in stderr
    assert f"class.csv:{date_row + 3}:{col('督导与考核评估成绩')}: " in stderr and "“优”不是" in stderr
    assert "学员名单有 4 处问题，未生成任何文件" in stderr
    assert not out.exists()


def test_score_columns_that_cannot_decide_a_pass_are_named_in_the_header(tmp_path):
    # a phase with a pass mark but no column for it; a component title two phases share
    path = class_copy(tmp_path, {(3, "在岗实务带教成绩"): "带教评价"}, drop="督导与考核评估成绩")
    code, _, stderr = run("new-worker-programme", "--roster", str(path), "--out", str(tmp_path / "out"))
    assert code == 1
    header = next(ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith("序号")).split(",")
    assert f"class.csv:3:{column_letter(header.index('带教评价'))}: 标题“带教评价”是在岗实务带教、督导与考核评估" in stderr
    assert "没有“督导与考核评估成绩”栏（合格分 70 分）" in stderr
    assert not (tmp_path / "out").exists()


def test_the_summary_continues_as_学时汇总表_续_with_every_participant_once(class_built):
    out, _ = class_built
    pages = pages_of(out / "attendance-summary.pdf")
    holding = [p for p in pages if "身份证号码" in p]
    assert len(holding) >= 2
    assert "学时汇总表（续）" not in holding[0]
    assert all(p.count("学时汇总表（续）") == 1 and "序号姓名单位身份证号码" in p for p in holding[1:])
    names = [r["姓名"] for r in class_rows()]
    found = sorted((i, p.index(n), n) for i, p in enumerate(holding) for n in names if n in p)
    assert [n for *_, n in found] == names
