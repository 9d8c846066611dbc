"""Place a problem on the exact line and column of a word inside a YAML string value.

The reader records where each value starts; a word found at ``offset`` in the parsed text is
mapped back to the file for one-line plain or quoted scalars and for literal blocks (``|``),
the shapes editors write. Anything else (folded blocks, escapes, multi-line plain text) falls
back to the start of the value, which is still the right value.
"""

from __future__ import annotations

from ..yamlsource import Source


def where_in(src: Source, path: tuple, value: str, offset: int) -> tuple[int, int]:
    line, column = src.where(path)
    lines = src.text.split("\n")
    if not src.text or line > len(lines):
        return line, column
    raw = lines[line - 1].rstrip("\r")
    start = raw[column - 1 : column] if column - 1 < len(raw) else ""
    if start in ("|", ">"):
        return _in_block(lines, line, column, value, offset) if start == "|" else (line, column)
    if "\n" in value:
        return line, column
    skip = 1 if start in ('"', "'") else 0
    if raw[column - 1 + skip : column - 1 + skip + len(value)] == value:
        return line, column + skip + offset
    return line, column


def _in_block(lines: list[str], line: int, column: int, value: str, offset: int) -> tuple[int, int]:
    body = value.split("\n")
    before = value[:offset]
    row = before.count("\n")
    col_in_row = offset - (before.rfind("\n") + 1)
    first = next((i for i in range(line, len(lines)) if lines[i].strip()), None)
    if first is None:
        return line, column
    indent = len(lines[first]) - len(lines[first].lstrip(" "))
    target = line + row  # 0-based index of the content line: the block starts on the next line
    if target >= len(lines) or lines[target].rstrip("\r")[indent:] != body[row]:
        return line, column
    return target + 1, indent + col_in_row + 1
