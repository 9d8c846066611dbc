"""JSON Schemas for editors' YAML extensions, generated from the content model."""

from __future__ import annotations

import json
from pathlib import Path

from .models import KINDS

SCHEMA_DIR = Path("docs") / "schema"
TITLES = {"standard": "禁毒社工服务标准", "manual": "禁毒社工实务手册", "curriculum": "禁毒社工培训课程"}


def schema_for(kind: str) -> dict:
    schema = KINDS[kind].model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": TITLES[kind],
        **schema,
    }


def write_schemas(root: Path) -> list[Path]:
    out = root / SCHEMA_DIR
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = out / f"{kind}.schema.json"
        path.write_text(json.dumps(schema_for(kind), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def schema_line(kind: str, yaml_path: Path, root: Path) -> str:
    """The first line of a content file, pointing the YAML extension at its schema."""
    depth = len(yaml_path.resolve().relative_to(root.resolve()).parts) - 1
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_DIR.as_posix()}/{kind}.schema.json"
