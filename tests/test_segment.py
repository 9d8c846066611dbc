"""Search segmentation through the cache gives exactly what Material's own jieba pass gives."""

from __future__ import annotations

from pathlib import Path

import jieba
from material.plugins.search.plugin import SearchIndex

from handbook.loader import iter_strings
from handbook.rules import check_library
from handbook.site.segment import Segmenter

from .conftest import ROOT


def shipped_texts() -> list[str]:
    lib = check_library(ROOT)
    return [text for doc in lib.documents for *_, text in iter_strings(doc)]


def test_cached_segmentation_equals_materials_on_every_shipped_text(tmp_path: Path) -> None:
    ours = Segmenter(tmp_path / "segments.json")
    theirs = SearchIndex()
    texts = shipped_texts()
    assert len(texts) > 1000
    for text in texts:
        assert ours.segment(text) == theirs._segment_chinese(text), text


def test_a_second_build_reuses_the_cache_without_jieba(tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "segments.json"
    first = Segmenter(cache)
    text = "社区戒毒人员应按时报到，禁毒社工开展动机式访谈 3 次。"
    expected = first.segment(text)
    first.save()

    def no_jieba(*args, **kwargs):
        raise AssertionError("jieba was called although the run is cached")

    monkeypatch.setattr(jieba, "cut", no_jieba)
    again = Segmenter(cache)
    assert again.segment(text) == expected
    assert "\u200b" in expected and expected.count("\u200b") >= 4
