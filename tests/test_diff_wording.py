"""`diff` shows the old and the new wording of a reworded field, word by word (Chinese by character)."""

from __future__ import annotations

import json

from handbook.diff import Rewording, tokens

from .test_diff import run
from .test_site_revisions import committed, git, reword_process
from .conftest import write_base_library


def test_chinese_is_compared_by_character_and_latin_words_and_numbers_whole() -> None:
    assert tokens("在 3 个工作日内 GB/T 1.1—2020") == ["在", " ", "3", " ", "个", "工", "作", "日", "内", " ",
                                                   "GB/T", " ", "1.1—2020"]
    w = Rewording("text", "禁毒社工应当在接案后 3 个工作日内完成评估。", "禁毒社工须在接案后 5 个工作日内完成初步评估。")
    assert w.segments == [("same", "禁毒社工"), ("del", "应当"), ("ins", "须"), ("same", "在接案后 "), ("del", "3"),
                          ("ins", "5"), ("same", " 个工作日内完成"), ("ins", "初步"), ("same", "评估。")]
    assert w.inline() == "禁毒社工[-应当-]{+须+}在接案后 [-3-]{+5+} 个工作日内完成{+初步+}评估。"
    # Both sides can be rebuilt from the segments.
    assert "".join(t for op, t in w.segments if op != "ins") == w.old
    assert "".join(t for op, t in w.segments if op != "del") == w.new


def test_diff_prints_and_exports_old_and_new_wording(tmp_path) -> None:
    root = committed(write_base_library(tmp_path))
    git(root, "tag", "v1")
    reword_process(root)
    code, out, _ = run(root, "diff")
    assert code == 0
    assert "文字修改 章 5 服务流程（process）：修改了文字" in out
    assert "    文字：服务按接案、预估、计划、介入、评估、结案{+六个环节+}进行。" in out
    code, out, _ = run(root, "diff", "--format", "json")
    change = next(c for c in json.loads(out)["changes"] if c["change"] == "reworded")
    assert change["wording"] == [{
        "field": "text",
        "old": "服务按接案、预估、计划、介入、评估、结案进行。",
        "new": "服务按接案、预估、计划、介入、评估、结案六个环节进行。",
        "segments": [["same", "服务按接案、预估、计划、介入、评估、结案"], ["ins", "六个环节"], ["same", "进行。"]],
    }]
