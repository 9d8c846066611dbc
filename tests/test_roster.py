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
        # 公需, 专业, 出勤学时, 出勤率, 结业 close the row
        tail = row.split()[-5:]
        assert float(tail[0]) + float(tail[1]) == hours
        assert float(tail[2]) == hours
        total = sum(s.hours for s in sessions(curriculum))
        assert tail[3] == f"{100 * hours / total:.0f}%"
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
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "学员"
    sheet.append(["序号", "姓名", "单位", "身份证号码"])
    for i, row in enumerate(sample_rows()[:3], 1):
        sheet.append([i, row["姓名"], row["单位"], row["身份证号码"]])
    path = tmp_path / "participants.xlsx"
    book.save(path)
    out = tmp_path / "out"
    code, stdout, stderr = run("new-worker-programme", "--roster", str(path), "--out", str(out))
    assert code == 0, stderr
    assert sorted(p.name for p in out.iterdir()) == ["sign-in-sheets.pdf"]
    assert "只生成了预填姓名的签到表" in stdout
    first = PdfReader(out / "sign-in-sheets.pdf").pages[0].extract_text()
    assert all(r["姓名"] in first for r in sample_rows()[:3])
    assert sample_rows()[3]["姓名"] not in first


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
