"""One truth for structure: the JSON Schema (what the editor marks as you type) and `check` agree.

For every field of every mapping in the small base library, inputs are derived from the model:
a missing required field, an empty list that needs items, blank text that needs words, hours of
0, a value of the wrong type, a choice that does not exist, a malformed ID. Each must be refused
by both jsonschema and `check`; a minimal valid value for each rule, and every snippet the schema
offers, must be accepted by both.
"""

from __future__ import annotations

import copy
import typing
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
import yaml
from annotated_types import Ge, Le, MinLen

from handbook.models import KINDS, Need, Node, marks
from handbook.rules import check_library
from handbook.schema import example, schema_for
from handbook.yamlsource import read_source

from .conftest import BASE

FILES = {"standard": "standards/base-std.yaml", "manual": "standards/base-manual.yaml",
         "curriculum": "curricula/base-course.yaml"}
SOURCES = {"standard": "standard.yaml", "manual": "manual.yaml", "curriculum": "curriculum.yaml"}


def base_data(kind: str) -> dict:
    return read_source(BASE / SOURCES[kind], SOURCES[kind]).data


def mappings(model: type[Node], data: dict, path: tuple = ()) -> Iterator[tuple[type[Node], tuple]]:
    """Every mapping in ``data`` with the model class that describes it."""
    yield model, path
    for name, field in model.model_fields.items():
        inner = _model_in(field.annotation)
        value = data.get(name)
        if inner is None or value is None:
            continue
        if isinstance(value, list):
            for i, item in enumerate(value):
                yield from mappings(inner, item, path + (name, i))
        else:
            yield from mappings(inner, value, path + (name,))


def _model_in(annotation: object) -> type[Node] | None:
    if isinstance(annotation, type) and issubclass(annotation, Node):
        return annotation
    return next((m for a in typing.get_args(annotation) if (m := _model_in(a))), None)


def _plain(annotation: object) -> object:
    """The type under Annotated / Optional / list[...]: what a wrong-type value must not be."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _plain(typing.get_args(annotation)[0])
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is not None and origin is not list and origin is not typing.Literal and len(args) == 1:
        return _plain(args[0])
    return annotation


def at(data: dict, path: tuple) -> dict:
    for part in path:
        data = data[part]
    return data


def derived_cases() -> Iterator[tuple[str, str, tuple, str, object, bool]]:
    """(kind, rule, path of the mapping, field, new value or DELETE, valid?)."""
    for kind, model in KINDS.items():
        data = base_data(kind)
        for cls, path in mappings(model, data):
            for name, field in cls.model_fields.items():
                needs = marks(field, Need)
                plain = _plain(field.annotation)
                where = f"{cls.__name__}.{name}"
                if field.is_required() or any(n.required or n.not_blank for n in needs):
                    yield kind, f"{where} missing", path, name, DELETE, False
                min_items = max([n.min_items for n in needs] +
                                [m.min_length for m in field.metadata if isinstance(m, MinLen)] + [0])
                if min_items:
                    current = at(data, path).get(name) or []
                    yield kind, f"{where} fewer than {min_items}", path, name, current[:min_items - 1], False
                if any(n.not_blank for n in needs):
                    yield kind, f"{where} blank", path, name, "  ", False
                    yield kind, f"{where} written", path, name, "笔试与小组展示", True
                if any(n.positive for n in needs) and at(data, path).get(name) is not None:
                    yield kind, f"{where} zero", path, name, 0, False
                    yield kind, f"{where} negative", path, name, -1.5, False
                    yield kind, f"{where} half", path, name, 0.5, None  # valid, but may break a sum
                if any(n.required for n in needs) and typing.get_origin(plain) is typing.Literal:
                    yield kind, f"{where} null", path, name, None, False
                yield kind, f"{where} wrong type", path, name, _wrong_type(plain), False
                if typing.get_origin(plain) is typing.Literal and len(typing.get_args(plain)) > 1:
                    yield kind, f"{where} unknown choice", path, name, "不存在的选项", False
                if any(getattr(m, "pattern", None) for m in field.metadata):
                    yield kind, f"{where} bad ID", path, name, "Bad ID", False
                for m in field.metadata:  # ranges pydantic states (e.g. a form field's lines: 1..20)
                    if isinstance(m, Ge):
                        yield kind, f"{where} below {m.ge}", path, name, m.ge - 1, False
                        yield kind, f"{where} at {m.ge}", path, name, m.ge, True
                    if isinstance(m, Le):
                        yield kind, f"{where} above {m.le}", path, name, m.le + 1, False
                        yield kind, f"{where} at {m.le}", path, name, m.le, True


DELETE = object()


def _wrong_type(plain: object) -> object:
    if plain is str or typing.get_origin(plain) is typing.Literal:
        return 12
    if plain in (int, float):
        return "三"
    if plain is bool:
        return "yes"
    return "一段文字"  # lists, mappings, dates


CASES = list(derived_cases())


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from .conftest import write_base_library

    return write_base_library(tmp_path_factory.mktemp("agreement"))


def check_errors(root: Path, kind: str, data: dict) -> list[str]:
    target = root / FILES[kind]
    original = target.read_bytes()
    try:
        target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        lib = check_library(root)
        return [p.format() for p in lib.errors]
    finally:
        target.write_bytes(original)


def schema_accepts(kind: str, data: dict) -> bool:
    validator = jsonschema.Draft202012Validator  # formats asserted, as the language server does
    return validator(schema_for(kind), format_checker=validator.FORMAT_CHECKER).is_valid(data)


def test_every_kind_of_rule_is_derived() -> None:
    rules = {case[1].split(" ", 1)[1] for case in CASES}
    assert {"missing", "fewer than 1", "fewer than 2", "blank", "zero", "null", "wrong type", "unknown choice",
            "bad ID", "below 1", "above 20"} <= rules
    # The rules the issue names: a session without format/methods/objectives, hours 0, no supervision, blank actor.
    names = {case[1] for case in CASES}
    assert {"Session.format missing", "Session.format null", "Session.methods fewer than 1",
            "Session.objectives fewer than 1", "Session.hours zero", "Curriculum.supervision missing",
            "Step.actor blank", "Procedure.steps fewer than 2", "Phase.assessment blank"} <= names


@pytest.mark.parametrize("kind,rule,path,name,value,valid", CASES, ids=[c[1] for c in CASES])
def test_schema_and_check_agree(library: Path, kind: str, rule: str, path: tuple, name: str, value: object,
                                valid: bool | None) -> None:
    data = copy.deepcopy(base_data(kind))
    owner = at(data, path)
    if value is DELETE:
        owner.pop(name, None)
    else:
        owner[name] = value
    errors = check_errors(library, kind, data)
    file_errors = [e for e in errors if e.startswith(FILES[kind])]
    if valid is None:  # a valid value for its own rule: neither refuses the field itself
        assert not [e for e in file_errors if " E502 " in e]
        assert schema_accepts(kind, data)
        return
    assert schema_accepts(kind, data) is valid, rule
    assert (file_errors == []) is valid, (rule, errors)


def test_the_base_library_is_valid_for_both(library: Path) -> None:
    for kind in KINDS:
        assert schema_accepts(kind, base_data(kind))
    assert check_library(library).problems == []


def test_sample_yes_means_the_same_in_both(library: Path) -> None:
    text = (BASE / "standard.yaml").read_text(encoding="utf-8")
    assert "\nsample: true\n" in text
    target = library / FILES["standard"]
    original = target.read_bytes()
    for word, accepted in (("yes", False), ("on", False), ("true", True), ("false", True)):
        target.write_text(text.replace("\nsample: true\n", f"\nsample: {word}\n"), encoding="utf-8")
        try:
            data = read_source(target, "x").data
            errors = [p.format() for p in check_library(library).errors]
        finally:
            target.write_bytes(original)
        assert schema_accepts("standard", data) is accepted, word
        assert (errors == []) is accepted, (word, errors)
        if not accepted:
            assert "“sample”应为true 或 false" in errors[0]


def snippet_cases() -> Iterator[tuple[str, tuple, str, type[Node]]]:
    for kind, model in KINDS.items():
        data = base_data(kind)
        seen = set()
        for cls, path in mappings(model, data):
            for name, field in cls.model_fields.items():
                inner = _model_in(field.annotation)
                if inner is None or (cls, name) in seen:
                    continue
                if typing.get_origin(_plain(field.annotation)) is list:
                    seen.add((cls, name))
                    yield kind, path, name, inner


SNIPPETS = list(snippet_cases())


@pytest.mark.parametrize("kind,path,name,item", SNIPPETS, ids=[f"{c[3].__name__} in {c[2]}" for c in SNIPPETS])
def test_snippets_pass_check(library: Path, kind: str, path: tuple, name: str, item: type[Node]) -> None:
    body = example(item)
    snippet = schema_for(kind)["$defs"][item.__name__]["defaultSnippets"][0]["body"]
    assert snippet == body
    data = copy.deepcopy(base_data(kind))
    at(data, path).setdefault(name, []).append(body)
    assert schema_accepts(kind, data)
    # Nothing wrong with the inserted item itself; what is left is its neighbours' business: sums that
    # now include it (hours, agenda minutes, assessment weights), sibling clauses with titles, an annex
    # the text must cite, the references statement, the lead-in a list item needs in its clause's text
    # and the clause text that now stands before sub-clauses.
    context = {"E304", "E305", "E306", "E308", "E310", "E317", "E504", "E505", "E506", "E509", "E512"}
    codes = {e.split(" ")[1] for e in check_errors(library, kind, data)}
    assert codes <= context
