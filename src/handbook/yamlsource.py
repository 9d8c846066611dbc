"""Read one YAML file into plain data plus the line and column of every value.

PyYAML's composer gives a node tree with positions; we build the plain data ourselves so
that duplicate keys are reported (PyYAML silently keeps the last one), aliases are refused
(no "billion laughs"), and no tag ever constructs a Python object.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import (
    E_ALIAS,
    E_DUPKEY,
    E_EMPTY,
    E_INVISIBLE,
    E_NESTING,
    E_READ,
    E_SIZE,
    E_SYNTAX,
    E_TAG,
    E_TOPLEVEL,
    E_TYPE,
    Problem,
)

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40  # a standard's deepest clause is about 14 levels of YAML; deeper is a mistake
# Characters YAML either refuses or counts as a line break where an editor sees none, which
# would put every later message on the wrong line; each is reported where it is.
_INVISIBLE = {
    "\x00": "空字符 NUL", "\r": "单独的回车符 CR", "\u2028": "行分隔符 U+2028", "\u2029": "段分隔符 U+2029",
    "\x85": "下一行符 U+0085", "\ufeff": "文件中间的字节顺序标记 U+FEFF",
}
_INVISIBLE.update({chr(c): f"控制字符 U+{c:04X}" for c in [*range(1, 9), 11, 12, *range(14, 32), 127]})
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
    path: Path | None = field(default=None, repr=False)  # the file on disk (figure files resolve next to it)

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
    src = Source(display_name, path=path)
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
    text = _invisible(src, text)
    src.text = text
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" in str(exc.problem):  # libyaml ≥ 0.2.5 stops at 1,000 levels itself
            src.problems.append(_too_deep(src, text))
            return
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        src.problems.append(_misread(src, text, line) or Problem(src.file, line, column, E_SYNTAX, _syntax_message(exc)))
        return
    except RecursionError:
        src.problems.append(_too_deep(src, text))
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
    except _TooDeep:
        # Reported from the event stream, so every YAML reader (libyaml with or without its own
        # limit, or the pure-Python one) gives the same position.
        src.problems.append(_too_deep(src, text))
        src.data = None
    except _AliasUsed as alias:
        # One message is enough, and nothing else in such a file is worth validating.
        src.problems.append(
            src.problem(alias.path, E_ALIAS, "不允许使用锚点和别名（&、*），请直接写出内容，文件未被处理", key=True)
        )
        src.data = None


_DEPTH_MESSAGE = (f"嵌套超过 {MAX_DEPTH} 层：列表或映射套得太深，多半是缩进错误（条款最多 5 层），"
                  "请检查此处及以上各行的缩进，文件未被处理")


def _invisible(src: Source, text: str) -> str:
    """Report each invisible character at its own line:col (lines counted by LF, as editors
    count them) and read the file with a space in its place, so later positions stay right."""
    if text.isprintable() or not any(ch in text for ch in _INVISIBLE):
        return text
    out, line, column = [], 1, 1
    for i, ch in enumerate(text):
        if ch == "\n":
            line, column = line + 1, 1
            out.append(ch)
            continue
        if ch in _INVISIBLE and not (ch == "\r" and text[i + 1 : i + 2] == "\n") and not (ch == "\ufeff" and i == 0):
            if len(src.problems) < 20:
                src.problems.append(Problem(src.file, line, column, E_INVISIBLE,
                                            f"此处有看不见的{_INVISIBLE[ch]}，请删除它（可在编辑器中显示不可见字符后删去）"))
            ch = " "
        out.append(ch)
        column += 1
    return "".join(out)


_KEY_FULLWIDTH = re.compile(r"^(?:[ \t]*- )*[ \t]*([A-Za-z_][\w-]*)[ \t]*：")
_IDEOGRAPHIC_INDENT = re.compile(r"^[ \u3000]*\u3000[ \u3000]*(?=[A-Za-z_-])")


def _misread(src: Source, text: str, error_line: int) -> Problem | None:
    """A likelier cause of a syntax error, on an earlier line than the parser noticed it:
    a key followed by a full-width colon, or indentation with ideographic spaces."""
    lines = text.split("\n")[:error_line]
    for number in range(len(lines), 0, -1):
        line = lines[number - 1]
        key = _KEY_FULLWIDTH.match(line)
        if key:
            return Problem(src.file, number, key.end(), E_SYNTAX,
                           f"YAML 语法错误：全角冒号“：”不能用作键值分隔符，请把“{key.group(1)}：”改为“{key.group(1)}: ”（半角冒号加空格）")
        indent = _IDEOGRAPHIC_INDENT.match(line)
        if indent:
            return Problem(src.file, number, line.index("\u3000") + 1, E_SYNTAX,
                           "YAML 语法错误：用全角空格“　”缩进了，YAML 缩进只能用半角空格，请替换")
    return None


def _too_deep(src: Source, text: str) -> Problem:
    """The first value (not a key) inside more than MAX_DEPTH lists or mappings, found from the
    flat event stream so that libyaml (with or without its own 1,000-level stop) and the
    pure-Python reader give the same position as the composed tree does."""
    open_collections: list[list] = []  # [is_mapping, nodes seen] for each open collection
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionEndEvent):
                open_collections.pop()
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            parent = open_collections[-1] if open_collections else None
            is_key = parent is not None and parent[0] and parent[1] % 2 == 0
            if parent is not None:
                parent[1] += 1
            if len(open_collections) > MAX_DEPTH and not is_key:
                mark = event.start_mark
                return Problem(src.file, mark.line + 1, mark.column + 1, E_NESTING, _DEPTH_MESSAGE)
            if isinstance(event, yaml.CollectionStartEvent):
                open_collections.append([isinstance(event, yaml.MappingStartEvent), 0])
    except yaml.YAMLError:
        pass
    return Problem(src.file, 1, 1, E_NESTING, _DEPTH_MESSAGE)


class _TooDeep(Exception):
    pass


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
    "expected a single document": "一个文件只能写一个文档：这里又出现了“---”，请删去这一行，或把后面的内容另存为一个文件",
    "found invalid Unicode character escape code": "“\\u”转义写出了无效的字符（如不成对的代理字符 \\ud800），请直接写出该字符，或删去这个转义",
    "found unknown escape character": "双引号中的反斜杠“\\”开始了无效的转义，请写成“\\\\”，或改用单引号",
}


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    for english, chinese in _SYNTAX_HINTS.items():
        if problem.startswith(english) or (exc.context or "").startswith(english):
            return f"YAML 语法错误：{chinese}（{problem}）"
    return f"YAML 语法错误：{problem or exc}"


def _convert(src: Source, node: yaml.Node, path: Path_) -> object:
    # The composer turns an alias into the very node object of its anchor; refusing every
    # second visit of a node keeps expansion bounded whatever the file does ("billion laughs").
    if id(node) in src.seen_nodes:
        raise _AliasUsed(path)
    src.seen_nodes.add(id(node))
    src.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if len(path) > MAX_DEPTH:
        raise _TooDeep
    if isinstance(node, yaml.ScalarNode):
        src.spans[path] = (node.start_mark.index, node.end_mark.index)
        if node.tag not in _SCALAR_TAGS:
            src.problems.append(src.problem(path, E_TAG, f"不允许的标签 {node.tag}，该值已被忽略"))
            return None
        return _scalar(src, node, path)
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
        if key[:1] == "\u3000" and key.lstrip("\u3000 "):
            src.problems.append(Problem(src.file, *key_pos, E_SYNTAX,
                                        "YAML 语法错误：用全角空格“　”缩进了，YAML 缩进只能用半角空格，请替换"))
            continue
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


_EXPONENT = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+")


def _scalar(src: Source, node: yaml.ScalarNode, path: Path_) -> object:
    tag, value = node.tag, node.value
    if tag == "tag:yaml.org,2002:str" and any("\ud800" <= ch <= "\udfff" for ch in value):
        src.problems.append(src.problem(path, E_SYNTAX, "YAML 语法错误：转义“\\u” 写出了不成对的代理字符"
                                        "（如 \\ud800），不是有效的字符；请直接写出该字符，或删去这个转义"))
        return value.encode("utf-8", "replace").decode("utf-8")
    if tag == "tag:yaml.org,2002:str" and not node.style and _EXPONENT.fullmatch(value):
        return float(value)  # 1e9 is a number (YAML 1.2); YAML 1.1 reads it as text
    if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and ":" in value:
        return value  # 1:20 is text (YAML 1.2); YAML 1.1 reads it as a base-60 number (80)
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
