"""Place a problem on the exact line and column of a word inside a YAML string value.

``Source.locate`` finds a piece of a value in the file; the piece used here is the rest of the
word's line from the word on, so two occurrences of the same word in one value are told apart.
Where the value is not written literally (escapes, folded lines) it falls back to the value start.
"""

from __future__ import annotations

from ..yamlsource import Source


def where_in(src: Source, path: tuple, value: str, offset: int) -> tuple[int, int]:
    return src.locate(path, value[offset:].split("\n", 1)[0])
