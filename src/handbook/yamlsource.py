"""Read one YAML file into plain data plus the line and column of every value.

PyYAML's composer gives a node tree with positions; we build the plain data ourselves so
that duplicate keys are reported (PyYAML silently keeps the last one), aliases are refused
(no "billion laughs"), and no tag ever constructs a Python object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import (
    E_ALIAS,
    E_DUPKEY,
    E_EMPTY,
    E_READ,
    E_SIZE,
    E_SYNTAX,
    E_TAG,
    E_TOPLEVEL,
    E_TYPE,
    Problem,
)

MAX_BYTES = 2 * 1024 * 1024
Path_ = tuple  # a path into the data: keys and list indexes

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


@dataclass
class Source:
    """One file's data with positions (1-based line and column) keyed by data path."""

    file: str
    data: object = None
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    seen_nodes: set[int] = field(default_factory=set, repr=False)
    text: str = field(default="", repr=False)  # the file as read, to place problems inside a value
    spans: dict[Path_, tuple[int, int]] = field(default_factory=dict, repr=False)  # scalar offsets

    def where(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Position of the value (or of its key) at ``path``, else of its nearest ancestor."""
        path = tuple(path)
        if key and path in self.key_positions:
            return self.key_positions[path]
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def problem(self, path: Path_, code: str, message: str, *, key: bool = False) -> Problem:
        line, column = self.where(path, key=key)
        return Problem(self.file, line, column, code, message)

    def locate(self, path: Path_, snippet: str) -> tuple[int, int]:
        """Where ``snippet`` (a piece of the value at ``path``) is written in the file: its first
        occurrence after the value's start; the value's start if it is not written literally
        (escapes in a quoted string)."""
        line, column = self.where(path)
        first = snippet.split("\n", 1)[0][:80]
        span = self.spans.get(tuple(path))
        if not first or not self.text or span is None:
            return line, column
        found = self.text.find(first, *span)
        if found < 0:
            return line, column
        line_start = self.text.rfind("\n", 0, found) + 1
        return self.text.count("\n", 0, found) + 1, found - line_start + 1

    def problem_at(self, path: Path_, snippet: str, code: str, message: str) -> Problem:
        return Problem(self.file, *self.locate(path, snippet), code, message)


def read_source(path: Path, display_name: str) -> Source:
    src = Source(display_name)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            src.problems.append(
                Problem(display_name, 1, 1, E_SIZE,
                        f"文件大小 {size / 1048576:.1f} MB，超过上限 {MAX_BYTES // 1048576} MB，请拆分文件")
            )
            return src
        raw = path.read_bytes()
    except OSError as exc:
        src.problems.append(Problem(display_name, 1, 1, E_READ, f"无法读取文件：{exc.strerror}"))
        return src
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw[: exc.start].count(b"\n") + 1
        column = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        src.problems.append(
            Problem(display_name, line, column, E_READ, "文件不是 UTF-8 编码，请在编辑器中另存为 UTF-8")
        )
        return src
    parse_text(src, text)
    return src


def parse_text(src: Source, text: str) -> None:
    src.text = text
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        src.problems.append(Problem(src.file, line, column, E_SYNTAX, _syntax_message(exc)))
        return
    except yaml.YAMLError as exc:  # e.g. a control character the reader refuses
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        src.problems.append(Problem(src.file, line, column, E_SYNTAX, f"YAML 无法解析：{exc}"))
        return
    if node is None:
        src.problems.append(Problem(src.file, 1, 1, E_EMPTY, "文件为空，没有任何内容"))
        return
    if not isinstance(node, yaml.MappingNode):
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        what = "列表" if isinstance(node, yaml.SequenceNode) else "单个值"
        src.problems.append(
            Problem(src.file, line, column, E_TOPLEVEL, f"文件顶层是{what}，应为映射（以 kind: 开头的键值对）")
        )
        return
    try:
        src.data = _convert(src, node, ())
    except _AliasUsed as alias:
        # One message is enough, and nothing else in such a file is worth validating.
        src.problems.append(
            src.problem(alias.path, E_ALIAS, "不允许使用锚点和别名（&、*），请直接写出内容，文件未被处理", key=True)
        )
        src.data = None


class _AliasUsed(Exception):
    def __init__(self, path: Path_) -> None:
        self.path = path


_SYNTAX_HINTS = {
    "found character '\\t' that cannot start any token": "出现了制表符（Tab），YAML 缩进只能用空格",
    "found character that cannot start any token": "出现了不能开始内容的字符（常见原因是制表符 Tab），YAML 缩进只能用空格",
    "found unexpected end of stream": "引号没有闭合，或文件意外结束",
    "mapping values are not allowed": "此处不能出现“:”——缩进可能有误，或文字中的冒号需要加引号",
    "found unexpected ':'": "此处不能出现“:”——文字中的冒号需要加引号",
    "could not find expected ':'": "缺少“:”——缩进可能有误，或上一行的引号没有闭合",
    "did not find expected key": "缩进有误：此行与同级的键没有对齐",
    "did not find expected '-' indicator": "缩进有误：列表项“-”没有对齐",
    "found undefined alias": "使用了未定义的别名（*）",
}


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    for english, chinese in _SYNTAX_HINTS.items():
        if problem.startswith(english):
            return f"YAML 语法错误：{chinese}（{problem}）"
    return f"YAML 语法错误：{problem or exc}"


def _convert(src: Source, node: yaml.Node, path: Path_) -> object:
    # The composer turns an alias into the very node object of its anchor; refusing every
    # second visit of a node keeps expansion bounded whatever the file does ("billion laughs").
    if id(node) in src.seen_nodes:
        raise _AliasUsed(path)
    src.seen_nodes.add(id(node))
    src.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.ScalarNode):
        src.spans[path] = (node.start_mark.index, node.end_mark.index)
        if node.tag not in _SCALAR_TAGS:
            src.problems.append(src.problem(path, E_TAG, f"不允许的标签 {node.tag}，该值已被忽略"))
            return None
        return _scalar(node)
    if node.tag not in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
        src.problems.append(src.problem(path, E_TAG, f"不允许的标签 {node.tag}，该值已被忽略"))
        return None
    if isinstance(node, yaml.SequenceNode):
        return [_convert(src, item, path + (i,)) for i, item in enumerate(node.value)]
    result: dict[str, object] = {}
    for key_node, value_node in node.value:
        key_pos = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if not isinstance(key_node, yaml.ScalarNode):
            src.problems.append(Problem(src.file, *key_pos, E_TYPE, "键必须是简单的文字"))
            continue
        key = key_node.value
        child = path + (key,)
        if key in result:
            first = src.key_positions[child]
            src.problems.append(
                Problem(src.file, *key_pos, E_DUPKEY,
                        f"键“{key}”重复（第一次出现在第 {first[0]} 行），后一个值会覆盖前一个")
            )
            continue
        src.key_positions[child] = key_pos
        result[key] = _convert(src, value_node, child)
    return result


def _scalar(node: yaml.ScalarNode) -> object:
    tag, value = node.tag, node.value
    if tag == "tag:yaml.org,2002:str" or tag == "tag:yaml.org,2002:timestamp":
        return value  # dates stay text; the model parses and checks them
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        # YAML 1.2, as the editors' language server reads it: only true/false are booleans; yes, no,
        # on, off are text (so `sample: yes` is refused by both, and `answer: no` stays the word).
        return value.lower() == "true" if value.lower() in ("true", "false") else value
    if tag == "tag:yaml.org,2002:int":
        return int(yaml.constructor.SafeConstructor.construct_yaml_int(_DUMMY, node))
    return float(yaml.constructor.SafeConstructor.construct_yaml_float(_DUMMY, node))


_DUMMY = yaml.constructor.SafeConstructor()
