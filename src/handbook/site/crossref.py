"""Who refers to what: the reverse index behind the glossary's "used in" and the coverage page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..library import Entry, Library
from ..models import Clause, Curriculum, Document, Node, Standard


def own_texts(item: Node, entry_nodes: set[int]) -> Iterator[tuple[str, str]]:
    """(field, text) pairs of ``item`` itself, descending into sub-objects that are not entries."""
    for name in type(item).model_fields:
        value = getattr(item, name)
        values = value if isinstance(value, list) else [value]
        for v in values:
            if isinstance(v, str):
                yield name, v
            elif isinstance(v, Node) and id(v) not in entry_nodes:
                yield from own_texts(v, entry_nodes)


@dataclass
class CrossIndex:
    lib: Library
    referrers: dict[str, list[Entry]] = field(default_factory=dict)  # entry key -> entries referring to it
    mentions: dict[str, list[Entry]] = field(default_factory=dict)  # term wording -> entries whose text has it
    position: dict[str, int] = field(default_factory=dict)  # entry key -> place in the library

    @classmethod
    def build(cls, lib: Library) -> CrossIndex:
        index = cls(lib, position={key: i for i, key in enumerate(lib.entries)})
        nodes = {id(e.item) for e in lib.entries.values()}
        words = sorted({e.title for e in lib.entries.values() if e.kind == "term" and e.title}, key=len, reverse=True)
        wording = re.compile("|".join(map(re.escape, words))) if words else None
        for entry in lib.entries.values():
            # Exam items are printed for trainers only: the site has no page for them.
            referrers = [r for r in lib.graph.referrers(entry) if r.kind != "item"]
            if referrers:
                index.referrers[entry.key] = referrers
            if wording is not None and entry.item is not entry.doc and entry.kind != "item":
                text = "\n".join(text for _name, text in own_texts(entry.item, nodes))
                for word in set(wording.findall(text)):
                    index.mentions.setdefault(word, []).append(entry)
        return index

    def uses_of_term(self, term: Entry) -> list[Entry]:
        """Entries that reference ``term`` first, then those that mention its wording (longest match wins)."""
        kinds = ["standard", "manual", "curriculum"]

        def order(entries: list[Entry]) -> list[Entry]:  # standards first, then manuals, then curricula
            return sorted(entries, key=lambda e: (kinds.index(e.doc.kind), self.position[e.key]))

        found = order(self.referrers.get(term.key, []))
        seen = {e.key for e in found} | {term.key}
        return found + order([e for e in self.mentions.get(term.title, []) if e.key not in seen])


# ------------------------------------------------------------------ coverage

@dataclass
class ClauseCoverage:
    entry: Entry
    depth: int
    sessions: list[Entry]  # sessions that cover this clause directly
    inherited: bool  # an enclosing clause is covered
    partial: bool  # some clause inside it is covered
    implemented_by: list[Entry]  # manual procedures, methods, cases, chapters

    @property
    def covered(self) -> bool:
        return bool(self.sessions) or self.inherited or self.partial


def provisions(doc: Standard, lib: Library) -> Iterator[tuple[Entry, int, list[str]]]:
    """Every chapter, clause and annex of ``doc`` with its depth and the keys of its ancestors."""

    def walk(clauses: list[Clause], depth: int, ancestors: list[str]) -> Iterator[tuple[Entry, int, list[str]]]:
        for clause in clauses:
            entry = lib.entries.get(f"{doc.id}#{clause.id}")
            if entry is None or entry.item is not clause:
                continue
            yield entry, depth, ancestors
            yield from walk(clause.clauses, depth + 1, ancestors + [entry.key])

    for top in [*doc.chapters, *doc.annexes]:
        entry = lib.entries.get(f"{doc.id}#{top.id}")
        if entry is None or entry.item is not top:
            continue
        yield entry, 0, []
        yield from walk(top.clauses, 1, [entry.key])


def coverage(doc: Standard, lib: Library, index: CrossIndex) -> list[ClauseCoverage]:
    """Per provision of ``doc``: the sessions that teach it and the manual parts that implement it."""
    rows = list(provisions(doc, lib))
    direct = {e.key: lib.graph.referrers(e, "covers") for e, _, _ in rows}
    covered = {key for key, sessions in direct.items() if sessions}
    has_covered_descendant = {a for e, _, anc in rows if e.key in covered for a in anc}
    result = []
    for entry, depth, ancestors in rows:
        result.append(ClauseCoverage(
            entry, depth, direct[entry.key],
            inherited=any(a in covered for a in ancestors),
            partial=entry.key in has_covered_descendant,
            implemented_by=lib.graph.referrers(entry, "implements"),
        ))
    return result


def sessions_of(doc: Curriculum, lib: Library) -> list[Entry]:
    return lib.entries_of(doc, "session")


def standards(lib: Library) -> list[Document]:
    return [d for d in lib.documents if isinstance(d, Standard)]
