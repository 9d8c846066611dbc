"""What a trainer runs a course with, computed from a curriculum: timed agendas, exam papers
and answer keys, scoring sheets, and the clause → session → item chain with its gaps.

Pure view data (no HTML): the print templates and the site pages both read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .library import Entry, Library
from .models import Component, Curriculum, Item, Phase, Rubric, Session
from .rules.curriculum import objective, sessions

LETTERS = "ABCDEFGH"
SECTION_ORDER = ["单选", "多选", "判断", "简答", "案例分析"]
SECTION_TITLES = {"单选": "单项选择题", "多选": "多项选择题", "判断": "判断题", "简答": "简答题", "案例分析": "案例分析题"}


# ------------------------------------------------------------------ agendas

@dataclass
class AgendaRow:
    start: str  # "09:00" or "" when the session has no start time
    end: str
    minutes: int
    elapsed: int  # minutes of teaching before this segment (pauses excluded)
    segment: object


def _clock(start: str, offset: int) -> str:
    h, m = map(int, start.split(":"))
    total = h * 60 + m + offset
    return f"{total // 60 % 24:02d}:{total % 60:02d}"


def agenda_rows(session: Session) -> list[AgendaRow]:
    rows, offset, elapsed = [], 0, 0
    for seg in session.agenda:
        start = _clock(session.start, offset) if session.start else ""
        end = _clock(session.start, offset + seg.minutes) if session.start else ""
        rows.append(AgendaRow(start, end, seg.minutes, elapsed, seg))
        offset += seg.minutes
        elapsed += 0 if seg.pause else seg.minutes
    return rows


# ------------------------------------------------------------------ exams

@dataclass
class Section:
    kind: str
    title: str
    items: list[Item]

    @property
    def score(self) -> float:
        return sum(i.score for i in self.items)


@dataclass
class Paper:
    phase: Phase
    component: Component
    sections: list[Section]

    @property
    def score(self) -> float:
        return sum(s.score for s in self.sections)

    @property
    def items(self) -> list[Item]:
        return [i for s in self.sections for i in s.items]


def _items(doc: Curriculum, refs: list[str]) -> list[Item]:
    by_id = {i.id: i for i in doc.items}
    return [by_id[r.removeprefix(f"{doc.id}#")] for r in refs if r.removeprefix(f"{doc.id}#") in by_id]


def sectioned(items: list[Item]) -> list[Section]:
    """Items grouped by kind in the usual paper order (一、单项选择题 …), numbered 1, 2, 3 … across the paper."""
    return [Section(k, SECTION_TITLES[k], [i for i in items if i.kind == k])
            for k in SECTION_ORDER if any(i.kind == k for i in items)]


def papers(doc: Curriculum, phases: list[Phase]) -> list[Paper]:
    return [Paper(p, c, sectioned(_items(doc, c.items))) for p in phases for c in p.components if c.items]


def pre_post_items(doc: Curriculum) -> list[Section]:
    return sectioned(_items(doc, doc.pre_post_test.items)) if doc.pre_post_test else []


def rubrics_of(doc: Curriculum, phases: list[Phase]) -> list[Rubric]:
    """The scoring sheets the given phases use, each once, in order of first use."""
    by_id = {r.id: r for r in doc.rubrics}
    seen: list[Rubric] = []
    for p in phases:
        for c in p.components:
            r = by_id.get((c.rubric or "").removeprefix(f"{doc.id}#"))
            if r is not None and r not in seen:
                seen.append(r)
    return seen


def answer_text(item: Item) -> str:
    if item.kind in ("单选", "多选"):
        return item.answer.strip().upper()
    return item.answer.strip()


def objective_label(doc: Curriculum, ref: str) -> str:
    found = objective(doc, ref)
    return f"{found[0].number} 目标{found[1]}" if found else ref


# ------------------------------------------------------------------ coverage chain

@dataclass
class ClauseChain:
    clause: Entry
    sessions: list[Session] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)  # items drawing on this clause
    rubric_criteria: list[str] = field(default_factory=list)


@dataclass
class Chain:
    rows: list[ClauseChain]
    taught_not_assessed: list[ClauseChain]
    objectives_without_items: list[tuple[Session, int, str]]  # session, n, text


def chain(doc: Curriculum, lib: Library, phases: list[Phase] | None = None) -> Chain:
    """Standard clause → the sessions that teach it → the items that test it, with the gaps."""
    phases = phases if phases is not None else doc.phases
    taught = [s for p in phases for m in p.modules for s in m.sessions]
    used = {i.id for p in phases for c in p.components for i in _items(doc, c.items)}
    used |= {i.id for i in _items(doc, doc.pre_post_test.items)} if doc.pre_post_test and phases == doc.phases else set()
    bank = [i for i in doc.items if i.id in used]
    rows: dict[str, ClauseChain] = {}
    for s in taught:
        for ref in s.covers:
            entry = lib.resolve(ref, doc)
            if entry is not None:
                rows.setdefault(entry.key, ClauseChain(entry)).sessions.append(s)
    for item in bank:
        for ref in item.clauses:
            entry = lib.resolve(ref, doc)
            if entry is not None and entry.key in rows:
                rows[entry.key].items.append(item)
    ordered = sorted(rows.values(), key=lambda r: _position(lib, r.clause))
    tested = {o for i in bank for o in i.objectives}
    tested |= {o for r in rubrics_of(doc, phases) for c in r.criteria for o in c.objectives}
    missing = [(s, n, text) for s in taught for n, text in enumerate(s.objectives, 1) if f"{s.id}/{n}" not in tested]
    return Chain(ordered, [r for r in ordered if not r.items], missing)


def _position(lib: Library, entry: Entry) -> tuple:
    docs = [d.id for d in lib.documents]
    keys = [e.key for e in lib.entries_of(entry.doc)]
    return (docs.index(entry.doc.id), keys.index(entry.key) if entry.key in keys else 0)


__all__ = ["LETTERS", "agenda_rows", "answer_text", "chain", "objective_label", "papers", "pre_post_items",
           "rubrics_of", "sectioned", "sessions"]
