"""Nothing an editor can write breaks a page or an anchor: every text field comes out literally,
on the site (a real ``mkdocs build --strict``) and in the PDF (pdftotext).

Plain fields (titles, terms, labels, names) carry every character Markdown, attr_list, Jinja and
HTML treat specially. Markdown fields carry the ones that are not Markdown syntax in the editor
subset and that ``check`` lets through (braces, a lone angle bracket, brackets, pipes, ``#``): a
backtick or an asterisk there is Markdown as documented, and HTML, attribute lists and broken
``[[`` are check errors (E811, E812, E815), so they cannot reach a page.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from handbook.loader import find_files, load
from handbook.pdf.render import render_print
from handbook.pdf.write import write_pdf
from handbook.site.build import build_site

from .conftest import ROOT, write_base_library

PLAIN = "甲 {试行} <b>乙</b> `丙` [[ 丁 ]] [[甲 *戊* a|b #1 &amp; {{ x }} {: #y }"
MARKDOWN = "己 {试行} 3 < 5 > 1 [方括号] c|d {{ z }} #2"


def nasty(root: Path) -> dict[str, list[str]]:
    """Write the base library with nasty text in every editor field; the strings expected, by document."""
    write_base_library(root)
    std_path = root / "standards" / "base-std.yaml"
    std = yaml.safe_load(std_path.read_text(encoding="utf-8"))
    p = lambda tag: f"{tag}{PLAIN}"  # noqa: E731 - a tag tells the fields apart
    m = lambda tag: f"{tag}{MARKDOWN}"  # noqa: E731
    std["cover"]["title"] = p("封面标题")
    std["cover"]["title_en"] = p("English")
    std["cover"]["supersedes"] = p("代替")
    std["foreword"].update(proposer=p("提出"), administrator=p("归口"), drafting_units=[p("单位")],
                           drafters=[p("起草人")], text=m("前言说明"))
    std["scope"] = m("范围")
    std["normative_references"] = {"documents": [{"code": p("编号"), "title": p("引用文件")}]}
    term = std["terms"]["entries"][0]
    term.update(term=p("术语"), en=p("英文"), definition=m("定义"), notes=[m("术语注")], source=p("来源"))
    clause = std["chapters"][0]["clauses"][0]
    clause.update(title=p("条标题"), text=m("条文"), items=[m("列项")], notes=[m("条注")])
    form = std["annexes"][0]["forms"][0]
    form.update(title=p("表名"), purpose=m("用途"), note=m("表注"))
    form["fields"][0].update(label=p("栏目"), hint=p("说明"))
    form["fields"].append({"label": p("勾选栏"), "type": "check", "options": [p("选项")]})
    std["annexes"][0]["title"] = p("附录标题")
    std["bibliography"] = [p("参考文献")]
    std["history"][0]["changes"] = ["首次发布"]
    std["history"].append({"edition": p("第2版"), "date": "2026-02-01", "changes": [m("变化")]})
    std_path.write_text(yaml.safe_dump(std, allow_unicode=True, sort_keys=False), encoding="utf-8")

    man_path = root / "standards" / "base-manual.yaml"
    man = yaml.safe_load(man_path.read_text(encoding="utf-8"))
    chapter = man["chapters"][0]
    chapter["title"] = p("手册章")
    proc = chapter["procedures"][0]
    proc.update(title=p("程序"), purpose=m("目的"), notes=[m("注意")])
    proc["steps"][0].update(actor=p("执行者"), action=m("行动"), time_limit=p("时限"))
    chapter["cases"][0].update(title=p("案例"), text=m("案例文"))
    man_path.write_text(yaml.safe_dump(man, allow_unicode=True, sort_keys=False), encoding="utf-8")

    std_plain = ["封面标题", "English", "代替", "提出", "归口", "单位", "起草人", "编号", "引用文件", "术语", "英文",
                 "来源", "条标题", "表名", "栏目", "说明", "勾选栏", "选项", "附录标题", "参考文献", "第2版"]
    std_md = ["前言说明", "范围", "定义", "术语注", "条文", "列项", "条注", "用途", "表注", "变化"]
    return {
        "base-std": [p(t) for t in std_plain] + [m(t) for t in std_md],
        "base-manual": [p(t) for t in ("手册章", "程序", "执行者", "时限", "案例")]
        + [m(t) for t in ("目的", "注意", "行动", "案例文")],
    }


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    root = tmp_path_factory.mktemp("nasty")
    expected = nasty(root)
    lib = load(find_files(root), root)
    assert not lib.errors, [e.format() for e in lib.errors]
    return root, lib, expected


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_editor_field_is_literal_on_the_site(library, tmp_path):
    root, lib, expected = library
    site = build_site(ROOT, tmp_path / "site", content_root=root)  # strict: a lost anchor fails the build
    for doc_id, strings in expected.items():
        section = "standards" if doc_id == "base-std" else "manuals"
        page = BeautifulSoup((site / section / f"{doc_id}.html").read_text(encoding="utf-8"), "html.parser")
        for link in page.select("a.headerlink"):
            link.decompose()
        text = flat(page.find("article").get_text())
        missing = [s for s in strings if flat(s) not in text]
        assert not missing, f"{doc_id}: not shown literally on the site: {missing}"
    guide = BeautifulSoup((site / "standards" / "base-std.html").read_text(encoding="utf-8"), "html.parser")
    heading = guide.find(id="people-centred")
    assert heading is not None and heading.name == "h3"


def test_every_editor_field_is_literal_in_the_pdf(library, tmp_path):
    root, lib, expected = library
    for doc_id, strings in expected.items():
        pdf = tmp_path / f"{doc_id}.pdf"
        write_pdf(render_print(lib.document(doc_id), lib), pdf)
        # -raw: the order the PDF draws the text (a table's cells would otherwise interleave their lines)
        text = flat(subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout)
        missing = [s for s in strings if flat(s) not in text]
        assert not missing, f"{doc_id}: not printed literally: {missing}"
