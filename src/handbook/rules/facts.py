"""One set of facts across the library: text that writes a fact out by hand instead of citing it.

For each fact in ``facts.yaml`` its ``statements`` find where a document states it in words
(“操守保持满 2 年”): a number that differs is a warning (W604), the same number an info
(I605, cite the fact so it is written once). ``conflicts`` are phrasings that contradict a
fact stated in words. Declared hours of the sessions a fact names must equal it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from ..facts import Fact, expand, number_value, unit_key
from ..library import INLINE_REF, Library
from ..loader import iter_strings
from ..models import Curriculum
from ..problems import I_FACT_RESTATED, W_FACT_CONTRADICTED, Problem
from .textpos import where_in

# Fields that are not prose: codes, English equivalents, IDs and references.
SKIP_FIELDS = {"id", "en", "title_en", "code", "ics", "ccs", "kind", "standard", "record", "implements", "covers",
               "worksheets", "type", "options", "source"}


@cache
def _compiled(patterns: tuple[str, ...]) -> list[re.Pattern[str]]:
    return [re.compile(expand(p)) for p in patterns]


def check(lib: Library) -> Iterator[Problem]:
    if not lib.facts:
        return
    facts = list(lib.facts.values())
    for doc in lib.documents:
        src = lib.sources[doc.id]
        for _node, name, where, text in iter_strings(doc):
            if name in SKIP_FIELDS:
                continue
            masked = INLINE_REF.sub(lambda m: " " * len(m.group()), text)  # cited facts are not restated
            for fact in facts:
                for problem in _statements(fact, masked):
                    offset, code, message = problem
                    line, column = where_in(src, where, text, offset)
                    yield Problem(src.file, line, column, code, message)
    yield from _declared_hours(lib, facts)


def _statements(fact: Fact, text: str) -> Iterator[tuple[int, str, str]]:
    cite = f"[[fact:{fact.id}]]"
    for pattern in _compiled(tuple(fact.conflicts)):
        for match in pattern.finditer(text):
            yield (match.start(), W_FACT_CONTRADICTED,
                   f"“{match.group().strip()}”与事实“{fact.id}”不一致：{fact.text}（{fact.description}）；请改为引用 {cite}")
    if isinstance(fact.value, str):
        return
    for pattern in _compiled(tuple(fact.statements)):
        for match in pattern.finditer(text):
            groups = match.groupdict()
            stated = number_value(groups.get("n")) if groups.get("n") else (1.0 if "n" in groups else None)
            if stated is None:
                continue
            unit = groups.get("u")
            same = stated == float(fact.value) and (unit is None or unit_key(unit) == unit_key(fact.unit))
            words = match.group().strip()
            if same:
                yield (match.start(), I_FACT_RESTATED,
                       f"“{words}”写出了事实“{fact.id}”（{fact.text}），建议改为引用 {cite}，全库只写一次")
            else:
                yield (match.start(), W_FACT_CONTRADICTED,
                       f"“{words}”与事实“{fact.id}”不一致：应为 {fact.text}（{fact.description}），请改为引用 {cite}")


def _declared_hours(lib: Library, facts: list[Fact]) -> Iterator[Problem]:
    for fact in facts:
        for ref in fact.hours:
            entry = lib.entries.get(ref)
            item = entry.item if entry else None
            hours = getattr(item.meta, "total_hours", None) if isinstance(item, Curriculum) else getattr(item, "hours", None)
            if hours is None or isinstance(fact.value, str) or float(hours) == float(fact.value):
                continue
            src = lib.sources[entry.doc.id]
            path = ("meta", "total_hours") if isinstance(item, Curriculum) else item._path + ("hours",)
            yield src.problem(path, W_FACT_CONTRADICTED,
                              f"“{entry.title}”声明 {hours:g} 学时，与事实“{fact.id}”不一致：应为 {fact.text}（{fact.description}）")
