"""Headings and anchors read back from rendered HTML: the site page's TOC, the PDF's 目次."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_HEADING = re.compile(r"h[1-6]")


@dataclass
class Heading:
    level: int  # 1-6, the tag's level (or data-toc's, where present)
    id: str
    text: str
    children: list[Heading] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self, marked_only: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.marked_only = marked_only
        self.headings: list[Heading] = []
        self.ids: set[str] = set()
        self._open: tuple[str, int, str, list[str]] | None = None
        self._skip = 0  # inside a permalink: not part of the heading's text

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if self._open and tag == "a" and "headerlink" in (attrs.get("class") or "").split():
            self._skip += 1
        elif _HEADING.fullmatch(tag) and attrs.get("id") and (not self.marked_only or "data-toc" in attrs):
            self._open = (tag, int(attrs.get("data-toc") or tag[1]), attrs["id"], [])

    def handle_data(self, data):
        if self._open and not self._skip:
            self._open[3].append(data)

    def handle_endtag(self, tag):
        if self._skip and tag == "a":
            self._skip -= 1
        elif self._open and tag == self._open[0]:
            _, level, anchor, parts = self._open
            self.headings.append(Heading(level, anchor, re.sub(r"\s+", " ", "".join(parts)).strip()))
            self._open = None


def read(html: str, marked_only: bool = False) -> tuple[list[Heading], set[str]]:
    """(headings in order, every id) of ``html``; ``marked_only`` keeps headings with data-toc."""
    reader = _Reader(marked_only)
    reader.feed(html)
    reader.close()
    return reader.headings, reader.ids


def nest(headings: list[Heading]) -> list[Heading]:
    """Flat headings as a tree by level (a deeper heading belongs to the nearest shallower one)."""
    roots: list[Heading] = []
    stack: list[Heading] = []
    for h in headings:
        node = Heading(h.level, h.id, h.text)
        while stack and stack[-1].level >= node.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots
