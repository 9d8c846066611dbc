"""“表N（续）”: a table that breaks across pages gets its caption again, marked 续, on every
page it continues on, with its header rows (GB/T 1.1—2020 practice).

WeasyPrint repeats a ``<thead>`` by itself, but CSS cannot caption a table's second fragment
differently from its first. So layout runs twice when needed: the first pass finds, from the
laid-out pages, the first row of every page a table continues on; the HTML is then cut there
into a continuation part (``LABEL（续）`` caption, the same ``<thead>``, forced onto a new page so
the break stays where it was) and laid out again. A part that itself breaks is cut on the
next pass.

Any table can take part, whoever renders it: its wrapper carries ``data-continued="LABEL"``
(e.g. "表1", "表A.2") and ``data-table="ID"`` (unique in the document), its first ``<p>`` is
the caption (its class is reused for the 续 caption), and each body row ``data-row="N"``
(numbered from 0, unique in the table). See render/templates/elements.html and macros.html (forms).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

MAX_PASSES = 6


def render(html: str, base_url: str | None = None, url_fetcher=None, **options):
    """Lay out ``html`` (a WeasyPrint Document) with 续 captions on every continued table."""
    import weasyprint

    extra = {"url_fetcher": url_fetcher} if url_fetcher else {}
    document = weasyprint.HTML(string=html, base_url=base_url, **extra).render(**options)
    for _ in range(MAX_PASSES):
        cuts = splits(document)
        if not cuts or "data-continued" not in html:
            break
        html = cut(html, cuts)
        document = weasyprint.HTML(string=html, base_url=base_url, **extra).render(**options)
    return document


def _rows(box, part: tuple[str, str] | None) -> Iterator[tuple[tuple[str, str], int]]:
    element = getattr(box, "element", None)
    if element is not None and getattr(box, "element_tag", None) and hasattr(element, "get"):
        if element.get("data-table"):
            part = (element.get("data-table"), element.get("data-part", "0"))
        row = element.get("data-row") if box.element_tag == "tr" else None
        if row is not None and part is not None:
            yield part, int(row)
            return
    for child in getattr(box, "children", ()):
        yield from _rows(child, part)


def splits(document) -> list[tuple[str, int]]:
    """(table id, row) for every row that opens a page a part of its table continues on."""
    seen: set[tuple[str, str]] = set()
    found = []
    for page in document.pages:
        first_on_page: dict[tuple[str, str], int] = {}
        for part, row in _rows(page._page_box, None):
            first_on_page.setdefault(part, row)
        for part, row in first_on_page.items():
            if part in seen:
                found.append((part[0], row))
            seen.add(part)
    return found


_PART = re.compile(r'<(?P<tag>div|section)\b[^>]*\bdata-table="(?P<id>[^"]+)"[^>]*>')


def cut(html: str, cuts: list[tuple[str, int]]) -> str:
    """Close each table before the given row and open its 续 part there.

    A table whose caption is its first header row (``tr.caption-row``) lays out the same in
    every pass, so all its cuts are made at once; for any other table only the first, since
    the 续 caption it adds moves the rows after it."""
    chosen: dict[str, list[int]] = {}
    for table, row in cuts:
        chosen.setdefault(table, []).append(row)
    todo = []
    for table, rows in chosen.items():
        first = next((m.start() for m in _PART.finditer(html) if m["id"] == table), 0)
        exact = 'class="caption-row"' in html[first:_row_position(html, table, 0)]
        todo += [(table, r) for r in (rows if exact else [min(rows)])]
    for table, row in sorted(todo, key=lambda c: -_row_position(html, *c)):
        at = _row_position(html, table, row)
        if at < 0:
            continue
        start = max(m.start() for m in _PART.finditer(html, 0, at) if m["id"] == table)
        wrapper = _PART.match(html, start)
        label = re.search(r'data-continued="([^"]*)"', wrapper.group()).group(1)
        inside = html[start:at]
        table_tag = re.search(r"<table\b[^>]*>", inside).group()
        head = re.search(r"<thead\b.*?</thead>", inside, re.DOTALL)
        columns = re.search(r"<colgroup\b.*?</colgroup>", inside, re.DOTALL)  # the part keeps the widths
        body_tag = re.search(r"<tbody\b[^>]*>", inside)
        caption = ""
        head_html = head.group() if head else ""
        if 'class="caption-row"' in head_html:
            head_html = re.sub(r'(<tr class="caption-row"><th\b[^>]*>).*?(</th>)', rf"\g<1>{label}（续）\g<2>", head_html,
                               count=1, flags=re.DOTALL)
        else:
            found = re.search(r'<p class="([^"]*)"', inside)
            css = found.group(1).split()[0] if found else "table-caption"
            caption = f'<p class="{css} continued-caption">{label}（续）</p>'
        opening = re.sub(r'\s(?:id|data-toc|data-toc-label|data-part)="[^"]*"', "", wrapper.group())
        # the part starts the page its rows start on, whatever stylesheet the page has
        opening = opening.replace('class="', 'class="continued-part ', 1).replace(
            ">", f' data-part="{row}" style="break-before: page">', 1)
        part = (("</tbody>" if body_tag else "") + f"</table></{wrapper['tag']}>" + opening + caption
                + table_tag + (columns.group() if columns else "") + head_html
                + (body_tag.group() if body_tag else ""))
        html = html[:at] + part + html[at:]
    return html


def _row_position(html: str, table: str, row: int) -> int:
    """Offset of ``<tr … data-row="row"`` in ``table`` (its first part's wrapper opens the search)."""
    start = next((m.end() for m in _PART.finditer(html) if m["id"] == table), -1)
    if start < 0:
        return -1
    found = re.compile(rf'<tr\b[^>]*\bdata-row="{row}"').search(html, start)
    return found.start() if found else -1
