"""Drop the blank lines and indentation the theme templates leave in every page.

A run of whitespace that contains a line break renders exactly like a single line break
(except inside <pre> and <textarea>), and Material's templates leave tens of kilobytes of it in
each page, which phones on poor networks then download.
"""

from __future__ import annotations

import re

_VERBATIM = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>)", re.DOTALL | re.IGNORECASE)
_BREAK_RUN = re.compile(r"[ \t\r\f\v]*\n\s*")


def squeeze_whitespace(html: str) -> str:
    parts = _VERBATIM.split(html)
    for i in range(0, len(parts), 2):  # even parts lie outside <pre>/<textarea>
        parts[i] = _BREAK_RUN.sub("\n", parts[i])
    return "".join(parts)
