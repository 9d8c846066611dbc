"""Golden tests for the GB/T elements (lists, 注, 示例, 表, 图) as the site and the print render
them: tests/cases/render/gbt-*/input.yaml -> site.html and print.html (only the elements, so a
change elsewhere on the page does not touch them). Refresh with ``pytest --update-goldens`` and
review the diff. The flow diagram's SVG drawing is replaced by its accessible name: Graphviz
coordinates are Graphviz's business, the figure's structure and caption are ours.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from handbook.pdf.render import render_print
from handbook.rules import check_library
from handbook.site.pages import render_page

CASES = sorted((Path(__file__).parent / "cases" / "render").glob("gbt-*"))
ELEMENTS = "ul.hb-items, .hb-note, .hb-example, .hb-table, figure.hb-figure"


def elements(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    found = [el for el in soup.select(ELEMENTS) if not el.find_parent(class_=re.compile(r"hb-(items|table)|hb-figure"))]
    for svg in soup.select("figure svg"):
        svg.clear()
        for attr in ("viewBox", "style"):
            svg.attrs.pop(attr, None)
    return "\n".join(re.sub(r"\n\s*\n", "\n", str(el)) for el in found) + "\n"


def load(case: Path, tmp_path: Path):
    root = tmp_path / case.name
    (root / "standards").mkdir(parents=True)
    shutil.copy(case / "input.yaml", root / "standards" / "input.yaml")
    lib = check_library(root)
    assert lib.errors == [], [p.format() for p in lib.errors]
    return lib, lib.documents[0]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@pytest.mark.parametrize("output", ["site", "print"])
def test_gbt_elements_render_as_the_golden_files(case: Path, output: str, tmp_path, request) -> None:
    lib, doc = load(case, tmp_path)
    if output == "site":
        html = render_page(doc, lib).html
    else:
        html = render_print(doc, lib)
    got = elements(html)
    golden = case / f"{output}.html"
    if request.config.getoption("--update-goldens"):
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")


def test_site_and_print_show_the_same_numbers_labels_and_cell_text(tmp_path) -> None:
    for case in CASES:
        lib, doc = load(case, tmp_path)
        site = BeautifulSoup(render_page(doc, lib).html, "html.parser")
        paper = BeautifulSoup(render_print(doc, lib), "html.parser")

        def labels(soup, selector):
            return [re.sub(r"\s+", "", el.get_text()) for el in soup.select(selector)]

        for selector in (".note-label", ".example-label", ".mark", ".table-caption", ".figure-caption",
                         "table.body-table td"):
            assert labels(site, selector) == labels(paper, selector), selector
        assert labels(site, ".note-label")  # the case has notes, examples, tables and figures
        assert labels(site, ".figure-caption") and labels(site, ".table-caption")
