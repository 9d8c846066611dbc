"""The shipped sample library and the numbering every page and PDF relies on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from handbook.models import Curriculum, Manual, Standard
from handbook.rules import check_library

from .conftest import ROOT
from .test_corpus import CORPUS


@pytest.fixture(scope="module")
def shipped():
    return check_library(ROOT)


def test_shipped_library_has_no_problem_at_all(shipped) -> None:
    assert [p.format() for p in shipped.problems] == []


def test_sample_standard_is_complete(shipped) -> None:
    std = shipped.document("jd-service-guide")
    assert isinstance(std, Standard) and std.sample
    assert "示例" in std.cover.title
    assert 3 + len(std.chapters) >= 9
    clauses = [e for e in shipped.entries_of(std) if e.kind == "clause"]
    assert len(clauses) >= 40
    assert len(std.terms.entries) >= 8
    assert {a.nature for a in std.annexes} == {"规范性", "资料性"}
    assert any(a.forms for a in std.annexes)
    assert std.cover.code.startswith("示例/")  # never a real standard's number


def test_sample_manual_covers_the_practice_areas(shipped) -> None:
    manual = shipped.document("jd-practice-manual")
    assert isinstance(manual, Manual)
    titles = "".join(c.title for c in manual.chapters)
    for topic in ("个案管理", "小组工作", "探访", "危机干预", "朋辈辅导员", "禁毒宣传教育"):
        assert topic in titles
    assert all(p.implements or c.implements for c in manual.chapters for p in c.procedures)
    assert manual.forms


def test_two_sample_curricula_teach_standard_clauses(shipped) -> None:
    curricula = [d for d in shipped.documents if isinstance(d, Curriculum)]
    assert len(curricula) == 2
    programme = shipped.document("new-worker-programme")
    assert len(programme.phases) == 3
    assert "内主外辅" in programme.supervision.model
    sessions = [s for p in programme.phases for m in p.modules for s in m.sessions]
    assert all(s.covers for s in sessions)
    assert {e.doc.id for s in sessions for r in s.covers if (e := shipped.resolve(r, programme))} == {
        "jd-service-guide"
    }


def test_numbers_follow_position_and_links_survive_an_insertion(tmp_path: Path) -> None:
    (tmp_path / "standards").mkdir()
    text = (CORPUS / "base" / "standard.yaml").read_text(encoding="utf-8")
    (tmp_path / "standards" / "s.yaml").write_text(text, encoding="utf-8")
    before = check_library(tmp_path)
    assert before.entries["base-std#confidentiality"].number == "4.2"
    assert before.entries["base-std#process"].number == "5"
    assert before.entries["base-std#annex-forms"].number == "附录A"
    assert before.entries["base-std#form-intake"].number == "表A.1"
    assert before.entries["base-std#community-rehabilitation"].number == "3.1"

    inserted = text.replace(
        "      - id: people-centred\n",
        "      - id: legality\n        title: 依法\n        text: 服务应依法开展。\n      - id: people-centred\n",
    )
    (tmp_path / "standards" / "s.yaml").write_text(inserted, encoding="utf-8")
    after = check_library(tmp_path)
    assert after.problems == []
    assert after.entries["base-std#legality"].number == "4.1"
    assert after.entries["base-std#confidentiality"].number == "4.3"


def test_curriculum_numbers(shipped) -> None:
    programme = shipped.document("new-worker-programme")
    phase_two = programme.phases[1]
    assert phase_two.number == "第二阶段"
    first_session_of_phase_two = phase_two.modules[0].sessions[0]
    count_before = sum(len(m.sessions) for m in programme.phases[0].modules)
    assert first_session_of_phase_two.number == f"第{count_before + 1}讲"


def test_check_one_file_resolves_against_nothing_else(tmp_path: Path) -> None:
    shutil.copy(ROOT / "standards" / "jd-practice-manual.yaml", tmp_path / "m.yaml")
    lib = check_library(tmp_path, [tmp_path / "m.yaml"])
    assert {p.code for p in lib.problems} == {"E602"}
