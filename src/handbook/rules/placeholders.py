"""Editing hints: text still holding the scaffold's placeholder (see ``handbook.scaffold``)."""

from __future__ import annotations

from collections.abc import Iterator

from ..loader import iter_strings
from ..models import Document, Manual
from ..problems import W_PLACEHOLDER, Problem
from ..yamlsource import Source

MARKER = "【待填写】"


def check(doc: Document, src: Source) -> Iterator[Problem]:
    for _node, name, where, text in iter_strings(doc):
        if MARKER in text:
            yield src.problem(where, W_PLACEHOLDER, f"“{name}”仍是占位内容，请把“{MARKER}”换成正式内容")
    # A manual scaffolded before any standard existed points at itself until the editor fills it in.
    if isinstance(doc, Manual) and doc.meta.standard == doc.id:
        yield src.problem(doc.meta._path + ("standard",), W_PLACEHOLDER,
                          "手册依据的标准（standard）尚未填写：现在指向手册自身，请改为标准的文件 ID")
