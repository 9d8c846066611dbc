"""What `build.py check` prints first: the cause, then what it caused, folded; sums all at once; --strict."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

BUILD = ROOT / "build.py"


def check(root: Path, *extra: str) -> tuple[int, list[str], str]:
    result = subprocess.run([sys.executable, str(BUILD), "--root", str(root), "check", *extra],
                            capture_output=True, text=True, timeout=120)
    return result.returncode, result.stdout.splitlines(), result.stderr


def shipped_copy(tmp_path: Path) -> Path:
    for name in ("standards", "curricula"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "facts.yaml", tmp_path / "facts.yaml")
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_typo_in_the_standard_is_the_first_line_and_what_it_breaks_is_one_line(tmp_path: Path) -> None:
    root = shipped_copy(tmp_path)
    guide = root / "standards" / "jd-service-guide.yaml"
    edit(guide, "\n  title_en:", "\n  titel_en:")
    code, lines, err = check(root)
    assert code == 1
    assert lines[0].startswith("standards/jd-service-guide.yaml:") and " E202 " in lines[0]
    assert "“titel_en”" in lines[0]
    fold = lines[1]
    assert fold.startswith("standards/jd-service-guide.yaml: 另有 ")
    folded = int(fold.split("另有 ")[1].split(" ")[0])
    assert folded > 100  # every reference into the standard from the manual and the curricula
    assert "处引用因此无法检查" in fold
    assert len(lines) == 2, lines  # nothing else: no E602 line for each reference
    assert "先改 standards/jd-service-guide.yaml 第" in err
    assert f"另有 {folded} 处引用因它无法检查" in err
    # The JSON output keeps every problem, each folded one naming its cause.
    code, out, _ = check(root, "--format", "json")
    import json
    problems = json.loads("\n".join(out))
    assert sum(p["cause"] == "standards/jd-service-guide.yaml" for p in problems) == folded
    assert problems[0]["code"] == "E202"
    # 如何编辑 quotes this very output (the count follows the library).
    how_to = (ROOT / "docs" / "how-to-edit.md").read_text(encoding="utf-8")
    quoted = re.sub(r"另有 \d+ 处", "另有 N 处", "\n".join(lines))
    assert quoted in re.sub(r"另有 \d+ 处", "另有 N 处", how_to)


def test_errors_come_before_warnings_whatever_the_file_order(tmp_path: Path) -> None:
    root = shipped_copy(tmp_path)
    # A warning in the first file (alphabetically), an error in a later one.
    curricula = sorted((root / "curricula").glob("*.yaml"))
    edit(curricula[0], "    title: ", "    title: 【待填写】")
    edit(root / "standards" / "jd-service-guide.yaml", "  issued: 2026-05-20", "  issued: 2026-07-20")
    code, lines, err = check(root)
    assert code == 1
    assert [line.split(" ")[1][0] for line in lines] == sorted(line.split(" ")[1][0] for line in lines)
    assert lines[0].startswith("standards/jd-service-guide.yaml:") and " E302 " in lines[0]
    assert "先改 standards/jd-service-guide.yaml" in err


def test_one_wrong_session_reports_every_sum_it_breaks_in_one_run(tmp_path: Path) -> None:
    from handbook.rules import check_library
    from .conftest import write_base_library

    root = write_base_library(tmp_path)
    curriculum = next((root / "curricula").glob("*.yaml"))
    text = curriculum.read_text(encoding="utf-8")
    lib = check_library(root)
    assert lib.problems == []
    # Declare every level's hours as the sessions add up today, then make one session an hour longer.
    from handbook.models import Curriculum
    doc = next(d for d in lib.documents if isinstance(d, Curriculum))
    assert doc.meta.total_hours is not None and all(p.hours is not None for p in doc.phases)
    first = doc.phases[0].modules[0].sessions[0]
    line = lib.sources[doc.id].where(first._path + ("hours",))[0]
    lines = text.splitlines(keepends=True)
    lines[line - 1] = lines[line - 1].replace(f"hours: {first.hours:g}", f"hours: {first.hours + 1:g}")
    curriculum.write_text("".join(lines), encoding="utf-8")
    problems = check_library(root).problems
    codes = [p.code for p in problems]
    assert sorted(codes) == ["E504", "E505", "E506"], [p.format() for p in problems]
    assert len({p.line for p in problems}) == 3  # each at its own line: module, phase, programme


def test_strict_says_the_warnings_failed_it(tmp_path: Path) -> None:
    root = shipped_copy(tmp_path)
    edit(root / "standards" / "jd-service-guide.yaml", "  title: ", "  title: 【待填写】")
    code, lines, err = check(root)
    assert code == 0 and "--strict" not in err
    code, lines, err = check(root, "--strict")
    warnings = sum(" W" in line for line in lines)
    assert code == 1 and warnings >= 1
    assert f"0 个错误，{warnings} 个警告" in err
    assert f"按 --strict，{warnings} 个警告视为错误。" in err
