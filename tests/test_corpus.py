"""Broken inputs: each case under tests/corpus/ must give exactly the problems in its .expected file.

Run ``pytest --update-goldens`` after a deliberate message change, then review the diff.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
import yaml

from handbook import yamlsource

from handbook.cli import main

CORPUS = Path(__file__).parent / "corpus"
BASE_STANDARD = CORPUS / "base" / "standard.yaml"
# build/ holds the check cache of runs with CORPUS as the project root
CASES = sorted(p for p in CORPUS.iterdir() if p.name not in ("base", "build") and (p.is_dir() or p.suffix == ".yaml"))


def run_check(paths: list[Path], *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(CORPUS), "check", *extra, *map(str, paths)])
    return code, out.getvalue(), err.getvalue()


def case_paths(case: Path) -> list[Path]:
    if case.is_dir():  # comments/ inside a case holds comments files (YAML or Excel)
        return sorted([*case.glob("*.yaml"), *case.glob("comments/*.yaml"), *case.glob("comments/*.xlsx")])
    head = case.read_bytes()[:200]
    needs_standard = b"kind: manual" in head or b"kind: curriculum" in head
    return [BASE_STANDARD, case] if needs_standard else [case]


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_broken_input_reports_exact_problems(case: Path, request: pytest.FixtureRequest) -> None:
    code, out, err = run_check(case_paths(case))
    expected_file = case.with_suffix(".expected") if case.is_file() else case / "expected"
    if request.config.getoption("--update-goldens"):
        expected_file.write_text(out, encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8")
    assert out == expected
    assert "Traceback" not in out + err
    # Every case but the BOM one is broken: the check must fail and say so; warnings fail with --strict.
    codes = {line.split(" ")[1][0] for line in out.splitlines()}
    if case.stem == "bom-accepted":
        assert (code, out) == (0, "")
    elif "E" in codes:
        assert code == 1
    else:
        assert code == 0 and out.strip()
        assert run_check(case_paths(case), "--strict")[0] == 1


def test_base_library_is_clean() -> None:
    code, out, _ = run_check([BASE_STANDARD, CORPUS / "base" / "manual.yaml", CORPUS / "base" / "curriculum.yaml"])
    assert (code, out) == (0, "")



class _StoppingLoader(yaml.SafeLoader):
    """A reader that gives up deep in the file, as libyaml ≥ 0.2.5 does at 1,000 levels."""

    depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001, ANN201
        self.depth += 1
        if self.depth > 60:
            raise yaml.MarkedYAMLError(problem="exceeded maximum nesting depth",
                                       problem_mark=self.peek_event().start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


@pytest.mark.parametrize("reader", ["libyaml", "python", "stopping"])
@pytest.mark.parametrize("case", ["nesting-lists", "nesting-clauses"])
def test_nesting_position_is_the_same_whichever_yaml_reader(case: str, reader: str, monkeypatch) -> None:
    """PyPI's wheels bundle a libyaml that stops at 1,000 levels, Debian's does not, and the
    pure-Python reader recurses: the editor must be sent to the same place in every case."""
    loaders = {"libyaml": getattr(yaml, "CSafeLoader", yaml.SafeLoader), "python": yaml.SafeLoader,
               "stopping": _StoppingLoader}
    monkeypatch.setattr(yamlsource, "_Loader", loaders[reader])
    src = yamlsource.read_source(CORPUS / f"{case}.yaml", f"{case}.yaml")
    expected = (CORPUS / f"{case}.expected").read_text(encoding="utf-8")
    assert "".join(p.format() + "\n" for p in src.problems) == expected
