"""The reference graph built at load time, and the check cache that keeps each file's checked form."""

from __future__ import annotations

from pathlib import Path

from handbook.checkcache import CheckCache
from handbook.rules import CACHE_DIR, check_library, check_report

from .conftest import write_base_library


def test_graph_resolves_every_reference_once_with_its_position(tmp_path: Path) -> None:
    lib = check_library(write_base_library(tmp_path), cache=False)
    graph, entries = lib.graph, lib.entries
    law = entries["base-course#session-law"]
    assert graph.targets(law, "covers") == [entries["base-std#process"]]
    assert graph.targets(entries["base-course#session-practice"], "worksheets") == [entries["base-course#form-sign-in"]]
    # Who points at 5 流程: the session through covers, the manual chapter through implements.
    process = entries["base-std#process"]
    assert graph.referrers(process, "covers") == [law]
    assert graph.referrers(process, "implements") == [entries["base-manual#casework"]]
    # A step's record belongs to its procedure; an inline [[annex-forms]] to the clause whose text holds it.
    assert graph.referrers(entries["base-manual#form-visit"]) == [entries["base-manual#intake"]]
    inline = graph.incoming["base-std#annex-forms"][0]
    assert not inline.written.structured and inline.source.kind == "clause"
    line, column = lib.sources["base-std"].where(inline.written.path)
    text = (tmp_path / "standards" / "base-std.yaml").read_text(encoding="utf-8").splitlines()[line - 1]
    assert "[[annex-forms]]" in text
    # Documents a page cites and documents whose pages cite it (what a saved file invalidates).
    assert graph.cited_documents("base-course") == {"base-std"}
    assert graph.citing_documents("base-std") == {"base-course", "base-manual"}
    assert graph.citing_documents("base-course") == set()


def test_a_dangling_reference_is_reported_where_it_is_written(tmp_path: Path) -> None:
    root = write_base_library(tmp_path)
    path = root / "curricula" / "base-course.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("covers: [base-std#process]", "covers: [base-std#proces]"), encoding="utf-8")
    lib = check_library(root, cache=False)
    [dangling] = list(lib.graph.dangling())
    assert dangling.key == "base-std#proces"
    line = next(i for i, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "proces]" in row)
    [problem] = lib.problems
    assert (problem.code, problem.line) == ("E602", line)
    assert "base-std#process" in problem.message  # the suggestion


def test_check_cache_revalidates_only_the_edited_file(tmp_path: Path) -> None:
    root = write_base_library(tmp_path)
    files = ["curricula/base-course.yaml", "standards/base-manual.yaml", "standards/base-std.yaml"]

    first = CheckCache(root / CACHE_DIR)
    assert check_library(root, cache=first).problems == []
    assert sorted(first.misses) == files and first.hits == []

    second = CheckCache(root / CACHE_DIR)
    lib = check_library(root, cache=second)
    assert sorted(second.hits) == files and second.misses == []
    # What comes out of the cache is the full checked form: entries, numbers, the graph.
    assert lib.entries["base-std#process"].number == "5"
    assert lib.graph.targets(lib.entries["base-course#session-law"], "covers") == [lib.entries["base-std#process"]]

    # An edit: the file rules run again on that file alone, and find its new problem.
    path = root / "standards" / "base-manual.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("主动求助。", "主动求助，电话 13912345678。"),
                    encoding="utf-8")
    third = CheckCache(root / CACHE_DIR)
    lib = check_library(root, cache=third)
    assert third.misses == ["standards/base-manual.yaml"]
    assert sorted(third.hits) == [files[0], files[2]]
    assert [(p.file, p.code) for p in lib.problems] == [("standards/base-manual.yaml", "E404")]  # phone in a case

    # A library rule still sees every file: a target renamed in the standard is reported where the others point at it.
    std = root / "standards" / "base-std.yaml"
    std.write_text(std.read_text(encoding="utf-8").replace("id: process", "id: procedure"), encoding="utf-8")
    fourth = CheckCache(root / CACHE_DIR)
    lib = check_library(root, cache=fourth)
    assert fourth.misses == ["standards/base-std.yaml"]
    assert {p.file for p in lib.problems if p.code == "E602"} == {"curricula/base-course.yaml",
                                                                  "standards/base-manual.yaml"}


def test_check_cache_is_invalidated_by_the_project_wording_list(tmp_path: Path) -> None:
    root = write_base_library(tmp_path)
    assert check_library(root).problems == []
    (root / "wording.yaml").write_text("求助: 寻求帮助\n", encoding="utf-8")
    lib = check_library(root)
    assert [p.code for p in lib.problems] == ["W703"]


def test_check_reuses_its_whole_report_only_while_nothing_changed(tmp_path: Path) -> None:
    root = write_base_library(tmp_path)
    first = check_report(root)
    assert (first.problems, first.files, first.from_cache) == ([], 3, False)
    again = check_report(root)
    assert (again.problems, again.files, again.from_cache) == ([], 3, True)
    path = root / "curricula" / "base-course.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("covers: [base-std#process]", "covers: [base-std#nope]"),
                    encoding="utf-8")
    edited = check_report(root)
    assert not edited.from_cache and [p.code for p in edited.problems] == ["E602"]
    assert check_report(root).from_cache and [p.code for p in check_report(root).problems] == ["E602"]
