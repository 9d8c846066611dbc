"""Editor text (Markdown) made safe, with [[ref]] cross-references turned into links.

Used by both the site and the print renderer, so a reference reads the same everywhere.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from .library import INLINE_REF, Entry, Library
from .models import Document

# A Markdown link target with a scheme other than http(s) or mailto (javascript:, data:, vbscript:).
_UNSAFE_SCHEME = re.compile(r"(\]\(\s*<?\s*)(?!https?:|mailto:)([a-zA-Z][\w+.\-]*):", re.IGNORECASE)

LinkFor = Callable[[Entry], "str | None"]


def safe_markdown(text: str) -> str:
    """Escape raw HTML and neutralise links with script-capable schemes (javascript:, data:)."""
    text = _UNSAFE_SCHEME.sub(r"\1#unsafe-\2-", text)
    return html.escape(text, quote=False)


def expand_refs(text: str, lib: Library, doc: Document, link_for: LinkFor) -> str:
    """Replace each [[ref]] with a Markdown link labelled with the target's number and title."""

    def replace(match: re.Match[str]) -> str:
        entry = lib.resolve(match.group(1), doc)
        if entry is None:
            return match.group(0)
        if entry.item is entry.doc:
            label = f"《{entry.title}》"
        elif entry.kind == "term":
            label = f"{entry.title}（{entry.number}）"  # GB/T 1.1 style: 服务对象（3.3）
            if entry.doc is not doc:
                label = f"《{entry.doc.title}》{label}"
        else:
            label = entry.number or entry.title if entry.kind in ("clause", "chapter", "annex", "form") else entry.label
            if entry.doc is not doc:
                label = f"《{entry.doc.title}》{label}"
        url = link_for(entry)
        return f"[{label}]({url})" if url else label

    return INLINE_REF.sub(replace, text)


def render_text(text: str, lib: Library, doc: Document, link_for: LinkFor) -> str:
    return expand_refs(safe_markdown(text), lib, doc, link_for)
