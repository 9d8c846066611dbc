"""Tables that read on a phone: every body cell carries its column's label.

Below the phone breakpoint the stylesheet turns each row into a card of "label: value" lines
(``td::before { content: attr(data-label) }``), so no column hides behind a scrollbar; on wider
screens cells wrap, so no table needs a scroll region the keyboard cannot reach. The table keeps
its real markup, and explicit ARIA roles keep its semantics for screen readers when CSS changes
its display. Works on any page's HTML (generated or hand-written), after rendering, independent
of the theme.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

_ROLES = {"table": "table", "tr": "row", "th": "columnheader", "td": "cell"}


def readable_tables(page: str) -> str:
    """``page`` with each table's cells labelled and roles made explicit (other markup byte for byte)."""
    if "<table" not in page:
        return page
    rewriter = _Rewriter()
    rewriter.feed(page)
    rewriter.close()
    return "".join(rewriter.out)


class _Table:
    def __init__(self) -> None:
        self.labels: list[str] = []
        self.in_head = False
        self.header_cell: list[str] | None = None  # text of the <th> being read in <thead>
        self.column = 0
        self.header_span = 1


class _Rewriter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.tables: list[_Table] = []

    # Text and everything else pass through unchanged.
    def handle_data(self, data: str) -> None:
        self.out.append(data)
        table = self.tables[-1] if self.tables else None
        if table and table.header_cell is not None:
            table.header_cell.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_starttag(self, tag: str, attrs) -> None:
        text = self.get_starttag_text() or ""
        table = self.tables[-1] if self.tables else None
        if tag == "table":
            self.tables.append(_Table())
            self.out.append(_with(text, {"role": "table"}))
            return
        if table is None:
            self.out.append(text)
            return
        extra: dict[str, str] = {}
        if tag in _ROLES:
            extra["role"] = _ROLES[tag]
        if tag == "thead":
            table.in_head = True
        elif tag == "tr":
            table.column = 0
        elif tag in ("th", "td"):
            span = _span(attrs)
            if table.in_head:
                if tag == "th":
                    table.header_cell, table.header_span = [], span
            else:
                if tag == "th":
                    extra["role"] = "rowheader"
                label = table.labels[table.column] if table.column < len(table.labels) else ""
                if label and not any(name == "data-label" for name, _ in attrs):
                    extra["data-label"] = label
            table.column += span
        self.out.append(_with(text, extra))

    def handle_endtag(self, tag: str) -> None:
        table = self.tables[-1] if self.tables else None
        if table is not None:
            if tag == "thead":
                table.in_head = False
            elif tag == "th" and table.header_cell is not None:
                label = " ".join("".join(table.header_cell).split())
                table.labels += [html.unescape(label)] * table.header_span
                table.header_cell = None
        self.out.append(f"</{tag}>")
        if tag == "table" and table is not None:
            self.tables.pop()


def _span(attrs) -> int:
    for name, value in attrs:
        if name == "colspan" and value and value.isdigit():
            return max(1, int(value))
    return 1


def _with(start_tag: str, extra: dict[str, str]) -> str:
    """``start_tag`` with attributes added (existing ones are never replaced)."""
    if not extra:
        return start_tag
    end = -2 if start_tag.endswith("/>") else -1
    added = "".join(f' {name}="{html.escape(value, quote=True)}"' for name, value in extra.items()
                    if f" {name}=" not in start_tag)
    return start_tag[:end] + added + start_tag[end:]
