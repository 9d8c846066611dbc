"""Load YAML files into validated documents, reporting every problem with file, line, column."""

from __future__ import annotations

import difflib
import hashlib
import os
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ValidationError

from .facts import FACTS_FILE, load_facts
from .graph import Graph, Written, extract
from .library import Entry, Library
from .models import KINDS, MARKDOWN_NOTE, Document, Hint, Node, marks
from .numbering import number_document
from .problems import (
    E_CHOICE,
    E_DATE,
    E_DUP_ID,
    E_ID,
    E_KIND,
    E_MISSING,
    E_OUTSIDE,
    E_TYPE,
    E_UNKNOWN,
    E_VALUE,
    Problem,
)
from .yamlsource import MAX_BYTES, Source, read_source

if TYPE_CHECKING:
    from .checkcache import CheckCache

CONTENT_DIRS = ("standards", "curricula")


def find_files(root: Path) -> list[Path]:
    return sorted(p for d in CONTENT_DIRS for p in (root / d).glob("**/*.y*ml") if p.is_file())


FileRules = Callable[[Document, Source], Iterable[Problem]]


@dataclass
class LoadedFile:
    """One file read, validated and numbered, with the problems found in it alone: what the check cache keeps."""

    src: Source
    doc: Document | None
    entries: list[Entry]  # the document's entries, duplicates left out (reported in ``problems``)
    problems: list[Problem]  # reading, schema, duplicate IDs, and the file rules
    written: list[Written]  # the references written in it, resolved later against the whole library
    digest: str = ""  # sha256 of the file's bytes: the content key of pages made from it


def load(paths: Iterable[Path], root: Path, *, file_rules: FileRules | None = None,
         cache: CheckCache | None = None) -> Library:
    """Load and validate every file, then build the reference graph; library rules run separately.

    ``file_rules`` are the rules that read one file only; their problems are kept with the file in
    ``cache`` (if given), so an unchanged file is neither parsed nor checked again.
    """
    library = Library()
    written: dict[str, list[Written]] = {}
    paths = list(paths)
    facts_files = [p for p in paths if p.name == FACTS_FILE] or [p for p in [root / FACTS_FILE] if p.is_file()]
    for path in facts_files[:1]:
        library.facts, library.facts_source = load_facts(path, display_name(path, root), library.problems)
    for path in paths:
        if path.name == FACTS_FILE:
            continue
        name = display_name(path, root)
        if _links_outside(path, root):
            shown = os.path.relpath(path.absolute(), root.absolute())
            library.problems.append(Problem(shown, 1, 1, E_OUTSIDE,
                                            f"这是指向项目以外（{path.resolve()}）的符号链接，已拒绝读取；请把文件复制到项目中"))
            library.unusable[shown] = ""
            continue
        if cache is not None:
            loaded = cache.load(path, name, lambda: load_file(path, name, file_rules))
        else:
            loaded = load_file(path, name, file_rules)
        library.problems.extend(loaded.problems)
        doc, src = loaded.doc, loaded.src
        if doc is None:
            if any(p.severity == "error" for p in library.problems if p.file == name):
                doc_id = src.data.get("id") if isinstance(src.data, dict) else None
                library.unusable[name] = doc_id if isinstance(doc_id, str) else ""
            continue
        existing = library.document(doc.id)
        if existing is not None:
            earlier, later = library.sources[doc.id], src
            if _KIND_ORDER[doc.kind] < _KIND_ORDER[existing.kind]:
                # Curricula are listed before standards, but the standard came first: keep it.
                earlier, later = src, library.sources[doc.id]
                _drop(library, existing)
                written.pop(existing.id, None)
            library.problems.append(later.problem(("id",), E_DUP_ID,
                                                  f"文件 ID“{doc.id}”已在 {earlier.file} 中使用，本文件未被载入：请为本文件另取一个 ID"))
            if later is src:
                continue
        library.documents.append(doc)
        library.sources[doc.id] = src
        library.entries.update((entry.key, entry) for entry in loaded.entries)
        library.digests[doc.id] = loaded.digest
        written[doc.id] = loaded.written
    library.graph = Graph.build(library, written)
    if library.facts_source is not None:  # a page citing a fact is made from facts.yaml too
        facts_digest = hashlib.sha256(library.facts_source.text.encode()).hexdigest()
        library.digests = {i: hashlib.sha256(f"{d}:{facts_digest}".encode()).hexdigest()
                           for i, d in library.digests.items()}
    return library


def display_name(path: Path, root: Path) -> str:
    """How problems name a file: relative to the project root when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def load_file(path: Path, name: str, file_rules: FileRules | None = None) -> LoadedFile:
    try:  # an oversized file is refused by read_source without being read
        file_digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.stat().st_size <= MAX_BYTES else ""
    except OSError:
        file_digest = ""  # read_source reports it
    src = read_source(path, name)
    problems = list(src.problems)
    doc = build_document(src, problems)
    entries: list[Entry] = []
    if doc is not None:
        seen: dict[str, Node] = {}
        for entry in number_document(doc):
            if entry.item is doc:
                entries.append(entry)
                continue
            if entry.id in seen:
                first = src.where(seen[entry.id]._path)
                problems.append(src.problem(entry.item._path + ("id",), E_DUP_ID,
                                            f"ID“{entry.id}”在本文件中重复（第一次出现在第 {first[0]} 行）"))
                continue
            seen[entry.id] = entry.item
            entries.append(entry)
        if file_rules is not None:
            problems.extend(file_rules(doc, src))
    src.seen_nodes = set()  # only needed while parsing
    if doc is not None:
        src.data = None  # the document holds it now (an unloadable file keeps it: its id is still wanted)
    return LoadedFile(src, doc, entries, problems, extract(doc, entries) if doc is not None else [], file_digest)


_KIND_ORDER = {"standard": 0, "manual": 1, "curriculum": 2}  # who keeps a disputed ID


def _links_outside(path: Path, root: Path) -> bool:
    """A path that reaches, through a symbolic link, a file outside the project."""
    real = Path(os.path.realpath(path))
    return real != Path(os.path.abspath(path)) and not real.is_relative_to(Path(os.path.realpath(root)))


def _drop(library: Library, doc: Document) -> None:
    library.documents.remove(doc)
    del library.sources[doc.id]
    library.digests.pop(doc.id, None)
    for key in [k for k, e in library.entries.items() if e.doc is doc]:
        del library.entries[key]


def build_document(src: Source, problems: list[Problem]) -> Document | None:
    data = src.data
    if not isinstance(data, dict):
        return None
    kind = data.get("kind")
    model = KINDS.get(kind) if isinstance(kind, str) else None
    if model is None:
        if "kind" not in data:
            problems.append(src.problem((), E_KIND, "缺少 kind，请在文件开头写 kind: standard、manual 或 curriculum"))
        else:
            near = difflib.get_close_matches(str(kind), list(KINDS), n=1)
            hint = f"，是否想写“{near[0]}”？" if near else "，应为 standard、manual 或 curriculum"
            problems.append(src.problem(("kind",), E_KIND, f"kind“{kind}”无效{hint}"))
        return None
    try:
        doc = model.model_validate(data)
    except ValidationError as exc:
        problems.extend(schema_problems(src, model, exc.errors()))
        return None
    for node, path in walk(doc, ()):
        node._path = path
    return doc


def walk(node: Node, path: tuple) -> Iterator[tuple[Node, tuple]]:
    yield node, path
    for name in type(node).model_fields:
        value = getattr(node, name)
        if isinstance(value, Node):
            yield from walk(value, path + (name,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Node):
                    yield from walk(item, path + (name, i))


def iter_strings(doc: Node) -> Iterator[tuple[Node, str, tuple, str]]:
    """Every string value in ``doc``: (owning node, field name, data path, text)."""
    for node, path in walk(doc, ()):
        for name in type(node).model_fields:
            value = getattr(node, name)
            if isinstance(value, str):
                yield node, name, path + (name,), value
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, str):
                        yield node, name, path + (name, i), item


# ------------------------------------------------------------- schema errors in Chinese

ID_RULE = "只能用小写字母、数字和连字符（如 case-intake），引用其他文件写“文件ID#条目ID”"
EXPECTED = {
    "string_type": "文字",
    "float_type": "数字",
    "int_type": "整数",
    "int_from_float": "整数",
    "bool_type": "true 或 false",
    "list_type": "列表（每项以“- ”开头）",
    "model_type": "映射（键: 值）",
    "model_attributes_type": "映射（键: 值）",
    "dict_type": "映射（键: 值）",
}


def _describe(value: object) -> str:
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return f"真假值 {value}"
    if isinstance(value, float) and value != value:
        return "非数字 .nan"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return f"无穷大 {'-' if value < 0 else ''}.inf"
    if isinstance(value, (int, float)):
        return f"数字 {value:g}"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    text = str(value)
    return f"文字“{text[:20]}{'…' if len(text) > 20 else ''}”"


def model_at(model: type[BaseModel], path: tuple) -> type[BaseModel] | None:
    """The model class that describes the mapping at ``path`` inside ``model``."""
    current: object = model
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: object) -> object:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType) or origin is not None:
        for arg in typing.get_args(annotation):
            found = _inner_model(arg)
            if found is not None:
                return found
    return None


def missing_message(owner: type[BaseModel] | None, name: str) -> str:
    """E201's wording, shared with the JSON Schema's message for the editor."""
    field = owner.model_fields.get(name) if owner else None
    head = (field.description or "").replace(MARKDOWN_NOTE, "").split("；")[0].split("。")[0] if field else ""
    if not head and field is not None:
        head = next((getattr(m, "noun", "") for m in [_inner_model(field.annotation)] if m), "")
    return f"缺少必填字段“{name}”（{head}）" if head else f"缺少必填字段“{name}”"


def _hint(model: type[BaseModel], loc: tuple) -> str:
    names = [i for i, part in enumerate(loc) if isinstance(part, str)]
    owner = model_at(model, loc[:names[-1]]) if names else None
    field = owner.model_fields.get(loc[names[-1]]) if owner else None
    hints = marks(field, Hint) if field else []
    return f"：{hints[0].text}" if hints else ""


def schema_problems(src: Source, model: type[BaseModel], errors: list[dict]) -> list[Problem]:
    problems = []
    for err in errors:
        loc, kind, value = tuple(err["loc"]), err["type"], err.get("input")
        name = next((p for p in reversed(loc) if isinstance(p, str)), "")
        if kind == "missing":
            problems.append(src.problem(loc[:-1], E_MISSING, missing_message(model_at(model, loc[:-1]), loc[-1])))
        elif kind == "extra_forbidden":
            owner = model_at(model, loc[:-1])
            known = list(owner.model_fields) if owner else []
            near = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.5)
            hint = f"，是否想写“{near[0]}”？" if near else f"。可用字段：{'、'.join(known)}"
            problems.append(src.problem(loc, E_UNKNOWN, f"未知字段“{loc[-1]}”{hint}", key=True))
        elif kind.startswith("date") or kind.startswith("datetime"):
            problems.append(src.problem(loc, E_DATE, f"“{name}”应为日期 YYYY-MM-DD，实际是{_describe(value)}"))
        elif kind == "literal_error":
            choices = err.get("ctx", {}).get("expected", "").replace("'", "").replace(" or ", ", ").split(", ")
            expected = "、".join(choices)
            near = difflib.get_close_matches(str(value), choices, n=1)
            hint = f"，是否想写“{near[0]}”？" if near else ""
            problems.append(src.problem(loc, E_CHOICE, f"“{name}”的取值{_describe(value)}无效，可选：{expected}{hint}"))
        elif kind == "string_pattern_mismatch":
            problems.append(
                src.problem(loc, E_ID, f"“{name}”的值“{value}”格式错误：{ID_RULE}")
            )
        elif kind in ("model_type", "model_attributes_type") and isinstance(value, list) and isinstance(loc[-1], int):
            problems.append(src.problem(loc, E_TYPE, f"“{name}”的这一项应为映射（键: 值），实际是列表：多写了一个“- ”（如“- - id:”），"
                                        "请删去多余的“- ”并对齐缩进"))
        elif kind in EXPECTED:
            hint = _hint(model, loc)
            if value is None:
                problems.append(src.problem(loc, E_TYPE, f"“{name}”不能为空，应为{EXPECTED[kind]}{hint}"))
            else:
                problems.append(src.problem(loc, E_TYPE, f"“{name}”应为{EXPECTED[kind]}，实际是{_describe(value)}{hint}"))
        elif kind == "finite_number":
            problems.append(src.problem(loc, E_VALUE, f"“{name}”应为有限的数字，实际是{_describe(value)}，请写具体的数字，如 1.5"))
        elif kind == "string_too_long":
            limit = err.get("ctx", {}).get("max_length", 64)
            problems.append(src.problem(loc, E_ID if name == "id" else E_VALUE,
                                        f"“{name}”太长：最多 {limit} 个字符（现有 {len(str(value))} 个），请缩短"))
        elif kind == "too_short":
            minimum = err.get("ctx", {}).get("min_length", 1)
            problems.append(src.problem(loc, E_VALUE, f"“{name}”至少需要 {minimum} 项"))
        else:
            problems.append(src.problem(loc, E_VALUE, f"“{name}”的值{_describe(value)}无效：{err['msg']}"))
    return problems
