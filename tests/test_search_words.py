"""jieba words for the search index: glossary terms stay whole, and a second build reuses the cache."""

from __future__ import annotations

from pathlib import Path

import jieba

from handbook.rules import check_library
from handbook.search import glossary_words
from handbook.search.words import Segmenter

from .conftest import ROOT


def test_glossary_terms_and_aliases_are_cut_as_whole_words(tmp_path: Path) -> None:
    words = glossary_words(check_library(ROOT))
    assert {"社区康复", "动机式访谈", "强制隔离戒毒", "同伴辅导员"} <= set(words)  # the last is an alias
    plain = Segmenter(tmp_path / "a", [])
    ours = Segmenter(tmp_path / "b", words)
    for word in ("社区康复", "动机式访谈", "强制隔离戒毒"):
        sentence = f"协助{word}人员"
        assert word not in plain.cut(sentence), f"jieba alone keeps {word} whole: the test shows nothing"
        assert word in ours.cut(sentence)


def test_a_second_build_reuses_the_cache_without_jieba(tmp_path: Path, monkeypatch) -> None:
    first = Segmenter(tmp_path, ["动机式访谈"])
    text = "社区戒毒人员应按时报到禁毒社工开展动机式访谈"
    expected = first.cut(text)
    first.save()

    def no_jieba(*args, **kwargs):
        raise AssertionError("jieba was called although the run is cached")

    monkeypatch.setattr(jieba.Tokenizer, "cut", no_jieba)
    again = Segmenter(tmp_path, ["动机式访谈"])
    assert again.cut(text) == expected and "动机式访谈" in expected
    changed = Segmenter(tmp_path, ["动机式访谈", "按时报到"])
    assert changed.cache_file != again.cache_file  # another dictionary, another cache
