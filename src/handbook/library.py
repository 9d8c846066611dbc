"""The loaded library: documents, their sources, and every addressable item by reference."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .graph import INLINE_REF, Graph  # noqa: F401  (INLINE_REF: re-exported for the renderers)
from .models import Document, Node
from .problems import Problem
from .yamlsource import Source

if TYPE_CHECKING:
    from .facts import Fact


@dataclass(eq=False)  # an entry is itself: comparing by value would walk whole document trees
class Entry:
    """Something a reference can point at: a document, clause, term, annex, form, session..."""

    doc: Document
    item: Node
    kind: str
    id: str
    number: str
    title: str

    @property
    def key(self) -> str:
        return f"{self.doc.id}#{self.id}" if self.item is not self.doc else self.doc.id

    @property
    def label(self) -> str:
        """How a reference to this entry reads in text, e.g. "5.2.1 危机干预" or "附录A"."""
        return " ".join(part for part in (self.number, self.title) if part)


@dataclass
class Library:
    documents: list[Document] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)  # by document id
    entries: dict[str, Entry] = field(default_factory=dict)  # "doc#item" and "doc"
    problems: list[Problem] = field(default_factory=list)
    unusable: dict[str, str] = field(default_factory=dict)  # file that could not be loaded -> its id ("" if none)
    graph: Graph = field(default_factory=Graph)  # who refers to what; built by the loader
    digests: dict[str, str] = field(default_factory=dict)  # document id -> sha256 of its file
    facts: dict[str, Fact] = field(default_factory=dict)  # facts.yaml, cited as [[fact:ID]]
    facts_source: Source | None = None
    _by_doc: dict[int, list[Entry]] = field(default_factory=dict, init=False, repr=False)

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents if d.id == doc_id), None)

    def resolve(self, ref: str, context: Document) -> Entry | None:
        key = ref if "#" in ref else f"{context.id}#{ref}"
        return self.entries.get(key) or (self.entries.get(ref) if "#" not in ref else None)

    def suggest(self, ref: str, context: Document) -> str | None:
        """The nearest existing reference: a local ID first, then any "doc#id" in the library."""
        if "#" in ref:
            pools = [(ref, list(self.entries))]
        else:
            local = [k.split("#", 1)[1] for k in self.entries if k.startswith(context.id + "#")]
            pools = [(ref, local), (f"{context.id}#{ref}", list(self.entries))]
        for wanted, candidates in pools:
            match = difflib.get_close_matches(wanted, candidates, n=1, cutoff=0.6)
            if match:
                return match[0]
        return None

    def entries_of(self, doc: Document, kind: str | None = None) -> list[Entry]:
        if not self._by_doc:  # indexed on first use: the library does not change once loaded
            for entry in self.entries.values():
                self._by_doc.setdefault(id(entry.doc), []).append(entry)
        return [e for e in self._by_doc.get(id(doc), ()) if kind is None or e.kind == kind]

    def subset(self, keep: set[str] | None) -> Library:
        """The same library showing only the documents in ``keep`` (all when None)."""
        if keep is None:
            return self
        docs = [d for d in self.documents if d.id in keep]
        return Library(docs, self.sources, self.entries, self.problems, self.unusable, self.graph, self.digests,
                       self.facts, self.facts_source)

    def fact(self, ref: str) -> Fact | None:
        """The fact a ``fact:ID`` reference cites (None for other references and unknown facts)."""
        return self.facts.get(ref[5:]) if ref.startswith("fact:") else None

    def unusable_file(self, ref: str) -> str:
        """The file of the unloadable document ``ref`` points into ("" if it points elsewhere)."""
        doc_id = ref.split("#", 1)[0] if "#" in ref else ref
        return next((file for file, i in self.unusable.items() if i and i == doc_id), "")

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]
