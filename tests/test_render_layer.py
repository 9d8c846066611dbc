"""The shared render layer on its own: the same macro gives the site and the print the same facts,
and text an editor writes comes out literally (the pages are wired to it on the render branch)."""

from __future__ import annotations

import yaml
from bs4 import BeautifulSoup

from handbook.loader import find_files, load
from handbook.render.context import Context
from handbook.render.env import environment

from .conftest import write_base_library

TITLE = "以人为本 {试行} <b>乙</b> `丙` *戊* a|b {{ x }}"


class Anchors:
    def __init__(self, doc):
        self.doc = doc

    def url(self, entry):
        return f"#{entry.id}" if entry.doc is self.doc else None


def test_one_clause_macro_says_the_same_on_site_and_print(tmp_path):
    write_base_library(tmp_path)
    path = tmp_path / "standards" / "base-std.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["chapters"][0]["clauses"][0]["title"] = TITLE
    data["cover"]["supersedes"] = "示例/T 900—2024"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    lib = load(find_files(tmp_path), tmp_path)
    doc = lib.document("base-std")
    macros = environment().get_template("macros.html").module
    front = environment().get_template("standard_front.html").module
    seen = {}
    for output in ("site", "print"):
        ctx = Context(output, lib, doc, Anchors(doc), permalink=("¶", "本节链接") if output == "site" else None)
        page = BeautifulSoup(str(macros.clause(ctx, doc.chapters[0], 1)) + str(front.foreword(ctx, doc)),
                             "html.parser")
        heading = page.find(id="people-centred")
        assert heading.name == ("h3" if output == "site" else "h2")
        for link in heading.select("a.headerlink"):
            link.decompose()
        seen[output] = (" ".join(heading.get_text().split()), page.find(id="confidentiality").find_next("p").get_text(),
                        [p.get_text() for p in page.find_all("p") if p.get_text().startswith("本文件代替")],
                        page.find(class_="releases").get_text())
    assert seen["site"] == seen["print"]
    assert seen["site"][0] == f"4.1 {TITLE}"
    assert seen["site"][2] == ["本文件代替示例/T 900—2024。"] and seen["site"][3] == "本文件首次发布。"
