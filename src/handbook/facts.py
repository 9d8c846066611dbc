"""Facts stated once for the whole library (``facts.yaml``) and cited in text as ``[[fact:ID]]``.

A fact is a value several documents rely on: a deadline, a number of hours, a threshold, a
rule of practice. It is written once, with the clause that lays it down, and every text that
needs it cites it with the project's reference syntax, so the site and the PDF print the same
value everywhere. ``statements`` teach the consistency rule (``rules.facts``) how documents
write the fact out in words, so a number typed by hand that disagrees is found.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from .models import Node, Ref, Slug
from .problems import E_DUP_ID, Problem
from .yamlsource import Source, read_source

FACTS_FILE = "facts.yaml"
PREFIX = "fact:"

# What ``{n}`` and ``{u}`` stand for in a statement pattern.
NUMBER = r"(?P<n>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百]+)"
UNIT = r"(?P<u>个工作日|工作日|个月|月|周|星期|天|日|年|学时|小时|次)"
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def expand(pattern: str) -> str:
    """A statement pattern as a regular expression: ``{n}`` a number (Arabic or Chinese, spaces
    around it allowed), ``{n?}`` a number that may be left out (“每周” is once a week), ``{u}`` a unit."""
    return (pattern.replace("{n?}", rf"\s*{NUMBER}?\s*").replace("{n}", rf"\s*{NUMBER}\s*")
            .replace("{u}", UNIT))


class Fact(Node):
    id: Slug
    value: int | float | str = Field(description="取值：数字（如 3、40）或一句文字")
    unit: str = Field("", description="单位，如“年”“学时”“个工作日”；文字取值不填")
    source: Ref = Field(description="规定这一事实的条款，写“文件ID#条目ID”，如 jd-service-guide#peer-selection")
    basis: str = Field("", description="法律、政策依据，如“《戒毒条例》第十四条”")
    description: str = Field(description="这一事实是什么、用在哪里")
    statements: list[str] = Field(
        default_factory=list,
        description="文件中写出这一事实的说法（正则表达式），{n} 代表数字、{u} 代表单位，用于发现写错的数值",
    )
    conflicts: list[str] = Field(default_factory=list, description="与这一事实相矛盾的说法（正则表达式），文字取值用")
    hours: list[Ref] = Field(default_factory=list, description="声明学时必须等于取值的阶段、模块或课次")

    @field_validator("statements", "conflicts")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(expand(pattern))
            except re.error as exc:
                raise PydanticCustomError("pattern_invalid", "正则表达式“{pattern}”无法解析（{error}）",
                                          {"pattern": pattern, "error": str(exc)}) from None
        return patterns

    @property
    def text(self) -> str:
        """How a citation reads: “3 年”, “40 学时”, or the sentence itself."""
        if isinstance(self.value, str):
            return self.value
        number = f"{self.value:g}" if isinstance(self.value, float) else str(self.value)
        return f"{number} {self.unit}" if self.unit else number

    @property
    def label(self) -> str:
        return f"{self.text}（{self.description}）"


class FactsFile(Node):
    facts: list[Fact] = Field(default_factory=list, description="事实清单")


def number_value(text: str | None) -> float | None:
    """3, 3.5, 三, 十五, 二十四, 两 -> a number; None for no text."""
    if text is None:
        return None
    if text[0].isdigit():
        return float(text)
    total, current = 0, 0
    for char in text:
        if char in _DIGITS:
            current = _DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
    return float(total + current)


def unit_key(unit: str) -> str:
    """Units that mean the same compare equal: 个月/月, 天/日, 星期/周, 个工作日/工作日."""
    unit = unit.removeprefix("个")
    return {"天": "日", "星期": "周"}.get(unit, unit)


def load_facts(path: Path, name: str, problems: list[Problem]) -> tuple[dict[str, Fact], Source | None]:
    """Read ``facts.yaml`` with the project's YAML reader: positions, and the same messages as documents."""
    from .loader import schema_problems, walk  # the loader imports the library, which imports nothing of ours

    src = read_source(path, name)
    problems.extend(src.problems)
    if not isinstance(src.data, dict):
        return {}, src
    try:
        parsed = FactsFile.model_validate(src.data)
    except ValidationError as exc:
        problems.extend(schema_problems(src, FactsFile, exc.errors()))
        return {}, src
    for node, node_path in walk(parsed, ()):
        node._path = node_path
    facts: dict[str, Fact] = {}
    for fact in parsed.facts:
        if fact.id in facts:
            first = src.where(facts[fact.id]._path)
            problems.append(src.problem(fact._path + ("id",), E_DUP_ID,
                                        f"事实 ID“{fact.id}”重复（第一次出现在第 {first[0]} 行）"))
            continue
        facts[fact.id] = fact
    return facts, src
