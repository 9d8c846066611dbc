"""Small helpers for writing Markdown safely: escaped plain strings, tables, lists, headings."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..text import md_text

_PIPE = re.compile(r"(?<!\\)\|")


def esc(text: object) -> str:
    """A plain string (title, name, date) shown literally: no Markdown, no HTML."""
    return md_text(str(text))


def heading(level: int, text: str, anchor: str | None = None, classes: str = "") -> str:
    """An ATX heading with a fixed id; beyond level 6 a bold paragraph carrying the id."""
    attrs = " ".join(filter(None, [f"#{anchor}" if anchor else "", *(f".{c}" for c in classes.split())]))
    if level <= 6:
        return f"{'#' * level} {text}" + (f" {{ {attrs} }}" if attrs else "") + "\n"
    return f"**{text}**\n{{: {attrs} .hb-deep }}\n" if attrs else f"**{text}**\n"


def cell(markdown: str) -> str:
    """Markdown that must fit in one table cell."""
    lines = [line.strip() for line in markdown.strip().splitlines() if line.strip()]
    return _PIPE.sub(r"\\|", "<br>".join(lines)) or " "


def table(head: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    head = list(head)
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def indent(markdown: str, spaces: int = 4) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line.strip() else "" for line in markdown.splitlines())


def bullets(items: Iterable[str]) -> str:
    """A bulleted list of Markdown items (continuation lines indented)."""
    out = []
    for item in items:
        first, _, rest = item.strip().partition("\n")
        out.append(f"- {first}" + (f"\n{indent(rest)}" if rest.strip() else ""))
    loose = any("\n" in item for item in out)  # multi-paragraph items need blank lines between items
    return ("\n\n" if loose else "\n").join(out) + "\n" if out else ""


def join(*blocks: str) -> str:
    """Markdown blocks separated by blank lines, empty ones dropped."""
    return "\n\n".join(b.strip("\n") for b in blocks if b and b.strip()) + "\n"
