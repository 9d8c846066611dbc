"""Builds that redo only what changed: the page cache between runs, and serve's page-by-page rebuild.

What is asserted is which pages were rendered again (and that the edit is on the page), never a time.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from handbook.site.build import build_site
from handbook.site.serve import Preview

from .conftest import ROOT, write_base_library

OVERVIEWS = {"index.md", "glossary.md", "coverage.md", "downloads.md"}


def project(root: Path) -> Path:
    write_base_library(root)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "docs").mkdir()
    shutil.copytree(ROOT / "src" / "handbook" / "theme", root / "src" / "handbook" / "theme")
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    root = project(tmp_path_factory.mktemp("incremental"))
    site = tmp_path_factory.mktemp("served")
    session = Preview(root, site)
    session.full_build()
    return session


def test_first_build_renders_every_generated_page(preview) -> None:
    pages = preview.plugin.pages
    assert {"standards/base-std.md", "manuals/base-manual.md", "curricula/base-course.md"} <= set(pages.rendered)
    assert OVERVIEWS <= set(pages.rendered)
    assert pages.reused == []


def test_a_clause_edit_rebuilds_its_page_the_pages_citing_it_and_the_overviews(preview) -> None:
    site = preview.site_dir
    untouched = {name: (site / name).stat().st_mtime_ns for name in ("rules.html", "editing.html")}
    edit(preview.root / "standards" / "base-std.yaml", "服务记录应按 [[annex-forms]] 保存。",
         "服务记录应按 [[annex-forms]] 保存，修订核对点丙。")
    preview.rebuild()
    # The manual and the course cite the standard (their links show its numbers and titles).
    assert set(preview.rebuilt) == {"standards/base-std.md", "manuals/base-manual.md", "curricula/base-course.md",
                                    *OVERVIEWS}
    assert "修订核对点丙" in (site / "standards" / "base-std.html").read_text(encoding="utf-8")
    assert {name: (site / name).stat().st_mtime_ns for name in untouched} == untouched


def test_a_session_edit_leaves_the_standard_and_manual_pages_alone(preview) -> None:
    edit(preview.root / "curricula" / "base-course.yaml", "objectives: [掌握社区康复流程]",
         "objectives: [掌握社区康复流程, 修订核对点丁]")
    preview.rebuild()
    assert set(preview.rebuilt) == {"curricula/base-course.md", *OVERVIEWS}
    assert "修订核对点丁" in (preview.site_dir / "curricula" / "base-course.html").read_text(encoding="utf-8")


def test_a_save_without_a_change_rebuilds_nothing(preview) -> None:
    path = preview.root / "standards" / "base-manual.yaml"
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    preview.rebuilt = ["sentinel"]
    preview.rebuild()
    assert preview.rebuilt in ([], ["sentinel"])  # nothing rendered, whether or not the timestamp moved


def test_a_later_build_takes_unchanged_pages_from_the_cache(preview, tmp_path) -> None:
    """A new run (``build.py site``) renders nothing the earlier runs already rendered, and the output is the same."""
    again = Preview(preview.root, tmp_path / "again")
    again.full_build()
    assert again.plugin.pages.rendered == []
    for name in ("standards/base-std.html", "curricula/base-course.html", "glossary.html", "index.html"):
        assert (tmp_path / "again" / name).read_text(encoding="utf-8") == \
            (preview.site_dir / name).read_text(encoding="utf-8"), name


def test_site_build_output_is_the_same_with_and_without_the_page_cache(tmp_path) -> None:
    root = project(tmp_path / "p")
    first = build_site(root, tmp_path / "cold")
    shutil.copytree(first, tmp_path / "cold-copy")
    second = build_site(root, tmp_path / "cold")  # every page from the cache
    different = [p.relative_to(second).as_posix() for p in sorted(second.rglob("*.html"))
                 if p.read_bytes() != (tmp_path / "cold-copy" / p.relative_to(second)).read_bytes()]
    assert different == []


def test_a_save_while_the_last_ones_pages_are_still_building_goes_first_and_nothing_stays_stale(tmp_path) -> None:
    """serve builds the saved document's pages at once and the rest (overviews, citing pages) on a
    thread; a newer save must not wait behind that rest, and what the rest left undone is built
    with the newer save's pages."""
    session = Preview(project(tmp_path / "p"), tmp_path / "served", background=True)
    session.full_build()
    std = session.root / "standards" / "base-std.yaml"
    with session._lock:  # the first save's thread cannot start its pages until the second save is in
        edit(std, "服务记录应按 [[annex-forms]] 保存。", "服务记录应按 [[annex-forms]] 保存，核对点一。")
        session.rebuild()
        first_rest = session._later
        edit(std, "核对点一。", "核对点二。")
        session.rebuild()
        assert "standards/base-std.md" in session.rebuilt and not OVERVIEWS & set(session.rebuilt)
    first_rest.join()
    session.wait()
    assert sorted(session.rebuilt).count("glossary.md") == 1  # built once, by the newer save's thread
    plugin = session.plugin
    stale = [s.uri for s in plugin.state.pages() if plugin.pages.key(s) != plugin.page_keys.get(s.uri)]
    assert stale == []
    assert "核对点二" in (session.site_dir / "standards" / "base-std.html").read_text(encoding="utf-8")
