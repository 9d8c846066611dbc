"""Wording of provisions: modal verbs (GB/T 1.1—2020 附录C), list lead-ins, labels and glosses.

Each rule is a warning that says how to fix the text; the problem is placed on the word itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..library import INLINE_REF
from ..loader import iter_strings, walk
from ..models import Clause, Document, Standard
from ..problems import (
    W_LABEL_DOUBLED,
    W_LATIN_GLOSS,
    W_LIST_MODAL_MISMATCH,
    W_LIST_MODAL_REPEATED,
    W_MODAL_ORDER,
    Problem,
)
from ..yamlsource import Source
from .textpos import where_in

# Words that hold 应/宜/可 without being modal verbs; blanked out (same length) before searching.
NOT_MODAL = re.compile(
    "适应|相应|反应|应对|应用|回应|供应|响应|效应|对应|应急|理应|答应|感应|顺应|应付|应聘|应届|应激"
    "|认可|许可|可靠|可行|可及|可持续|可能|可测量|可衡量|可识别|可疑|可视|可控|可见|可信|可怕|可口|可观|可惜|即可|可喜"
    "|适宜|便宜|事宜"
)
MODAL = re.compile("必须|不得|应当|应该|不应|不宜|不必|可以|不可|应|宜|可")
LEVEL = {"必须": "要求", "不得": "要求", "应当": "要求", "应该": "要求", "不应": "要求", "不可": "要求", "应": "要求",
         "宜": "推荐", "不宜": "推荐", "可": "允许", "可以": "允许", "不必": "允许"}
# 宜不少于 / 应不低于 …: the modal verb stands before a comparison instead of before the verb.
MODAL_BEFORE_AMOUNT = re.compile(
    r"(?P<modal>不应|不宜|应当|应|宜|可)(?P<cmp>不少于|不低于|不超过|不多于|不高于|不大于|不小于|少于|多于|低于|高于)"
    r"\s*(?=[\d零〇一二两三四五六七八九十百半])"
)
LABELS = {"note": "注", "notes": "注", "example": "示例", "examples": "示例"}
LABEL_AT_START = re.compile(r"^\s*(?P<label>注\s*\d*|示例\s*\d*)\s*[：:]")
NOTE_AND_EXAMPLE = re.compile(r"注\s*\d*\s*[：:]\s*示例\s*\d*\s*[：:]")
# A Latin word or phrase in parentheses right after Chinese text; all-capital acronyms (HIV) pass.
LATIN_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff”」])[（(]\s*(?P<word>[A-Za-z][A-Za-z \-'’.,/&]*[A-Za-z.])\s*[）)]")
GLOSS_FIELDS_SKIPPED = {"id", "en", "title_en", "code", "ics", "ccs", "bibliography", "kind", "standard", "record",
                        "implements", "covers", "worksheets", "type", "source"}


def modals(text: str) -> list[re.Match[str]]:
    blanked = NOT_MODAL.sub(lambda m: "□" * len(m.group()), INLINE_REF.sub(lambda m: "□" * len(m.group()), text))
    return list(MODAL.finditer(blanked))


def check(doc: Document, src: Source) -> Iterator[Problem]:
    for node, name, where, text in iter_strings(doc):
        at = lambda offset: where_in(src, where, text, offset)  # noqa: E731 - one place per problem
        if isinstance(doc, Standard):
            for match in MODAL_BEFORE_AMOUNT.finditer(text):
                modal, cmp = match.group("modal"), match.group("cmp")
                yield Problem(src.file, *at(match.start()), W_MODAL_ORDER,
                              f"“{modal}{cmp}”：能愿动词应放在动词前，“{cmp}”放在数量前，"
                              f"如把“每月接受督导{modal}{cmp} 1 次”改为“{modal}每月接受{cmp} 1 次督导”")
        if name in LABELS:
            label = LABELS[name]
            start = LABEL_AT_START.match(text)
            if start:
                written = start.group("label").strip()
                fix = (f"输出会自动加“{label}：”，请删去开头的“{written}：”" if written.startswith(label)
                       else f"这里是“{label}”，输出为“{label}：{written}：”；示例与注是两种附加信息，"
                            f"请删去“{written}：”写成{label}，或把示例改写进条文")
                yield Problem(src.file, *at(start.start("label")), W_LABEL_DOUBLED, f"“{written}：”标签重复：{fix}")
                continue
        for match in NOTE_AND_EXAMPLE.finditer(text):
            yield Problem(src.file, *at(match.start()), W_LABEL_DOUBLED,
                          "“注：示例：”标签重复：示例与注是两种附加信息，请只保留其中一个")
        if name not in GLOSS_FIELDS_SKIPPED:
            for match in LATIN_GLOSS.finditer(text):
                word = match.group("word")
                if word.isupper():
                    continue
                yield Problem(src.file, *at(match.start()), W_LATIN_GLOSS,
                              f"“{match.group()}”是夹注的外文词：中文正文不加外文夹注，请删去；"
                              "术语的英文对应词写在术语的 en 字段")
    if isinstance(doc, Standard):
        for node, path in walk(doc, ()):
            if isinstance(node, Clause) and node.items:
                yield from _list_modals(node, src)


def _list_modals(clause: Clause, src: Source) -> Iterator[Problem]:
    lead = clause.text.rstrip()
    if not lead.endswith(("：", ":")):
        return
    sentence = re.split(r"[。！？]", lead)[-1]
    found = modals(sentence)
    if not found:
        return
    lead_modal = found[0].group()
    level = LEVEL[lead_modal]
    for i, item in enumerate(clause.items):
        where = clause._path + ("items", i)
        if not isinstance(item, str):  # a ListItem: its own text leads its second level
            item, where = item.text, where + ("text",)
        item_modals = modals(item)
        if not item_modals:
            continue
        first = item_modals[0]
        if LEVEL[first.group()] == level:
            word = first.group()
            yield Problem(src.file, *where_in(src, where, item, first.start()), W_LIST_MODAL_REPEATED,
                          f"引导语已有“{lead_modal}”，列项中不必再写“{word}”：删去列项中的能愿动词（否定的写成“不……”），"
                          f"或删去引导语中的“{lead_modal}”、在每一项中分别写出")
        other = next((m for m in item_modals if LEVEL[m.group()] != level), None)
        if other is not None:
            word = other.group()
            yield Problem(src.file, *where_in(src, where, item, other.start()), W_LIST_MODAL_MISMATCH,
                          f"列项中的“{word}”（{LEVEL[word]}）与引导语的“{lead_modal}”（{level}）不一致："
                          f"把这一项移出列表另写一条，或改用与引导语一致的表述")
