"""What search finds: one record per addressable place of the model, with its plain text.

A record is a clause, term, procedure (with its step table), method, case, session, form, or a
heading that groups them (chapter, annex, phase, module). Its *heading* strings (title, the
term itself, the English term, aliases) rank above its *body* (definition, text, items, steps).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..library import INLINE_REF, Entry, Library
from ..models import Annex, Clause, Form, Method, Module, Phase, Procedure, Session, Term, Vignette

# Exam items and rubrics are left out on purpose: the item bank stays off the site (issue 12).
KINDS = ("term", "clause", "chapter", "annex", "figure", "table", "procedure", "method", "case", "phase", "module",
         "session", "form")
_MARKUP = re.compile(r"\*\*|__|`|^#+\s|^>\s?|\[([^\]]*)\]\([^)]*\)", re.MULTILINE)


@dataclass
class Record:
    entry: Entry
    kind: str
    number: str
    title: str
    document: str
    url: str  # site-relative, with the entry's anchor
    headings: list[str]  # the title first, then the term's English name and aliases
    body: str
    implements: list[Entry]  # the standard clauses a procedure, method, case or session puts into practice


def plain(text: str, lib: Library, entry: Entry) -> str:
    """Editor Markdown as the words a reader sees: [[ref]] becomes its label, markup goes."""

    def label(match: re.Match[str]) -> str:
        fact = lib.fact(match.group(1))
        if fact is not None:  # [[fact:ID]] reads as its value, as on the page
            return fact.text
        target = lib.resolve(match.group(1), entry.doc)
        if target is None:
            return match.group(0)
        return f"《{target.title}》" if target.item is target.doc else target.label

    text = INLINE_REF.sub(label, text)
    return _MARKUP.sub(lambda m: m.group(1) or "", text)


def body_strings(item) -> list[str]:
    """The texts of ``item`` itself, not of the entries nested in it."""
    if isinstance(item, Term):
        return [item.definition, *item.notes, item.source]
    if isinstance(item, Clause):
        items = [t for i in item.items for t in ([i] if isinstance(i, str) else [i.text, *i.items])]
        tables = [cell for t in item.tables for cell in [t.title, *(c for row in t.rows for c in row), *t.notes]]
        figures = [text for f in item.figures for text in [f.title, *f.notes]]
        return [item.text, *items, *tables, *figures, *item.examples, *item.notes]
    if isinstance(item, Annex):
        return [item.text]
    if isinstance(item, Procedure):
        steps = [" ".join(s for s in (step.actor, step.action, step.time_limit) if s) for step in item.steps]
        return [item.purpose, *steps, *item.notes]
    if isinstance(item, Method):
        return [item.text, *item.items]
    if isinstance(item, Vignette):
        return [item.text, *item.discussion]
    if isinstance(item, Session):
        return [*item.objectives, *item.outline, *item.materials, item.assessment, item.trainer_role]
    if isinstance(item, Form):
        fields = [" ".join(s for s in (f.label, f.hint, *f.options) if s) for f in item.fields]
        return [item.purpose, *fields, item.note]
    if isinstance(item, Phase):
        return [*item.goals, item.period, item.assessment]
    if isinstance(item, Module):
        return []
    return [getattr(item, "text", "") or ""]  # chapters


def records(lib: Library, url_of) -> list[Record]:
    """Every searchable entry of the library in document order; ``url_of(entry)`` gives its URL or None."""
    out = []
    for doc in lib.documents:
        for entry in lib.entries_of(doc):
            if entry.kind not in KINDS:
                continue
            url = url_of(entry)
            if url is None:
                continue
            item = entry.item
            headings = [entry.title]
            if isinstance(item, Term):
                headings += [item.en, *getattr(item, "aliases", [])]
            body = "\n".join(plain(s, lib, entry) for s in body_strings(item) if s)
            refs = [*getattr(item, "implements", []), *getattr(item, "covers", [])]
            targets = [t for t in (lib.resolve(r, doc) for r in refs) if t is not None]
            out.append(Record(entry, entry.kind, entry.number, entry.title, doc.title, url,
                              [h for h in headings if h], body, targets))
    return out
