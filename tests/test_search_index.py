"""The search index built from the model: one record per place, pairs of Han characters, shards."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from handbook.rules import check_library
from handbook.search import build_search
from handbook.search.index import postings, tokens
from handbook.search.records import records
from handbook.site.links import Links

from .conftest import ROOT


@pytest.fixture(scope="module")
def lib():
    return check_library(ROOT)


def url_of(lib):
    links = Links(lib)
    return lambda e: (links.target(e) or "").replace(".md", ".html", 1) or None


def test_han_text_is_cut_into_overlapping_pairs() -> None:
    assert tokens("社区康复") == ["社区", "区康", "康复"]
    assert tokens("岗前培训 40 学时，GB/T") == ["岗前", "前培", "培训", "40", "学时", "gb", "t"]
    assert tokens("毒") == ["毒"]  # a lone character is kept as itself
    assert tokens("ＡＢＣ１") == ["abc1"]  # full-width forms read as their ASCII


def test_one_record_per_clause_term_procedure_method_case_session_form(lib) -> None:
    recs = records(lib, url_of(lib))
    kinds = {r.kind for r in recs}
    assert {"clause", "term", "procedure", "method", "case", "session", "form"} <= kinds
    secret = {"item", "rubric"}  # the exam bank and its marking stay off the site, so out of search too
    wanted = [e for e in lib.entries.values() if e.kind != "document" and e.kind not in secret]
    assert len(recs) == len(wanted)
    assert not kinds & secret
    by_url = {r.url: r for r in recs}
    term = by_url["standards/jd-service-guide.html#service-recipient"]
    assert (term.number, term.title, term.document) == ("3.3", "服务对象", "禁毒社会工作服务指南（示例）")
    assert "戒毒人员" in term.headings  # aliases rank with the term itself
    procedure = next(r for r in recs if r.kind == "procedure")
    steps = lib.entries[f"jd-practice-manual#{procedure.url.split('#')[1]}"].item.steps
    assert all(s.actor in procedure.body for s in steps)  # the step table is part of its procedure
    assert not any("[[" in r.body for r in recs)  # references read as their labels, facts as their values
    assert "操守保持 3 年以上" in by_url["standards/jd-service-guide.html#peer-selection"].body
    clause = by_url["standards/jd-service-guide.html#records-case-file"]
    assert "一人一档" in clause.body


def decode(items: str) -> dict[int, tuple]:
    ids, last = {}, 0
    for item in items.split(","):
        m = re.fullmatch(r"([0-9a-z]+)(\*?)(\.?)(?::(\d+))?", item)
        last += int(m.group(1), 36)
        ids[last] = m.groups()[1:]
    return ids


def test_postings_mark_headings_and_counts(lib) -> None:
    recs = records(lib, url_of(lib))
    index = postings(recs, lambda run: [run])
    term = next(i for i, r in enumerate(recs) if r.title == "服务对象")
    assert decode(index["戒毒人员"])[term] == ("*", ".", None)  # the alias: a heading of the term, not in its text
    pairs = decode(index["戒毒"])
    assert len(pairs) > 50 and any(count and int(count) > 1 for *_, count in pairs.values())


def test_index_is_sharded_script_files(lib, tmp_path: Path) -> None:
    figures = build_search(lib, url_of(lib), tmp_path, tmp_path / "cache")
    out = tmp_path / "search"
    manifest = (out / "manifest.js").read_text(encoding="utf-8")
    assert manifest.startswith("hbSearch.manifest(")
    data = json.loads(manifest[len("hbSearch.manifest("):-3])
    shards = sorted(out.glob("p*.js"))
    assert len(shards) == len(data["shards"]) > 5
    assert len(sorted(out.glob("r*.js"))) == len(data["chunks"])
    assert max(p.stat().st_size for p in shards) < 40_000
    assert data["shards"] == sorted(data["shards"], key=lambda t: t.encode("utf-16-be"))
    assert figures["entries"] == data["entries"] and figures["bytes"] == sum(p.stat().st_size for p in out.iterdir())
    assert "\\u" not in (out / "r0.js").read_text(encoding="utf-8")  # stored as UTF-8, not escapes


def test_an_unchanged_library_is_not_indexed_again(lib, tmp_path: Path, monkeypatch) -> None:
    first = build_search(lib, url_of(lib), tmp_path / "one", tmp_path / "cache")
    import handbook.search as search

    def no_indexing(*args, **kwargs):
        raise AssertionError("indexed again although the library did not change")

    monkeypatch.setattr(search, "write_index", no_indexing)
    again = build_search(lib, url_of(lib), tmp_path / "two", tmp_path / "cache")
    assert again == first
    assert (tmp_path / "two" / "search" / "manifest.js").read_bytes() == (tmp_path / "one" / "search" / "manifest.js").read_bytes()


def test_aliases_are_checked_like_any_field(tmp_path: Path) -> None:
    from .conftest import write_base_library

    root = write_base_library(tmp_path)
    std = root / "standards" / "base-std.yaml"
    text = std.read_text(encoding="utf-8")
    std.write_text(text.replace("      term: 社区康复\n", "      term: 社区康复\n      aliases: 康复期\n", 1), encoding="utf-8")
    errors = [p.format() for p in check_library(root).errors if "base-std.yaml:" in p.format()]
    assert len(errors) == 1 and errors[0].startswith("standards/base-std.yaml:26:16: ") and "aliases" in errors[0]
    std.write_text(text.replace("      term: 社区康复\n", "      term: 社区康复\n      aliases: [康复期, '']\n", 1),
                   encoding="utf-8")
    assert [p for p in check_library(root).errors if "aliases" in p.format()]  # an empty alias
    std.write_text(text.replace("      term: 社区康复\n", "      term: 社区康复\n      aliases: [康复期]\n", 1), encoding="utf-8")
    lib = check_library(root)
    assert not lib.errors
    recs = records(lib, url_of(lib))
    assert "康复期" in next(r for r in recs if r.title == "社区康复").headings
