"""The reference graph: what points at what, with the position it is written at.

Built once when the library loads. Every consumer asks it instead of walking documents and
resolving references itself: the E602 rule, cross-reference links, the coverage matrix, the
glossary's "used in", the sessions a change affects, and the pages a saved file invalidates.

Two steps, so that the first can be cached with the file it came from:
- ``extract(doc, entries)`` lists the references written in one document (file-local);
- ``Graph.build(lib, extracted)`` resolves them against the whole library.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .models import Document, Manual, Node

if TYPE_CHECKING:
    from .library import Entry, Library

INLINE_REF = re.compile(r"\[\[([^\[\]\s]+)\]\]")
PROVISIONS = frozenset({"chapter", "clause", "annex", "term"})
# The structured reference fields and the kinds of entry each may point at (the one list of them).
REF_FIELDS: dict[str, frozenset[str]] = {
    "implements": PROVISIONS,
    "covers": PROVISIONS,
    "worksheets": frozenset({"form"}),
    "record": frozenset({"form"}),
    "clauses": PROVISIONS,  # an item's standard clauses
    "rubric": frozenset({"rubric"}),
}
# Fields that are references only on some nodes (a clause's ``items`` are list text): (class name, field).
NODE_REF_FIELDS: dict[tuple[str, str], frozenset[str]] = {
    ("Component", "items"): frozenset({"item"}),
    ("PrePostTest", "items"): frozenset({"item"}),
}
DOCUMENTS = frozenset({"document"})  # a manual's meta.standard names a document


@dataclass(frozen=True)
class Written:
    """A reference as written in one file: plain data, so it can be cached with the file."""

    source: str  # key of the entry whose own text holds it ("doc#item", or "doc" for the document)
    field: str  # the field it is written in: covers, implements... or a text field for [[...]]
    ref: str  # as the editor wrote it
    path: tuple  # data path in the file (Source.where gives line and column)
    structured: bool  # a reference field (not [[...]] inside text)
    allowed: frozenset[str] | None = None  # kinds the target may be (None: any)


@dataclass(frozen=True, eq=False)
class Reference:
    written: Written
    source: Entry
    target: Entry | None  # None: dangling (E602)

    @property
    def field(self) -> str:
        return self.written.field

    @property
    def key(self) -> str:
        """The target's key, or for a dangling reference the key it names ("doc#item")."""
        if self.target is not None:
            return self.target.key
        ref = self.written.ref
        return ref if "#" in ref else f"{self.source.doc.id}#{ref}"

    @property
    def allowed(self) -> frozenset[str] | None:
        return self.written.allowed


def extract(doc: Document, entries: list[Entry]) -> list[Written]:
    """Every reference written in ``doc``, each attributed to the nearest entry around it."""
    by_node = {id(e.item): e.key for e in entries}
    found: list[Written] = []
    if isinstance(doc, Manual):
        found.append(Written(doc.id, "standard", doc.meta.standard, doc.meta._path + ("standard",), True, DOCUMENTS))
    _walk(doc, by_node[id(doc)], by_node, found)
    return found


def _walk(node: Node, owner: str, by_node: dict[int, str], found: list[Written]) -> None:
    owner = by_node.get(id(node), owner)
    for name in type(node).model_fields:
        value = getattr(node, name)
        values = value if isinstance(value, list) else [value]
        for i, v in enumerate(values):
            path = node._path + ((name, i) if isinstance(value, list) else (name,))
            if isinstance(v, Node):
                _walk(v, owner, by_node, found)
            elif isinstance(v, str):
                allowed = NODE_REF_FIELDS.get((type(node).__name__, name)) or REF_FIELDS.get(name)
                if allowed:
                    found.append(Written(owner, name, v, path, True, allowed))
                else:
                    found.extend(Written(owner, name, ref, path, False) for ref in INLINE_REF.findall(v))


@dataclass
class Graph:
    references: list[Reference] = field(default_factory=list)
    outgoing: dict[str, list[Reference]] = field(default_factory=dict)  # source entry key -> its references
    incoming: dict[str, list[Reference]] = field(default_factory=dict)  # target entry key -> references to it
    cites: dict[str, set[str]] = field(default_factory=dict)  # document id -> other documents it points at
    cited_by: dict[str, set[str]] = field(default_factory=dict)  # document id -> other documents pointing at it
    facts: list[Reference] = field(default_factory=list)  # [[fact:ID]] citations: checked against facts.yaml

    @classmethod
    def build(cls, lib: Library, written: dict[str, list[Written]]) -> Graph:
        """Resolve each document's written references (``written`` by document id) against ``lib``."""
        graph = cls()
        for doc in lib.documents:
            for w in written.get(doc.id, ()):
                source = lib.entries.get(w.source)
                if source is None:  # a duplicate ID: reported as E-dup, not a place references start from
                    continue
                if w.ref.startswith("fact:"):
                    graph.facts.append(Reference(w, source, None))
                    continue
                ref = Reference(w, source, lib.resolve(w.ref, doc))
                graph.references.append(ref)
                graph.outgoing.setdefault(w.source, []).append(ref)
                if ref.target is not None:
                    graph.incoming.setdefault(ref.target.key, []).append(ref)
                    if ref.target.doc.id != doc.id:
                        graph.cites.setdefault(doc.id, set()).add(ref.target.doc.id)
                        graph.cited_by.setdefault(ref.target.doc.id, set()).add(doc.id)
        return graph

    def targets(self, entry: Entry, field_name: str) -> list[Entry]:
        """What ``entry``'s field points at, resolved, in written order (e.g. a session's ``covers``)."""
        return [r.target for r in self.outgoing.get(entry.key, ()) if r.field == field_name and r.target is not None]

    def written_in(self, entry: Entry, field_name: str) -> list[Reference]:
        """The references in ``entry``'s field, resolved or not, in written order."""
        return [r for r in self.outgoing.get(entry.key, ()) if r.field == field_name]

    def referrers(self, entry: Entry, field_name: str | None = None) -> list[Entry]:
        """Entries that point at ``entry`` (through ``field_name`` only, if given), each once, in library order."""
        seen: dict[int, Entry] = {}
        for r in self.incoming.get(entry.key, ()):
            if (field_name is None or r.field == field_name) and r.source is not entry:
                seen.setdefault(id(r.source), r.source)
        return list(seen.values())

    def dangling(self) -> Iterator[Reference]:
        return (r for r in self.references if r.target is None)

    def cited_documents(self, doc_id: str) -> set[str]:
        """Documents that ``doc_id`` points at (their numbers and titles appear on its page)."""
        return self.cites.get(doc_id, set())

    def citing_documents(self, doc_id: str) -> set[str]:
        """Documents that point at ``doc_id``: their pages show its numbers and titles."""
        return self.cited_by.get(doc_id, set())
