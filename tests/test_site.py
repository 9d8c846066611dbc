"""The website: build the library, read the HTML back, check what a reader would notice."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from handbook.loader import load
from handbook.problems import RULES
from handbook.rules import check_library
from handbook.site.build import SiteError, build_site
from handbook.site.flow import FlowRenderer
from handbook.site.links import Links, page_of
from handbook.site.overview import glossary_words
from handbook.site.pages import render_page

from .test_site_support import (
    FIXTURE,
    ROOT,
    content_copy,
    fixture_content,
    fixture_site,
    has_shipped_library,
    html_files,
    ids,
    resolve,
    shipped_site,
    soup,
)

SITES = ["fixture", pytest.param("shipped", marks=pytest.mark.skipif(
    not has_shipped_library(), reason="the sample library under standards/ is not there yet"))]


@pytest.fixture(params=SITES)
def built(request) -> tuple[Path, Path]:
    """(site folder, content root) for the fixture library and the shipped one."""
    if request.param == "fixture":
        return fixture_site(), fixture_content()
    return shipped_site(), ROOT


def html_of(site: Path, doc) -> Path:
    return site / page_of(doc).replace(".md", ".html")


# ---------------------------------------------------------------- every page and anchor


def test_every_document_has_its_page_with_its_title(built):
    site, content = built
    lib = check_library(content)
    assert lib.documents
    for doc in lib.documents:
        page = html_of(site, doc)
        assert page.is_file(), f"no page for {doc.id}"
        assert soup(page).find("h1").get_text(strip=True) == doc.title


def test_every_clause_term_form_and_session_has_its_anchor(built):
    site, content = built
    lib = check_library(content)
    for entry in lib.entries.values():
        if entry.item is entry.doc:
            continue
        if entry.kind == "item":  # exam items and their answers are printed for trainers only
            page = html_of(site, entry.doc).read_text(encoding="utf-8")
            assert entry.id not in ids(html_of(site, entry.doc))
            assert all(point not in page for point in entry.item.points)
            continue
        anchors = ids(html_of(site, entry.doc))
        assert entry.id in anchors, f"{entry.key} ({entry.kind}) has no anchor"


def test_clause_anchor_carries_its_computed_number(built):
    site, content = built
    lib = check_library(content)
    for entry in lib.entries.values():
        if entry.kind in ("chapter", "clause", "term", "session", "form", "procedure") and entry.number:
            element = soup(html_of(site, entry.doc)).find(id=entry.id)
            text = element.get_text(" ", strip=True)
            assert text.startswith(entry.number), f"{entry.key}: {text!r} should start with {entry.number}"


def test_no_page_repeats_an_id(built):
    site, _ = built
    for page in html_files(site):
        found = [el["id"] for el in soup(page).find_all(id=True)]
        repeated = {i for i in found if found.count(i) > 1}
        assert not repeated, f"{page.relative_to(site)} repeats {sorted(repeated)[:5]}"


def test_every_internal_link_resolves(built):
    site, _ = built
    checked = 0
    for page in html_files(site):
        for a in soup(page).find_all("a", href=True):
            href = a["href"]
            if re.match(r"^[a-z]+:", href):  # mailto:, https: in content; none are ours
                continue
            target, fragment = resolve(site, page, href)
            assert target.is_file(), f"{page.relative_to(site)}: link {href} to a missing file"
            if fragment and target.suffix == ".html":
                assert fragment in ids(target), f"{page.relative_to(site)}: link {href} to a missing anchor"
            checked += 1
    assert checked > 100


def test_the_html_names_no_external_host(built):
    site, _ = built
    for page in html_files(site):
        for tag, attr in (("link", "href"), ("script", "src"), ("img", "src"), ("iframe", "src"),
                          ("source", "src"), ("video", "src"), ("audio", "src")):
            for el in soup(page).find_all(tag):
                value = el.get(attr, "")
                assert not re.match(r"^(https?:)?//", value), f"{page.relative_to(site)}: <{tag} {attr}={value}>"
    for css in site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8")), css
        assert "@import" not in css.read_text(encoding="utf-8")


def test_every_page_carries_a_policy_that_forbids_outside_scripts(built):
    site, _ = built
    for page in html_files(site):
        meta = soup(page).find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None, page.relative_to(site)
        policy = dict(part.strip().split(" ", 1) for part in meta["content"].split(";"))
        assert "http" not in policy["script-src"] and "*" not in policy["script-src"]
        assert policy["object-src"] == "'none'"


def test_generated_pages_do_not_skip_heading_levels(built):
    site, _ = built
    for page in html_files(site):
        article = soup(page).find("article")
        if article is None:
            continue
        levels = [int(h.name[1]) for h in article.find_all(re.compile(r"^h[1-6]$"))]
        assert levels and levels[0] == 1, page
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, f"{page.relative_to(site)}: h{before} followed by h{after}"


# ---------------------------------------------------------------- standards, manuals, curricula


def test_standard_page_shows_cover_contents_annexes_and_forms():
    site = fixture_site()
    page = soup(site / "standards" / "fx-guide.html")
    text = page.find(class_="hb-meta").get_text()
    for expected in ("示例/T 901—2026", "发布日期：2026-01-15", "实施日期：2026-03-01", "ICS：03.080", "代替：示例/T 901—2024"):
        assert expected in text
    contents = page.find(id="_contents").find_next("nav")
    assert [a["href"] for a in contents.find_all("a")][:3] == ["#_foreword", "#_introduction", "#_scope"]
    assert page.find(id="risk-others").name == "h3"
    assert page.find(id="risk-others").get_text(strip=True) == "B.2　伤人风险"
    annex = page.find(id="annex-case-forms")
    assert [s.get_text() for s in annex.find_all("span")] == ["附录A", "（规范性）", "个案服务记录表"]
    form = page.find(id="form-intake")
    assert form.get_text(" ", strip=True).startswith("表A.1")
    rows = form.find_next("table").find_all("tr")
    assert [c.get_text(strip=True) for c in rows[4].find_all("td")][:3] == ["4", "来源", "勾选：□ 主动求助\u3000□ 社区转介\u3000□ 公安转介"]


def test_clauses_deeper_than_h6_and_untitled_clauses_keep_their_anchor_and_number():
    page = soup(fixture_site() / "standards" / "fx-guide.html")
    deep = page.find(id="crisis-level-high-a")
    assert deep.name == "p" and deep.get_text(strip=True) == "5.4.1.1.1.1　自伤风险"
    untitled = page.find(id="family-plan")
    # the anchor holds the clause's paragraphs (as in print); its first paragraph opens with the number
    assert untitled.name == "div" and untitled.find("p").get_text(strip=True).startswith("5.2.2")
    assert "服务计划宜与服务对象" in untitled.get_text()
    assert page.find(id="method-crisis").name == "h3"


ANNEX_WITH_CLAUSES = """
  - id: annex-steps
    nature: 资料性
    title: 操作要点
    clauses:
      - id: step-one
        title: 准备
        text: 准备[[form-intake]]。
      - id: step-two
        title: 实施
        text: 按[[method-crisis]]实施。
"""


def test_a_third_annex_continues_the_letters(tmp_path):
    path = tmp_path / "standards" / "fx-guide.yaml"
    path.parent.mkdir()
    text = (FIXTURE / "standards" / "fx-guide.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("bibliography:", ANNEX_WITH_CLAUSES.lstrip("\n") + "bibliography:", 1),
                    encoding="utf-8")
    lib = load([path], tmp_path)
    page = BeautifulSoup(render_page(lib.document("fx-guide"), lib, flow=lambda *a: "", permalink=None).html,
                         "html.parser")
    assert page.find(id="annex-steps").get_text(" ", strip=True) == "附录C （资料性） 操作要点"
    assert page.find(id="step-two").name == "h3"
    assert page.find(id="step-two").get_text(strip=True) == "C.2　实施"
    assert page.find(id="step-two").find_next("a")["href"] == "#method-crisis"


def test_cross_references_become_links_to_the_right_page_and_anchor():
    site = fixture_site()
    manual = site / "manuals" / "fx-manual.html"
    link = soup(manual).find("a", string=re.compile("表A.1"))
    assert link["href"] == "../standards/fx-guide.html#form-intake"
    term_link = soup(site / "standards" / "fx-guide.html").find("article").find("a", href="#motivational-interviewing")
    assert term_link.get_text() == "动机式访谈（3.3）"  # GB/T 1.1 style for a term cited in text


def test_manual_procedure_has_a_flow_diagram_steps_and_linked_clauses():
    page = soup(fixture_site() / "manuals" / "fx-manual.html")
    heading = page.find(id="intake")
    svg = heading.find_next("svg")
    assert svg["role"] == "img" and "接案" in svg["aria-label"]
    labels = " ".join(t.get_text() for t in svg.find_all("text"))
    assert "禁毒社工" in labels and "督导" in labels and "表1 探访记录表" in labels
    steps = heading.find_next("table")
    assert [th.get_text() for th in steps.find_all("th")] == ["步骤", "执行者", "行动", "记录", "时限"]
    assert len(steps.find_all("tr")) == 4
    implemented = heading.find_next("strong", string="落实的标准条款").parent
    assert "../standards/fx-guide.html#family-contact" in [a["href"] for a in implemented.find_all("a")]
    # every id in inline SVGs is unique on the page
    all_ids = [el["id"] for el in page.find_all(id=True)]
    assert len(all_ids) == len(set(all_ids))


def test_flow_diagrams_are_cached_by_content(tmp_path):
    lib = check_library(FIXTURE)
    manual = lib.document("fx-manual")
    flow = FlowRenderer(tmp_path)
    first = render_page(manual, lib, flow=flow).html
    cached = list(tmp_path.glob("*.svg"))
    assert len(cached) == 1
    cached[0].write_text(cached[0].read_text(encoding="utf-8").replace("督导", "CACHED"), encoding="utf-8")
    assert "CACHED" in render_page(manual, lib, flow=flow).html and "CACHED" not in first


def test_curriculum_schedule_and_sessions():
    page = soup(fixture_site() / "curricula" / "fx-course.html")
    schedule = page.find(id="_schedule").find_next("table")
    head = [th.get_text() for th in schedule.find_all("th")]
    assert head == ["阶段", "模块", "课次", "学时", "形式", "教学方法", "授课角色"]
    first = [td.get_text(strip=True) for td in schedule.find_all("tr")[1].find_all("td")]
    assert first == ["第一阶段", "法律法规", "第1讲　社区戒毒与社区康复", "3", "线下", "讲授、研讨", "外部专家"]
    session = page.find(id="session-mi")
    assert session.name == "h4" and session.get_text(strip=True).startswith("第2讲")
    body = session.find_next("h4") or page
    section = "".join(str(s) for s in session.find_all_next() if s is not body)
    assert "运用动机式访谈的基本技巧" in section
    assert "../standards/fx-guide.html#method-motivation" in section
    assert "准备法条原文" not in page.get_text()  # trainer notes are for the trainer's print only


# ---------------------------------------------------------------- library-wide pages


def test_glossary_links_each_term_to_its_definition_and_uses():
    site = fixture_site()
    page = soup(site / "glossary.html")
    term = page.find(id="motivational-interviewing")
    assert term.get_text(strip=True).startswith("动机式访谈")
    after = []
    for el in term.find_all_next():
        if el.name in ("h2", "h3"):
            break
        after += [a["href"] for a in el.find_all("a", href=True)] if el.name in ("p", "ul") else []
    assert "standards/fx-guide.html#motivational-interviewing" in after
    assert "curricula/fx-course.html#session-mi" in after  # mentions 动机式访谈
    assert "standards/fx-guide.html#method-motivation" in after  # refers to it with [[...]]


def test_coverage_lists_teaching_sessions_and_uncovered_clauses():
    page = soup(fixture_site() / "coverage.html")
    uncovered = page.find(id="_uncovered").find_next("ul")
    hrefs = [a["href"] for a in uncovered.find_all("a")]
    assert "standards/fx-guide.html#method-crisis" in hrefs
    assert "standards/fx-guide.html#method-motivation" not in hrefs
    assert "standards/fx-guide.html#principle-confidentiality" not in hrefs  # its chapter is taught
    row = page.select_one('table a[href="standards/fx-guide.html#method-motivation"]').find_parent("tr")
    cells = row.find_all("td")
    assert cells[1].find("a")["href"] == "curricula/fx-course.html#session-mi"
    assert "manuals/fx-manual.html#mi-skills" in [a["href"] for a in cells[2].find_all("a")]
    assert cells[3].get_text() == "已覆盖"


def test_rule_catalogue_lists_every_rule():
    text = soup(fixture_site() / "rules.html").get_text(" ")
    for rule in RULES.values():
        assert rule.code in text


def test_downloads_copy_and_link_existing_pdfs_only():
    site = fixture_site()
    assert (site / "downloads" / "fx-guide.pdf").read_bytes().startswith(b"%PDF")
    table = soup(site / "downloads.html").find("article").find("table")
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in table.find_all("tr")[1:]]
    assert [r[:3] for r in rows] == [
        ["禁毒社会工作服务测试指南", "全文", "fx-guide.pdf"],
        ["新入职禁毒社工测试培训", "第二阶段　实务训练，学员手册", "fx-course-phase-practice-workbook.pdf"],
    ]
    links = [a["href"] for a in table.find_all("a", href=True)]
    assert links == ["downloads/fx-guide.pdf", "downloads/fx-course-phase-practice-workbook.pdf"]
    # each document page links its own PDFs under the title, and only those
    own = soup(site / "standards" / "fx-guide.html").find("strong", string="PDF 下载").parent
    assert [(a.get_text(), a["href"]) for a in own.find_all("a")] == [("全文", "../downloads/fx-guide.pdf")]
    assert soup(site / "manuals" / "fx-manual.html").find("strong", string="PDF 下载") is None


def test_home_has_one_card_per_document(built):
    site, content = built
    lib = check_library(content)
    cards = soup(site / "index.html").select(".grid.cards li")
    assert sorted(c.find("a")["href"] for c in cards) == sorted(html_of(site, d).relative_to(site).as_posix()
                                                               for d in lib.documents)


def test_home_has_cards_and_recent_edition_changes():
    page = soup(fixture_site() / "index.html")
    cards = page.select(".grid.cards a")
    assert {a["href"] for a in cards} >= {"standards/fx-guide.html", "manuals/fx-manual.html",
                                         "curricula/fx-course.html"}
    recent = page.find("table")
    assert "增加动机式访谈的要求" in recent.get_text()


# ---------------------------------------------------------------- search, offline, nav


def index_tokens(site: Path) -> set[str]:
    """Every token of the search index built into ``site`` (the postings shards, search/p*.js)."""
    out = set()
    for shard in (site / "search").glob("p*.js"):
        text = json.loads(shard.read_text(encoding="utf-8").split(",", 1)[1].rsplit(")", 1)[0])
        out.update(line.split("\t", 1)[0] for line in text.split("\n"))
    return out


def test_glossary_terms_are_indexed_as_whole_words(built):
    site, content = built
    tokens = index_tokens(site)
    defined = glossary_words(check_library(content))
    for word in ("社区康复", "动机式访谈", "强制隔离戒毒"):  # jieba alone splits each of them
        assert word in defined and word in tokens, f"{word} was split by the segmenter"
    assert {"社区", "区康", "康复"} <= tokens  # and every pair of characters


def test_search_index_is_stored_as_utf8(built):
    site, _ = built
    raw = "".join(p.read_text(encoding="utf-8") for p in (site / "search").glob("*.js"))
    assert "\\u5" not in raw and "\\u6" not in raw  # no ASCII-escaped CJK characters
    assert "社区康复" in raw


def test_offline_search_and_no_cdn_shim(built):
    site, _ = built
    assert (site / "search" / "manifest.js").read_text(encoding="utf-8").startswith("hbSearch.manifest(")
    assert not (site / "search" / "search_index.json").exists()  # Material's whole-site index is gone
    page = soup(site / "index.html")
    scripts = [s.get("src", "") for s in page.find_all("script")]
    assert any(s.endswith("assets/javascripts/iframe-worker.js") for s in scripts)
    assert (site / "assets" / "javascripts" / "iframe-worker.js").is_file()
    assert not any("search" in s for s in scripts)  # the search engine loads on first use, not with the page


def test_navigation_is_pruned():
    site = fixture_site()
    nav = soup(site / "standards" / "fx-guide.html").find("nav", class_="md-nav--primary")
    hrefs = [a["href"] for a in nav.find_all("a", href=True)]
    editors = [h for h in hrefs if h in ("../how-to-edit.html", "../editing.html", "../rules.html")]
    assert len(editors) == 1  # a collapsed section links to its first page, the rest is left out


# ---------------------------------------------------------------- safety and failure


def test_script_in_yaml_is_shown_as_text(tmp_path):
    path = tmp_path / "standards" / "x.yaml"
    path.parent.mkdir()
    text = (FIXTURE / "standards" / "fx-guide.yaml").read_text(encoding="utf-8")
    text = text.replace("title: 以人为本", "title: '以人为本 | *重点* <b>[x](y)</b> #1'")
    text = text.replace("服务应尊重服务对象的尊严和自决权。",
                        "服务应尊重<script>alert(1)</script>对象，见[说明](javascript:alert(2))。")
    path.write_text(text, encoding="utf-8")
    lib = load([path], tmp_path)
    doc = lib.document("fx-guide")
    html = render_page(doc, lib, Links(lib), flow=lambda *a: "", permalink=None).html
    page = BeautifulSoup(html, "html.parser")
    assert page.find("script") is None
    assert "<script>alert(1)</script>" in page.find(id="principle-people-centred").find_next("p").get_text()
    # plain strings such as titles are shown literally, Markdown and HTML alike
    assert page.find(id="principle-people-centred").get_text() == "4.1　以人为本 | *重点* <b>[x](y)</b> #1"
    assert not [a for a in page.find_all("a", href=True) if a["href"].lower().startswith("javascript")]


def test_errors_stop_the_build_with_located_messages_and_keep_the_old_site(tmp_path, caplog):
    content = content_copy("broken")
    out = tmp_path / "site"
    build_site(ROOT, out, content_root=content)
    before = (out / "index.html").read_bytes()
    guide = content / "standards" / "fx-guide.yaml"
    lines = guide.read_text(encoding="utf-8").splitlines()
    lineno = next(i for i, line in enumerate(lines, 1) if "[[annex-case-forms]]" in line)
    guide.write_text("\n".join(lines).replace("[[annex-case-forms]]", "[[annex-case-form]]"), encoding="utf-8")
    with pytest.raises(SiteError), caplog.at_level("ERROR"):
        build_site(ROOT, out, content_root=content)
    assert re.search(rf"standards/fx-guide\.yaml:{lineno}:\d+: E602 ", caplog.text)
    assert (out / "index.html").read_bytes() == before
    # no temporary folder left behind (the flock file .site.lock stays by design)
    assert [p.name for p in out.parent.iterdir() if p.name != ".site.lock"] == ["site"]


def test_site_command_replaces_the_output_folder(tmp_path):
    from handbook.cli import main

    content = content_copy("cli")
    shutil.copy(ROOT / "mkdocs.yml", content / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", content / "docs", ignore=shutil.ignore_patterns("notes"))
    (content / "src" / "handbook").mkdir(parents=True)
    shutil.copytree(ROOT / "src" / "handbook" / "theme", content / "src" / "handbook" / "theme")
    (content / "site").mkdir()
    (content / "site" / "stale.html").write_text("old", encoding="utf-8")
    assert main(["--root", str(content), "site"]) == 0
    assert (content / "site" / "standards" / "fx-guide.html").is_file()
    assert not (content / "site" / "stale.html").exists()


# ---------------------------------------------------------------- preview


def test_only_one_document_renders_just_its_page_without_broken_links(tmp_path):
    out = build_site(ROOT, tmp_path / "site", content_root=fixture_content(), only="fx-manual")  # strict
    assert (out / "manuals" / "fx-manual.html").is_file()
    assert not (out / "standards" / "fx-guide.html").exists()
    article = soup(out / "manuals" / "fx-manual.html").find("article")
    assert "表A.1" in article.get_text() and not article.find("a", href=re.compile("fx-guide"))
    with pytest.raises(SiteError):
        build_site(ROOT, tmp_path / "site", content_root=fixture_content(), only="no-such-document")


def test_serve_watches_the_content_folders():
    from handbook.site.plugin import HandbookPlugin

    class Server:
        def __init__(self):
            self.watched = []

        def watch(self, path):
            self.watched.append(Path(path))

    plugin = HandbookPlugin()
    plugin.content_root = FIXTURE
    server = Server()
    assert plugin.on_serve(server, config=None, builder=None) is server
    assert server.watched == [FIXTURE / "standards", FIXTURE / "curricula"]


def test_serve_rebuilds_when_a_yaml_file_is_saved(tmp_path):
    """``build.py serve`` on a private project copy: saving a YAML file changes the served page."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    project = content_copy("serve")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "docs").mkdir()
    shutil.copytree(ROOT / "src" / "handbook" / "theme", project / "src" / "handbook" / "theme")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/standards/fx-guide.html"
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(project), "serve", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)

    def page_title() -> str | None:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                h1 = BeautifulSoup(response.read().decode("utf-8"), "html.parser").find("h1")
        except OSError:
            return None
        for link in h1.select("a.headerlink"):
            link.decompose()
        return h1.get_text(strip=True)

    def wait_for(title: str) -> bool:
        for _ in range(120):  # polls up to a minute; the test asserts the outcome, not the time taken
            if page_title() == title or proc.poll() is not None:
                return page_title() == title
            time.sleep(0.5)
        return False

    try:
        assert wait_for("禁毒社会工作服务测试指南"), (tmp_path / "serve.log").read_text(encoding="utf-8")
        guide = project / "standards" / "fx-guide.yaml"
        guide.write_text(guide.read_text(encoding="utf-8").replace("title: 禁毒社会工作服务测试指南",
                                                                   "title: 保存后的新标题"), encoding="utf-8")
        assert wait_for("保存后的新标题")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_the_site_learns_the_pdfs_from_the_manifest_not_from_file_names(tmp_path):
    from handbook.site.overview import find_pdfs

    lib = check_library(FIXTURE)
    out = tmp_path / "build" / "pdf"
    out.mkdir(parents=True)
    for name in ("renamed-by-hand.pdf", "fx-guide.pdf", "gone.pdf"):
        (out / name).write_bytes(b"%PDF-1.4\n")
    (out / "manifest.json").write_text(json.dumps({
        "renamed-by-hand.pdf": {"document": "fx-course", "kind": "trainer", "phase": "phase-practice"},
        "gone.pdf": {"document": "no-such-document", "kind": "handbook", "phase": None},
        "missing.pdf": {"document": "fx-guide", "kind": "handbook", "phase": None},
    }), encoding="utf-8")
    found = [(p.path.name, p.doc.id, p.part) for p in find_pdfs(tmp_path, lib)]
    # fx-guide.pdf is not in the manifest, gone.pdf names no document, missing.pdf has no file
    assert found == [("renamed-by-hand.pdf", "fx-course", "第二阶段　实务训练，培训者手册")]
