"""How a reference reads, and where it points: one label per style, a URL from each output's linker.

``inline_label`` (``handbook.text.ref_label``) is the GB/T style for a [[ref]] inside running text ("服务对象（3.3）", "5.2.1",
"《文件》附录A"); ``ref_label`` is for the structured lists (covers, implements, worksheets,
record), which name the target in full ("5.2.1 危机干预"). Both prefix 《文件名》 when the target
lives in another document.
"""

from __future__ import annotations

from typing import Protocol

from ..library import Entry
from ..models import Document
from ..text import ref_label as inline_label  # the GB/T label of a [[ref]], decided where refs are parsed

__all__ = ["Linker", "inline_label", "ref_label"]


class Linker(Protocol):
    """Where a reference points in one output: the site links pages#anchors, the print #anchors."""

    def url(self, entry: Entry) -> str | None: ...


def _in(entry: Entry, doc: Document, label: str) -> str:
    return label if entry.doc is doc else f"《{entry.doc.title}》{label}"


def ref_label(entry: Entry, doc: Document) -> str:
    if entry.item is entry.doc:
        return f"《{entry.title}》"
    return _in(entry, doc, entry.label)
