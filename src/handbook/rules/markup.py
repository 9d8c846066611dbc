"""Editor text rules: what no string may contain, and what a Markdown field may not use.

Every string field is plain text except those typed ``models.Text`` (Markdown, rendered by
``handbook.text.editor_html``). A plain field may hold any characters (``<b>`` in a title is
shown as ``<b>``) but no script-capable URL or tag (E603), and a [[reference]] there is only
a warning that it will not link. A Markdown field is also refused what the converter does not
render: HTML, attribute lists, images not shipped, other links, malformed references. Each
problem is placed at the construct's own line and column.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

from markdown_it.tree import SyntaxTreeNode

from .. import graph
from ..loader import iter_strings
from ..models import Document, is_markdown
from ..problems import E_ATTR_LIST, E_HTML, E_IMAGE, E_LINK, E_REF_FORM, W_REF_PLAIN, E_UNSAFE, Problem
from ..text import link_allowed, parse, shipped_image
from ..yamlsource import Source

# Each pattern starts with a fixed character or word, so a search is linear in the text.
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?=[\s/>])|<!--|<!\[CDATA\[|<\?[A-Za-z]")
SCRIPT_TAG = re.compile(r"</?(?:script|iframe|object|embed|style|form|meta|link|svg|math|base)\b", re.IGNORECASE)
UNSAFE_SCHEME = re.compile(r"\b(?:javascript|vbscript|livescript)[ \t]*:|\bdata[ \t]*:[ \t]*[a-z]+/|\bfile:/",
                           re.IGNORECASE)
ATTR_LIST = re.compile(r"\{[ \t]*(?::|[.#][A-Za-z_]|[A-Za-z_-]+[ \t]*=)")
REF_FIELDS = {*graph.REF_FIELDS, "standard"}  # values are bare references (a manual's standard: a document)
_ID_CHARS = re.compile(r"[A-Za-z0-9#_-]{1,200}")


MAX_PER_STRING = 10  # a string full of "[[" or "<a " needs one fix, not thousands of messages


def check(doc: Document, src: Source, root: Path) -> Iterator[Problem]:
    for node, name, where, text in iter_strings(doc):
        if name in REF_FIELDS or not text:
            continue
        yield from itertools.islice(_string(src, where, text, is_markdown(type(node), name), root), MAX_PER_STRING)


def _string(src: Source, where: tuple, text: str, markdown: bool, root: Path) -> Iterator[Problem]:
    yield from _unsafe(src, where, text)
    if markdown:
        yield from _markup(src, where, text)
        yield from _markdown(src, where, text, root)
    else:
        yield from _plain(src, where, text)


def _unsafe(src: Source, where: tuple, text: str) -> Iterator[Problem]:
    """In any field: a script-capable URL or tag is always a mistake or an attack."""
    decoded = html.unescape(text) if "&" in text else text
    unsafe = UNSAFE_SCHEME.search(text) or UNSAFE_SCHEME.search(decoded)
    if unsafe:
        yield src.problem_at(where, unsafe.group(), E_UNSAFE,
                             f"文字中含有“{unsafe.group()}”，不允许脚本、内嵌网页或危险链接")
    for tag in SCRIPT_TAG.finditer(text):
        if not tag.group().startswith("</"):
            yield src.problem_at(where, tag.group(), E_UNSAFE,
                                 f"文字中含有“{tag.group()}”，不允许脚本、内嵌网页或危险链接")


def _markup(src: Source, where: tuple, text: str) -> Iterator[Problem]:
    """In a Markdown field: HTML and attribute lists look like formatting but stay literal text."""
    for tag in HTML_TAG.finditer(text):
        if tag.group().startswith("</"):
            continue  # the opening tag is reported
        if not SCRIPT_TAG.match(tag.group()):  # those are E603 already
            yield src.problem_at(where, tag.group(), E_HTML,
                                 f"文字中写了 HTML“{tag.group()}…”：不支持 HTML，请删去标签，加粗用 **文字**，链接用 [文字](https://…)")
    for attrs in ATTR_LIST.finditer(text):
        yield src.problem_at(where, attrs.group(), E_ATTR_LIST,
                             f"文字中写了属性列表“{attrs.group()}…}}”：不支持设置样式或属性，请删去")


def _markdown(src: Source, where: tuple, text: str, root: Path) -> Iterator[Problem]:
    yaml_dir = (root / src.file).parent
    for node in _walk(parse(text)):
        if node.type == "image":
            target = str(node.attrs.get("src", ""))
            if shipped_image(root, yaml_dir, target) is None:
                yield src.problem_at(where, f"]({target}" if target else "![", E_IMAGE,
                                     f"图片“{target}”不是与本文件放在一起的图片文件（png、jpg、gif、webp）："
                                     "不能引用网络地址或项目以外的文件，请把图片放到 YAML 旁边并写相对路径")
        elif node.type == "link":
            href = str(node.attrs.get("href", ""))
            if not link_allowed(href):
                yield src.problem_at(where, "[" + _source_of(node) + "](", E_LINK,
                                     f"链接“{href}”无效：只能链接到 http(s):// 或 mailto: 地址；引用本库条款请写 [[ID]]")
        elif node.type == "hb_ref" and node.content != node.content.strip():
            fixed = f"[[{node.content.strip()}]]"
            yield src.problem_at(where, node.token.markup if node.token else "[[", E_REF_FORM,
                                 f"引用“{node.token.markup if node.token else ''}”的 ID 两侧有空格，请写作“{fixed}”")
        elif node.type == "text" and "[[" in node.content:
            yield from _unclosed(src, where, node.content)


def _unclosed(src: Source, where: tuple, content: str) -> Iterator[Problem]:
    start = content.find("[[")
    while start >= 0:
        ident = _ID_CHARS.match(content, start + 2)
        name = ident.group() if ident else "ID"
        yield src.problem_at(where, content[start : start + 2 + len(name) + 1], E_REF_FORM,
                             f"引用“[[{name}”没有闭合，请写作“[[{name}]]”")
        start = content.find("[[", start + 2)


def _plain(src: Source, where: tuple, text: str) -> Iterator[Problem]:
    for marker, what in (("[[", "[[引用]]"), ("](", "Markdown 链接")):
        found = text.find(marker)
        if found >= 0:
            yield src.problem_at(where, text[found : found + 20], W_REF_PLAIN,
                                 f"此字段是纯文字，{what}不会变成链接，会原样显示；请改写为文字，或写在可用 Markdown 的字段中")


def _walk(node: SyntaxTreeNode) -> Iterator[SyntaxTreeNode]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def _source_of(node: SyntaxTreeNode) -> str:
    return "".join(c.content for c in _walk(node) if c.type == "text")[:20]
