"""Editor text in Word: the HTML of the one converter (``handbook.text.editor_html``) as paragraphs
and runs. Word text is set through python-docx runs, which escape it for XML: the one place text
enters Word. [[ref]] labels and fact values come resolved from the converter, as on the other outputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from docx.shared import Pt

from .styles import HEI, run_fonts

LIST_MARKS = {"ul": lambda n: "——", "ol": lambda n: f"{n})"}


@dataclass
class Run:
    text: str
    bold: bool = False
    code: bool = False


@dataclass
class Block:
    runs: list[Run] = field(default_factory=list)
    prefix: str = ""
    depth: int = 0  # list nesting


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.lists: list[list] = []  # [tag, count]
        self.bold = 0
        self.code = 0
        self.href: list[str | None] = []
        self.open = False  # the current block takes text

    def _block(self, prefix: str = "") -> Block:
        block = Block(prefix=prefix, depth=len(self.lists))
        self.blocks.append(block)
        self.open = True
        return block

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "p":
            if not (self.open and self.blocks and self.blocks[-1].prefix and not self.blocks[-1].runs):
                self._block()
        elif tag in ("ul", "ol"):
            self.lists.append([tag, 0])
        elif tag == "li":
            kind = self.lists[-1] if self.lists else ["ul", 0]
            kind[1] += 1
            self._block(LIST_MARKS[kind[0]](kind[1]))
        elif tag in ("strong", "b", "em", "th"):
            self.bold += 1
        elif tag == "code":
            self.code += 1
        elif tag == "br":
            self._text("\n")
        elif tag == "a":
            self.href.append(attrs.get("href"))
        elif tag == "img":
            self._text(f"（图：{attrs.get('alt') or ''}）")

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.open = False
        elif tag in ("p", "li"):
            self.open = False
        elif tag in ("strong", "b", "em", "th"):
            self.bold -= 1
        elif tag == "code":
            self.code -= 1
        elif tag == "a" and self.href:
            href = self.href.pop()
            if href and href.startswith(("http://", "https://")):
                self._text(f"（{href}）")  # on paper a web link is only useful with its address

    def handle_data(self, data):
        if not self.open and not data.strip():
            return
        self._text(data)

    def _text(self, text: str) -> None:
        if not self.open:
            self._block()
        self.blocks[-1].runs.append(Run(text, self.bold > 0, self.code > 0))


def blocks(html: str) -> list[Block]:
    parser = _Blocks()
    parser.feed(str(html))
    parser.close()
    for block in parser.blocks:  # the converter's newlines between tags are not text
        if block.runs:
            block.runs[0].text = block.runs[0].text.lstrip("\n")
            block.runs[-1].text = block.runs[-1].text.rstrip("\n")
    return [b for b in parser.blocks if "".join(r.text for r in b.runs).strip() or b.prefix]


def add_runs(paragraph, runs: list[Run]) -> None:
    for r in runs:
        parts = r.text.split("\n")
        for i, part in enumerate(parts):
            if i:
                paragraph.add_run().add_break()
            if part:
                run = paragraph.add_run(part)
                run.bold = r.bold or None
                if r.code:
                    run_fonts(run, HEI)


def write(container, html: str, style: str = "Normal", lead: str = "", list_style: str = "列项",
          indent: float = 0, label: str = "") -> list:
    """Append ``html`` (the converter's output) to ``container`` (document, cell, header) as
    paragraphs; ``lead`` (an untitled clause's number) opens the first one in bold 黑体, ``label``
    ("注：", "示例1：") in the paragraph's own face."""
    written = []
    found = blocks(html)
    if (lead or label) and not found:
        found = [Block()]
    for i, block in enumerate(found):
        paragraph = container.add_paragraph(style=list_style if block.prefix else style)
        if lead and i == 0:
            number = paragraph.add_run(lead + "\u3000")
            number.bold = True
            run_fonts(number, HEI)
        if label and i == 0:
            paragraph.add_run(label)
        if block.prefix:
            fmt = paragraph.paragraph_format
            fmt.left_indent = Pt(21 * block.depth + indent)
            fmt.first_line_indent = Pt(-21)
            paragraph.add_run(block.prefix + ("" if block.prefix == "——" else " "))
        add_runs(paragraph, block.runs)
        written.append(paragraph)
    return written
