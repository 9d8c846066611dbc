"""The fixed sentences of GB/T 1.1—2020 and the lines of a standard's 前言 built from its data."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Standard
from ..numbering import chinese_numeral
from ..rules.standard import NO_REFS, NO_TERMS, REFS_LEAD_IN

GBT_DRAFTING = "本文件按照GB/T 1.1—2020《标准化工作导则　第1部分：标准化文件的结构和起草规则》的规定起草。"
PATENT_NOTICE = "请注意本文件的某些内容可能涉及专利。本文件的发布机构不承担识别专利的责任。"
FIRST_EDITION = "本文件首次发布。"
PATENT_CALL = "在提交反馈意见时，请将您知道的相关专利连同支持性文件一并附上。"

__all__ = ["GBT_DRAFTING", "PATENT_NOTICE", "FIRST_EDITION", "PATENT_CALL", "NO_REFS", "NO_TERMS", "REFS_LEAD_IN",
           "refs_statement", "terms_statement", "supersedes_line", "source_line", "Release", "releases"]


def refs_statement(doc: Standard) -> str:
    refs = doc.normative_references
    return refs.statement or (REFS_LEAD_IN if refs.documents else NO_REFS)


def terms_statement(doc: Standard) -> str:
    return doc.terms.statement if doc.terms.entries else NO_TERMS


def supersedes_line(doc: Standard) -> str:
    return f"本文件代替{doc.cover.supersedes}。" if doc.cover.supersedes else ""


def source_line(source: str) -> str:
    """A term's source in the GB/T 1.1—2020 form (8.6.4): [来源：GB/T 20000.1—2014，5.2]."""
    return f"[来源：{source}]" if source else ""


@dataclass(frozen=True)
class Release:
    """One line of the 前言's history: "2024年第1版：首次发布；" (``changes`` are editor Markdown)."""

    year: int
    edition: str
    changes: list[str]


def releases(doc: Standard) -> tuple[str, list[Release], str]:
    """(lead sentence, earlier editions, closing sentence) of the 前言's edition history.

    One edition: "本文件首次发布。"; several: "本文件及其所代替文件的历次版本发布情况为：" then one dash line per edition."""
    history = doc.history
    if len(history) == 1:
        return FIRST_EDITION, [], ""
    lines = [Release(e.date.year, e.edition, list(e.changes)) for e in history]
    return "本文件及其所代替文件的历次版本发布情况为：", lines, f"本次为第{chinese_numeral(len(history) - 1)}次修订。"
