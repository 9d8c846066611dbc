"""A procedure's steps as a flow diagram: Graphviz DOT rendered to inline SVG at build time.

The SVG is cached by the hash of its DOT source, so an unchanged procedure costs nothing on
the next build. No JavaScript draws anything in the browser, so print gets the same picture.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import textwrap
from pathlib import Path

from ..library import INLINE_REF, Library
from ..models import Document, Procedure

FONT = "Noto Sans CJK SC"
# One column of boxes, 13 characters a line at 12 pt: about 250 px wide, so on a 375 px phone the
# diagram is shown at its natural size and its text stays at 16 px (never below 12 px).
WRAP = 13
FONT_SIZE = 12
# Chinese line breaking (GB/T 15834 practice, as in CSS line-break: strict): these never start a line...
NO_LINE_START = set("，。、；：？！）》」』】〕〉”’…—·%")
# ...and these never end one.
NO_LINE_END = set("（《「『【〔〈“‘")


def plain(text: str, lib: Library, doc: Document) -> str:
    """Editor Markdown reduced to plain text for a diagram label: refs become their labels."""

    def label(match: re.Match[str]) -> str:
        fact = lib.fact(match.group(1))
        if fact is not None:
            return fact.text
        entry = lib.resolve(match.group(1), doc)
        return (entry.number or entry.title) if entry else match.group(1)

    text = INLINE_REF.sub(label, text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [label](url) -> label
    return re.sub(r"\*\*|__|`", "", " ".join(text.split()))


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _wrap(text: str, width: int = WRAP) -> str:
    """``text`` in lines of about ``width`` characters, broken by Chinese rules: closing punctuation
    stays at the end of the line before, opening punctuation moves to the next line."""
    lines = textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False)
    for i in range(1, len(lines)):
        while lines[i] and lines[i][0] in NO_LINE_START and lines[i - 1]:  # pull "，" up to the line before
            lines[i - 1] += lines[i][0]
            lines[i] = lines[i][1:]
        while len(lines[i - 1]) > 1 and lines[i - 1][-1] in NO_LINE_END:  # push "（" down to the next
            lines[i] = lines[i - 1][-1] + lines[i]
            lines[i - 1] = lines[i - 1][:-1]
    return "\n".join(line for line in lines if line) or " "


def procedure_dot(proc: Procedure, lib: Library, doc: Document) -> str:
    """DOT source for ``proc``: one column of boxes, one per step in order, each with its record and
    time limit (a column keeps the diagram narrow enough for a phone without shrinking its text)."""
    lines = [
        "digraph flow {",
        f'  graph [rankdir=TB, nodesep=0.3, ranksep=0.35, fontname={_quote(FONT)}, bgcolor="transparent"];',
        (f'  node [shape=box, style="rounded,filled", fillcolor="#eef3f8", color="#1f4e79", fontname={_quote(FONT)},'
         f' fontsize={FONT_SIZE}, margin="0.15,0.08"];'),
        '  edge [color="#1f4e79", arrowsize=0.7];',
    ]
    for i, step in enumerate(proc.steps, 1):
        label = f"{i}．{plain(step.actor, lib, doc)}\n{_wrap(plain(step.action, lib, doc))}"
        if step.record:
            entry = lib.resolve(step.record, doc)
            label += "\n" + _wrap("记录：" + (entry.label if entry else step.record))
        if step.time_limit:
            label += "\n" + _wrap(f"时限：{step.time_limit}")
        lines.append(f"  s{i} [label={_quote(label)}];")
    for i in range(1, len(proc.steps)):
        lines.append(f"  s{i} -> s{i + 1};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def dot_to_svg(dot: str, cache: Path | None = None) -> str:
    """Run ``dot -Tsvg``; results are cached in ``cache`` by content hash."""
    key = hashlib.sha256(dot.encode("utf-8")).hexdigest()[:32]
    cached = cache / f"{key}.svg" if cache else None
    if cached and cached.is_file():
        return cached.read_text(encoding="utf-8")
    svg = subprocess.run(["dot", "-Tsvg"], input=dot.encode("utf-8"), capture_output=True, check=True).stdout
    text = svg.decode("utf-8")
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(cached)
    return text


def inline_svg(svg: str, prefix: str, label: str) -> str:
    """SVG ready to sit inside HTML: no XML prolog or comments, unique ids, an accessible name."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.DOTALL)
    svg = re.sub(r"<title>.*?</title>", "", svg, flags=re.DOTALL)
    svg = re.sub(r'\bid="([^"]*)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    width = re.search(r'<svg[^>]*?\swidth="([^"]*)"', svg)
    svg = re.sub(r'(<svg[^>]*?)\s(?:width|height)="[^"]*"', r"\1", svg, count=1)
    svg = re.sub(r'(<svg[^>]*?)\s(?:width|height)="[^"]*"', r"\1", svg, count=1)
    style = f' style="max-width:{width.group(1)}"' if width else ""  # natural size at most; shrinks on phones
    svg = svg.replace("<svg", f'<svg role="img" aria-label="{label}" class="hb-flow__svg"{style}', 1)
    return "\n".join(line for line in svg.splitlines() if line.strip())


class FlowRenderer:
    """Turns a procedure into an inline SVG block, using a cache directory when given one."""

    def __init__(self, cache: Path | None = None):
        self.cache = cache

    def __call__(self, proc: Procedure, lib: Library, doc: Document) -> str:
        import html

        svg = dot_to_svg(procedure_dot(proc, lib, doc), self.cache)
        label = html.escape(f"流程图：{proc.title}（共 {len(proc.steps)} 步，文字见下表）", quote=True)
        return f'<div class="hb-flow">\n{inline_svg(svg, "flow-" + proc.id, label)}\n</div>'
