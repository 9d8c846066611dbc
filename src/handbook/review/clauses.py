"""The provisions of a standard a comment can name, in document order: the fixed parts (全文, 前言,
引言, 1 范围, 2 规范性引用文件, 3 术语和定义, 参考文献) and every chapter, clause, term and annex.

A comment names one by number as printed (5.2, 3.1, 附录A or A, A.1) or by stable ID; the comment
form lists them all, one row each."""

from __future__ import annotations

from dataclasses import dataclass

from ..library import Library
from ..models import Standard

KINDS = ("term", "chapter", "clause", "annex")


@dataclass(frozen=True)
class Provision:
    number: str  # as printed: "5.2", "附录A", "前言"
    title: str
    id: str = ""  # the editors' stable ID ("" for the fixed parts)
    order: int = 0

    @property
    def label(self) -> str:
        return " ".join(p for p in (self.number, self.title) if p)


def provisions(doc: Standard, lib: Library) -> list[Provision]:
    """Every provision of ``doc`` in document order (the comment form's rows)."""
    entries = [e for e in lib.entries_of(doc) if e.kind in KINDS]
    terms = [e for e in entries if e.kind == "term"]
    body = [e for e in entries if e.kind != "term"]
    rows = [("全文", "总体意见", ""), ("封面", "", ""), ("目次", "", ""), ("前言", "", "")]
    if doc.introduction.strip():
        rows.append(("引言", "", ""))
    rows += [("1", "范围", ""), ("2", "规范性引用文件", ""), ("3", "术语和定义", "")]
    rows += [(e.number, e.title, e.id) for e in terms]
    rows += [(e.number, e.title or _opening(e.item.text), e.id) for e in body]
    if doc.bibliography:
        rows.append(("参考文献", "", ""))
    return [Provision(n, t, i, k) for k, (n, t, i) in enumerate(rows)]


def _opening(text: str, width: int = 16) -> str:
    """An untitled clause is recognised by its first words."""
    plain = " ".join(text.split())
    return plain if len(plain) <= width else plain[:width] + "……"


NOT_ON_FORM = ("封面", "目次")  # a comment may name them; the form has no row for them
ALIASES = {"总体": "全文", "总体意见": "全文", "范围": "1",
           "规范性引用文件": "2", "术语和定义": "3"}


def find(name: str, found: list[Provision]) -> Provision | None:
    """The provision a comment names: its number (附录A also as A), its ID, or a fixed part's name."""
    key = str(name).strip().replace("．", ".").replace(" ", "")
    key = ALIASES.get(key, key)
    if len(key) == 1 and key.isalpha() and key.isupper():
        key = "附录" + key
    for p in found:
        if key in (p.number, p.id):
            return p
    return None
