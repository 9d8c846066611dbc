"""JSON Schemas for editors' YAML extensions, generated from the content model.

pydantic gives the fields, types and descriptions; this module adds what the editor needs to
say what ``check`` says, in Chinese, while the editor types (tested against the npm
yaml-language-server in tests/test_lsp.py):

- each field's ``Need`` (models.py) as required, ``minItems``, ``exclusiveMinimum`` or a
  non-blank ``pattern``, so the schema refuses what ``check`` refuses;
- Chinese titles, and ``errorMessage`` / ``patternErrorMessage`` worded as ``check`` words its
  type, choice, date and ID messages. yaml-language-server 1.x reads ``errorMessage`` for type,
  enum, const and format errors and for a missing property of the schema that lists it, and
  ``patternErrorMessage`` for patterns; its own minItems, minLength, exclusiveMinimum and
  unknown-property messages are already Chinese under a Chinese locale. So each required
  field is one ``allOf`` entry with its own message (the server's "Missing property" has no
  Chinese translation), and "应为映射" sits beside each ``$ref`` rather than on the definition
  (where it would also replace the unknown-property message);
- ``defaultSnippets`` for list items that pass ``check`` (no ``hours: 0``, no ``format: null``).
"""

from __future__ import annotations

import copy

import json
import types
import typing
from pathlib import Path

from pydantic.fields import FieldInfo

from .loader import EXPECTED, ID_RULE, missing_message
from .models import KINDS, Hint, Need, Node, marks

SCHEMA_DIR = Path("docs") / "schema"
TITLES = {"standard": "禁毒社工服务标准", "manual": "禁毒社工实务手册", "curriculum": "禁毒社工培训课程"}
NOT_BLANK = r"\S"
PLACEHOLDER = "【待填写】"
_JSON_TYPES = {
    "string": EXPECTED["string_type"],
    "number": EXPECTED["float_type"],
    "integer": EXPECTED["int_type"],
    "boolean": EXPECTED["bool_type"],
    "array": EXPECTED["list_type"],
}


def schema_for(kind: str) -> dict:
    model = KINDS[kind]
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    for cls in _models(model):
        _for_editors(cls, schema if cls is model else defs[cls.__name__], is_root=cls is model)
    schema["title"] = TITLES[kind]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def _models(model: type[Node]) -> list[type[Node]]:
    found: list[type[Node]] = []

    def visit(cls: type[Node]) -> None:
        if cls in found:
            return
        found.append(cls)
        for field in cls.model_fields.values():
            for inner in _inner_models(field.annotation):
                visit(inner)

    visit(model)
    return found


def _inner_models(annotation: object) -> list[type[Node]]:
    if isinstance(annotation, type) and issubclass(annotation, Node):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _inner_models(arg)]


def _for_editors(cls: type[Node], obj: dict, *, is_root: bool) -> None:
    obj["title"] = cls.noun
    if not is_root:
        obj.pop("type", None)  # stated beside each $ref, with its Chinese message
    required = set(obj.pop("required", []))
    for name, field in cls.model_fields.items():
        key = field.alias or name  # editors write the alias (a flow edge's "from" and "to")
        needs = marks(field, Need)
        if any(n.required or n.not_blank for n in needs):
            required.add(key)
        obj["properties"][key] = _property(cls, name, field, obj["properties"][key], needs)
    if required:
        obj["allOf"] = [{"required": [key], "errorMessage": _missing(cls, name)}
                        for name, key in ((n, f.alias or n) for n, f in cls.model_fields.items()) if key in required]
    snippet = example(cls)
    if not is_root:
        obj["defaultSnippets"] = [{"label": f"新{cls.noun}", "description": f"插入一个{cls.noun}（必填项已留好）",
                                   "body": snippet}]


def _missing(cls: type[Node], name: str) -> str:
    """What check says when the field is absent: its Need's message, else E201's."""
    need = next((n for n in marks(cls.model_fields[name], Need) if n.required or n.not_blank), None)
    return editor_text(cls, need) if need else missing_message(cls, name)


def editor_text(cls: type[Node], need: Need) -> str:
    """A Need's message without the item's title (the editor marks the item itself)."""
    return need.message.replace("“{title}”", "").format(noun=cls.noun)


def _title(name: str, field: FieldInfo) -> str:
    desc = (field.description or name).replace("“", "，").replace("（", "，").replace("：", "，")
    return desc.split("，")[0] or name


def _property(cls: type[Node], name: str, field: FieldInfo, prop: dict, needs: list[Need]) -> dict:
    hints = marks(field, Hint)
    hint = f"：{hints[0].text}" if hints else ""
    if any(n.required or n.not_blank for n in needs) and "anyOf" in prop:  # X | None, but None is refused
        branches = [b for b in prop.pop("anyOf") if b.get("type") != "null"]
        prop.update(branches[0] if len(branches) == 1 else {"anyOf": branches})
    for need in needs:
        if need.min_items:
            prop["minItems"] = need.min_items
        if need.not_blank:
            prop["pattern"] = NOT_BLANK
            prop["patternErrorMessage"] = editor_text(cls, need)
        if need.positive:
            for branch in prop.get("anyOf", [prop]):
                if branch.get("type") == "number":
                    branch["exclusiveMinimum"] = 0
    prop.pop("default", None)  # a default is what the editor inserts: only snippets that pass check
    for branch in prop.get("anyOf", [prop]):  # else the editor inserts 0, which check refuses
        if branch.get("type") in ("number", "integer"):
            branch["examples"] = [2 if any(n.positive for n in needs) else branch.get("minimum", 1)]
    _messages(prop, name, hint)
    prop["title"] = _title(name, field)
    return prop


def _messages(node: dict, name: str, hint: str, *, item: bool = False) -> None:
    """Chinese errorMessage/patternErrorMessage on every leaf, as ``check`` would say it."""
    node.pop("title", None)
    what = f"“{name}”的每一项" if item else f"“{name}”"
    if "anyOf" in node:
        for branch in node["anyOf"]:
            _messages(branch, name, hint, item=item)
        return
    if "$ref" in node:
        node["type"] = "object"
        node["errorMessage"] = f"{what}应为{EXPECTED['model_type']}"
        return
    if "const" in node:
        node["errorMessage"] = f"{what}应为 {node['const']}"
    elif "enum" in node:
        node["errorMessage"] = f"{what}的取值无效，可选：{'、'.join(map(str, node['enum']))}"
    elif node.get("format") == "date":
        node["errorMessage"] = f"{what}应为日期 YYYY-MM-DD"
    elif node.get("type") in _JSON_TYPES:
        node["errorMessage"] = f"{what}应为{_JSON_TYPES[node['type']]}{hint}"
    if "pattern" in node and "patternErrorMessage" not in node:
        node["patternErrorMessage"] = f"{what}格式错误：{ID_RULE}"
    if "items" in node:
        _messages(node["items"], name, hint, item=True)


# ---------------------------------------------------------------- snippets

def example(cls: type[Node]) -> dict:
    """The smallest mapping of ``cls`` that ``check`` accepts: required and needed fields only, or the
    model's own snippet where a rule across its fields needs more."""
    if cls.snippet is not None:
        return copy.deepcopy(cls.snippet)
    body = {}
    for name, field in cls.model_fields.items():
        needs = marks(field, Need)
        if field.is_required() or any(n.required or n.not_blank or n.min_items for n in needs):
            count = max([n.min_items for n in needs] + [1])
            body[name] = _example_value(cls, name, field.annotation, field, count)
    return body


def _example_value(cls: type[Node], name: str, annotation: object, field: FieldInfo, count: int) -> object:
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is typing.Annotated:
        return _example_value(cls, name, args[0], field, count)
    if origin in (typing.Union, types.UnionType):
        return _example_value(cls, name, args[0], field, count)
    if origin is list:
        return [_example_value(cls, name, args[0], field, 1) for _ in range(count)]
    if origin is typing.Literal:
        return args[0]
    if isinstance(annotation, type) and issubclass(annotation, Node):
        return example(annotation)
    if annotation is bool:
        return False
    if annotation is float:
        return 2
    if annotation is int:
        return 1
    if name == "id" or _pattern(field):
        return f"new-{cls.__name__.lower()}"
    if getattr(annotation, "__name__", "") == "date":
        return "2026-01-01"
    return f"{PLACEHOLDER}{_title(name, field)}"


def _pattern(field: FieldInfo) -> str:
    return next((getattr(m, "pattern", "") for m in field.metadata if getattr(m, "pattern", None)), "")


def write_schemas(root: Path) -> list[Path]:
    out = root / SCHEMA_DIR
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = out / f"{kind}.schema.json"
        path.write_text(json.dumps(schema_for(kind), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    path = out / "facts.schema.json"
    path.write_text(json.dumps(facts_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    written.append(path)
    path = out / "comments.schema.json"
    path.write_text(json.dumps(comments_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    written.append(path)
    return written


def comments_schema() -> dict:
    """The schema of ``comments/<standard-id>.yaml`` (the comments on a draft and how each was handled)."""
    from .review.comments import CommentsFile

    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "征求意见稿的反馈意见及处理情况",
            **CommentsFile.model_json_schema()}


def facts_schema() -> dict:
    """The schema of ``facts.yaml`` (the library's shared facts, cited as [[fact:ID]])."""
    from .facts import FactsFile

    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "全库共用的事实",
            **FactsFile.model_json_schema()}


def schema_line(kind: str, yaml_path: Path, root: Path) -> str:
    """The first line of a content file, pointing the YAML extension at its schema."""
    depth = len(yaml_path.resolve().relative_to(root.resolve()).parts) - 1
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_DIR.as_posix()}/{kind}.schema.json"
