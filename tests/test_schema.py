"""The JSON Schemas editors' YAML extensions use: current, referenced, and agreeing with the checker."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from handbook.loader import find_files
from handbook.schema import SCHEMA_DIR, schema_for, schema_line
from handbook.yamlsource import read_source

from .conftest import ROOT
from .test_corpus import CORPUS

SHIPPED = find_files(ROOT)


@pytest.mark.parametrize("kind", ["standard", "manual", "curriculum"])
def test_committed_schema_matches_the_model(kind: str) -> None:
    committed = json.loads((ROOT / SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert committed == schema_for(kind), "run `python build.py schema` and commit the result"


def test_schema_descriptions_are_chinese() -> None:
    cover = schema_for("standard")["$defs"]["Cover"]["properties"]["code"]
    assert "一字线" in cover["description"]


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_file_points_at_its_schema_and_validates(path: Path) -> None:
    src = read_source(path, path.name)
    kind = src.data["kind"]
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == schema_line(kind, path, ROOT)
    jsonschema.validate(src.data, schema_for(kind))


def test_schema_rejects_what_the_checker_rejects() -> None:
    src = read_source(CORPUS / "unknown-keys.yaml", "unknown-keys.yaml")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(src.data, schema_for("standard"))


def test_there_is_shipped_content() -> None:
    kinds = {read_source(p, p.name).data["kind"] for p in SHIPPED}
    assert kinds == {"standard", "manual", "curriculum"}
