"""修订说明 pages: a library in a git repository, tagged, then edited; the site lists the changes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.exceptions import Abort

from handbook.site.build import build_site, load

from .conftest import ROOT, write_base_library


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def committed(root: Path) -> Path:
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "测试编辑")
    git(root, "config", "user.email", "editor@example.org")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "第1版")
    return root


def reword_process(root: Path) -> None:
    """Chapter 5 服务流程 (taught by session 第1讲 禁毒法解读) gets new wording."""
    path = root / "standards" / "base-std.yaml"
    text = path.read_text(encoding="utf-8")
    old = "text: 服务按接案、预估、计划、介入、评估、结案进行。"
    assert text.count(old) == 1
    path.write_text(text.replace(old, "text: 服务按接案、预估、计划、介入、评估、结案六个环节进行。"), encoding="utf-8")


def article(site: Path, page: str) -> BeautifulSoup:
    html = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    for link in html.select("a.headerlink"):
        link.decompose()
    return html.find("article")


def rows(table) -> list[list[str]]:
    return [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in table.find_all("tr")[1:]]


@pytest.fixture
def tagged(tmp_path: Path) -> Path:
    content = committed(write_base_library(tmp_path / "content"))
    git(content, "tag", "v1")
    return content


def test_changed_clause_is_listed_and_the_session_teaching_it_flagged(tagged: Path, tmp_path: Path):
    reword_process(tagged)  # not committed: the page compares the working tree with the tag
    site = build_site(ROOT, tmp_path / "site", content_root=tagged)  # strict

    page = article(site, "revisions/base-std.html")
    assert page.find("h1").get_text(strip=True) == "测试用服务指南：修订说明"
    assert "与上一版（git 标签 v1）相比，本文件共有 1 处变化：文字修改 1 处。" in page.get_text()
    assert rows(page.find("table")) == [["文字修改", "章 服务流程", "5", "5", "修改了文字"]]
    assert page.find("table").find("a")["href"] == "../standards/base-std.html#process"
    # The old and the new wording, word by word: only 六个环节 is new.
    wording = page.find("h2", string="文字修改").find_next("ul")
    assert [i.get_text() for i in wording.find_all("ins")] == ["六个环节"] and not wording.find_all("del")
    assert wording.find("span", class_="wording").get_text() == "服务按接案、预估、计划、介入、评估、结案六个环节进行。"

    flagged = page.find("h2", string="需要培训者复核的课次").find_next("ul").find_all("li")
    assert [li.get_text("", strip=True) for li in flagged] == ["测试用培训项目 第1讲 禁毒法解读：讲授的 5 服务流程（文字修改）"]
    assert flagged[0].find("a")["href"] == "../curricula/base-course.html#session-law"

    # The curriculum's own page flags the same session, naming the standard that changed.
    course = article(site, "revisions/base-course.html")
    taught = course.find("h2", string="所讲授条款在其他文件中有变化的课次").find_next("ul").get_text(" ", strip=True)
    assert taught == "第1讲 禁毒法解读 ：讲授的 《测试用服务指南》5 服务流程 （文字修改）"
    assert "与上一版（git 标签 v1）相比，本文件没有变化。" in course.get_text()

    # The document's page links to its 修订说明 page, and the navigation lists it under the document.
    std = BeautifulSoup((site / "standards" / "base-std.html").read_text(encoding="utf-8"), "html.parser")
    link = std.find("article").find("a", href="../revisions/base-std.html")
    assert link.get_text(strip=True) == "与 v1 相比有 1 处变化"
    nav = std.find("nav", class_="md-nav--primary")
    entry = nav.find("a", href="../revisions/base-std.html")
    assert entry.get_text(strip=True) == "修订说明"
    section = entry.find_parent("li", class_="md-nav__item--nested")
    assert section.find("label").get_text(strip=True) == "测试用服务指南"
    # The browser tab names the document; search leaves the page out (it repeats the document's titles).
    html = BeautifulSoup((site / "revisions" / "base-std.html").read_text(encoding="utf-8"), "html.parser")
    assert html.find("title").get_text() == "测试用服务指南：修订说明 - 禁毒社工服务标准与培训手册"
    records = [row for chunk in (site / "search").glob("r*.js")
            for row in json.loads(chunk.read_text(encoding="utf-8").split(",", 1)[1].rsplit(")", 1)[0])]
    locations = {row[4].split("#")[0] for row in records}  # the URL of each search record
    assert "standards/base-std.html" in locations and not any(p.startswith("revisions/") for p in locations)


def test_titles_with_html_characters_show_literally_in_the_nav_and_the_tab(tmp_path: Path):
    content = write_base_library(tmp_path / "content")
    manual = content / "standards" / "base-manual.yaml"
    text = manual.read_text(encoding="utf-8").replace("  title: 测试用实务手册", "  title: '手册 <b>加粗</b> & 符号'")
    manual.write_text(text, encoding="utf-8")
    git(committed(content), "tag", "v1")
    site = build_site(ROOT, tmp_path / "site", content_root=content)
    html = BeautifulSoup((site / "revisions" / "base-manual.html").read_text(encoding="utf-8"), "html.parser")
    literal = "手册 <b>加粗</b> & 符号"
    assert html.find("title").get_text() == f"{literal}：修订说明 - 禁毒社工服务标准与培训手册"
    assert html.find("h1").get_text().rstrip("¶") == f"{literal}：修订说明"
    nav = html.find("nav", class_="md-nav--primary")
    assert nav.find("b") is None
    assert literal in [label.get_text(strip=True) for label in nav.find_all("label")]


def test_no_tag_says_no_earlier_edition_is_recorded_and_how_to_tag(tmp_path: Path):
    content = committed(write_base_library(tmp_path / "content"))
    reword_process(content)
    site = build_site(ROOT, tmp_path / "site", content_root=content)  # strict: still builds
    # With nothing to compare, one page says so instead of one identical page per document.
    assert not (site / "revisions" / "base-std.html").exists()
    page = article(site, "revisions/index.html")
    text = page.get_text(" ", strip=True)
    assert "还没有用 git 标签记录过更早的版本" in text
    assert 'git tag -a v1 -m "第1版"' in page.find("code").get_text()
    assert page.find("table") is None and "服务流程" not in text
    std = article(site, "standards/base-std.html")
    assert std.find("a", href="../revisions/index.html").get_text(strip=True) == "尚无更早版本的记录"


def test_outside_git_the_page_says_so(tmp_path: Path):
    content = write_base_library(tmp_path / "content")
    site = build_site(ROOT, tmp_path / "site", content_root=content)
    text = article(site, "revisions/index.html").get_text(" ", strip=True)
    assert "不在 git 仓库中" in text and "git init" in text


def build_against(content: Path, out: Path, against: str) -> Path:
    cfg = load(ROOT, out, content_root=content)
    cfg.plugins["handbook"].config.revisions_against = against
    build(cfg)
    return out


def test_revisions_against_names_the_base_revision(tagged: Path, tmp_path: Path):
    reword_process(tagged)
    git(tagged, "commit", "-q", "-am", "第2版草稿")
    # Against HEAD (the commit that already has the new wording) nothing changed.
    site = build_against(tagged, tmp_path / "head", "HEAD")
    text = article(site, "revisions/base-std.html").get_text(" ", strip=True)
    assert "与版本“HEAD”相比，本文件没有变化。" in text
    site = build_against(tagged, tmp_path / "first", "HEAD~1")
    assert rows(article(site, "revisions/base-std.html").find("table")) == [
        ["文字修改", "章 服务流程", "5", "5", "修改了文字"]]
    # A revision git does not know is a warning, so a strict build stops.
    with pytest.raises(Abort):
        build_against(tagged, tmp_path / "bad", "v9")


def test_only_mode_compares_the_shown_document(tagged: Path, tmp_path: Path):
    reword_process(tagged)
    site = build_site(ROOT, tmp_path / "site", content_root=tagged, only="base-std")
    assert not (site / "revisions" / "base-course.html").exists()
    flagged = article(site, "revisions/base-std.html").find("h2", string="需要培训者复核的课次").find_next("ul")
    # The session is still flagged for trainers; its page is not built, so it is named without a link.
    assert flagged.get_text("", strip=True) == "测试用培训项目 第1讲 禁毒法解读：讲授的 5 服务流程（文字修改）"
    assert flagged.find("a") is None
