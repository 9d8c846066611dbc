"""Display numbers computed from position, and the entries every reference resolves to.

Editors give stable slugs; 5.2.1, 附录A, 第二阶段 and 第3讲 follow from where an item stands,
so inserting a clause renumbers everything after it and breaks no link.
"""

from __future__ import annotations

from collections.abc import Iterator

from .library import Entry
from .models import Annex, Clause, Curriculum, Document, Manual, Node, Standard

# A standard's chapters 1–3 are 范围, 规范性引用文件 and 术语和定义; core chapters follow.
FIRST_CORE_CHAPTER = 4
_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, for 1..99."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def annex_letter(index: int) -> str:
    # GB/T 1.1 skips I and O so they are not read as 1 and 0.
    letters = [c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in "IO"]
    return letters[index]


def number_document(doc: Document) -> Iterator[Entry]:
    """Set ``_number`` on every numbered node of ``doc`` and yield its entries."""
    yield Entry(doc, doc, "document", doc.id, "", doc.title)
    if isinstance(doc, Standard):
        yield from _number_standard(doc)
    elif isinstance(doc, Manual):
        yield from _number_manual(doc)
    elif isinstance(doc, Curriculum):
        yield from _number_curriculum(doc)


def _clauses(doc: Document, clauses: list[Clause], prefix: str, kind: str) -> Iterator[Entry]:
    for i, clause in enumerate(clauses, 1):
        clause._number = f"{prefix}.{i}" if prefix else str(i)
        yield Entry(doc, clause, kind, clause.id, clause._number, clause.title)
        yield from _clauses(doc, clause.clauses, clause._number, "clause")


def tree(node: Clause | Annex) -> Iterator[Clause | Annex]:
    """``node`` and every clause under it, in reading order."""
    yield node
    for child in node.clauses:
        yield from tree(child)


def _figures_and_tables(doc: Standard, parts: list[Clause | Annex], prefix: str,
                        counts: dict[str, int]) -> Iterator[Entry]:
    """图N / 表N in the body (continuous over chapters), 图A.1 / 表A.1 in annex A."""
    for part in parts:
        for node in tree(part):
            for kind, label, items in (("table", "表", node.tables), ("figure", "图", node.figures)):
                for item in items:
                    counts[kind] += 1
                    item._number = f"{label}{prefix}{counts[kind]}"
                    yield Entry(doc, item, kind, item.id, item._number, item.title)


def _number_standard(doc: Standard) -> Iterator[Entry]:
    for i, term in enumerate(doc.terms.entries, 1):
        term._number = f"3.{i}"
        yield Entry(doc, term, "term", term.id, term._number, term.term)
    for i, chapter in enumerate(doc.chapters, FIRST_CORE_CHAPTER):
        chapter._number = str(i)
        yield Entry(doc, chapter, "chapter", chapter.id, chapter._number, chapter.title)
        yield from _clauses(doc, chapter.clauses, chapter._number, "clause")
    yield from _figures_and_tables(doc, doc.chapters, "", {"table": 0, "figure": 0})
    for i, annex in enumerate(doc.annexes):
        letter = annex_letter(i)
        annex._number = f"附录{letter}"
        yield Entry(doc, annex, "annex", annex.id, annex._number, annex.title)
        yield from _clauses(doc, annex.clauses, letter, "clause")
        counts = {"table": 0, "figure": 0}
        yield from _figures_and_tables(doc, [annex], f"{letter}.", counts)
        for j, form in enumerate(annex.forms, counts["table"] + 1):  # forms are tables: one 表 sequence
            form._number = f"表{letter}.{j}"
            yield Entry(doc, form, "form", form.id, form._number, form.title)


def _number_manual(doc: Manual) -> Iterator[Entry]:
    for i, chapter in enumerate(doc.chapters, 1):
        chapter._number = str(i)
        yield Entry(doc, chapter, "chapter", chapter.id, chapter._number, chapter.title)
        parts: list[tuple[str, Node]] = [
            *(("procedure", p) for p in chapter.procedures),
            *(("method", m) for m in chapter.methods),
            *(("case", c) for c in chapter.cases),
        ]
        for j, (kind, part) in enumerate(parts, 1):
            part._number = f"{i}.{j}"
            yield Entry(doc, part, kind, part.id, part._number, part.title)
    yield from _forms(doc)


def _number_curriculum(doc: Curriculum) -> Iterator[Entry]:
    session_no = 0
    for i, phase in enumerate(doc.phases, 1):
        phase._number = f"第{chinese_numeral(i)}阶段"
        yield Entry(doc, phase, "phase", phase.id, phase._number, phase.title)
        for j, module in enumerate(phase.modules, 1):
            module._number = f"模块{i}.{j}"
            yield Entry(doc, module, "module", module.id, module._number, module.title)
            for session in module.sessions:
                session_no += 1
                session._number = f"第{session_no}讲"
                yield Entry(doc, session, "session", session.id, session._number, session.title)
    yield from _forms(doc)
    for i, rubric in enumerate(doc.rubrics, len(doc.forms) + 1):  # scoring sheets are tables too
        rubric._number = f"表{i}"
        yield Entry(doc, rubric, "rubric", rubric.id, rubric._number, rubric.title)
    for i, item in enumerate(doc.items, 1):
        item._number = f"题{i}"
        yield Entry(doc, item, "item", item.id, item._number, item.kind)


def _forms(doc: Manual | Curriculum) -> Iterator[Entry]:
    for i, form in enumerate(doc.forms, 1):
        form._number = f"表{i}"
        yield Entry(doc, form, "form", form.id, form._number, form.title)
