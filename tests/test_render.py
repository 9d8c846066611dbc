"""Golden tests of the render layer: tests/cases/render/*.yml, each a small change to the base
library and the HTML the site and the print make of the items it names.

A case file:

    about: what the case shows
    document: base-std            # which base document the change applies to
    set: {chapters: [...]}        # top-level keys replaced in that document's YAML
    ids: [clause-id, ...]         # the items whose HTML is compared
    site: |                       # expected fragment of the site page (refreshed by --update-goldens)
    print: |                      # expected fragment of the print HTML

``pytest tests/test_render.py --update-goldens`` rewrites site/print from the current output; review
the diff before committing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from handbook.loader import find_files, load
from handbook.pdf.render import Variant, render_print
from handbook.site.pages import render_page

from .conftest import write_base_library

CASES = sorted((Path(__file__).parent / "cases" / "render").glob("*.yml"))
BASE_FILES = {"base-std": "standards/base-std.yaml", "base-manual": "standards/base-manual.yaml",
              "base-course": "curricula/base-course.yaml"}
HEADING = re.compile(r"^h[1-6]$")


def library_with(root: Path, document: str, changes: dict):
    write_base_library(root)
    path = root / BASE_FILES[document]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    lib = load(find_files(root), root)
    assert not lib.errors, [p.format() for p in lib.errors]
    return lib, lib.document(document)


def fragment(html: str, anchor: str) -> str:
    """The element with id ``anchor`` and, for a heading, what follows it up to the next heading
    of the same or a higher level; a heading that opens a section or a term stands for its container."""
    page = BeautifulSoup(html, "html.parser")
    start = page.find(id=anchor)
    assert start is not None, f"no element with id {anchor!r}"
    if HEADING.match(start.name) and isinstance(start.parent, Tag) and start.parent.name in ("section", "div") \
            and start.parent.find(HEADING) is start:
        return _tidy(str(start.parent))
    if not HEADING.match(start.name):
        return _tidy(str(start))
    parts = [str(start)]
    for sibling in start.next_siblings:
        if isinstance(sibling, Tag) and HEADING.match(sibling.name) and int(sibling.name[1]) <= int(start.name[1]):
            break
        if isinstance(sibling, Tag) and sibling.name == "section":
            break
        parts.append(str(sibling))
    return _tidy("".join(parts))


def _tidy(html: str) -> str:
    return re.sub(r">\s+<", ">\n<", html.strip()) + "\n"


def outputs(case: dict, root: Path) -> dict[str, str]:
    lib, doc = library_with(root, case["document"], case.get("set", {}))
    site = render_page(doc, lib, flow=lambda *a: '<div class="hb-flow">(flow)</div>').html
    variant = Variant("trainer") if doc.kind == "curriculum" else Variant()
    printed = render_print(doc, lib, variant)
    return {"site": "".join(fragment(site, i) for i in case["ids"]),
            "print": "".join(fragment(printed, i) for i in case["ids"])}


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_render_golden(path: Path, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    actual = outputs(case, tmp_path)
    if request.config.getoption("--update-goldens"):
        case.update(actual)
        path.write_text(_dump(case), encoding="utf-8")
        return
    assert actual["site"] == case["site"], f"{path.name}: site HTML changed (refresh with --update-goldens)"
    assert actual["print"] == case["print"], f"{path.name}: print HTML changed (refresh with --update-goldens)"


class _Literal(str):
    pass


def _dump(case: dict) -> str:
    dumper = yaml.SafeDumper
    dumper.add_representer(_Literal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v, style="|"))
    out = {k: _Literal(v) if k in ("site", "print") else v for k, v in case.items()}
    return yaml.dump(out, Dumper=dumper, allow_unicode=True, sort_keys=False, width=120)
