"""Search on the built shipped site in Debian's Chromium: the right first hit for every query of the
shared query set, verbatim phrases and an alias, over HTTP and from file://, with every request
recorded (none leaves the site, nothing of search loads before the box is used)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from handbook.loader import iter_strings
from handbook.rules import check_library
from handbook.search.index import tokens

from .test_site_support import CHROMIUM, ROOT, chromium, has_shipped_library, serve_folder, shipped_site

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"), reason="Debian's chromium is not installed"),
    pytest.mark.skipif(not has_shipped_library(), reason="needs the shipped library"),
]
# The team's query set lives in shared/ beside the repository (on CI beside the clone); the copy in
# tests/fixtures is used where there is none.
QUERIES = next((p / "shared" / "search" / "queries.json" for p in ROOT.parents
                if (p / "shared" / "search" / "queries.json").is_file()), ROOT / "tests" / "fixtures" / "search_queries.json")
# Phrases copied verbatim from clauses, and aliases an editor gave a term: (query, anchor of the first hit).
PHRASES = [("一人一档", "records-case-file"), ("内部督导为主、外部督导为辅", "supervision-model"),
           ("不少于 40 学时的岗前培训", "assurance-training")]
ALIASES = [("同伴辅导员", "peer-counsellor"), ("戒毒康复人员", "service-recipient")]


def query_set() -> dict[str, list[str]]:
    data = json.loads(QUERIES.read_text(encoding="utf-8"))
    return {q: anchors for q, anchors in data.items() if not q.startswith("_")}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("search") / "site copy"  # a space in the path, as on a USB stick
    shutil.copytree(shipped_site(), copy)
    return copy


@pytest.fixture(scope="module")
def server(site):
    with serve_folder(site) as origin:
        yield origin


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def search(page, query: str) -> list[dict]:
    """Type ``query`` into the search box as a person would; the results shown for it."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(query, delay=10)
    page.wait_for_function("q => document.querySelector('.md-search-result__list').dataset.query === q", arg=query,
                           timeout=15000)
    return page.eval_on_selector_all(".md-search-result__item a", """els => els.map(a => ({
        href: a.href, anchor: a.hash.slice(1), heading: a.querySelector('h1').textContent,
        document: a.querySelector('.hb-search-document').textContent,
        marks: Array.from(a.querySelectorAll('mark')).map(m => m.textContent)}))""")


def run_all(browser, origin: str) -> tuple[dict, list[str]]:
    """Every query of the set, the phrases and the aliases from a fresh page each; misses and all requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    urls: list[str] = []
    context.on("request", lambda r: urls.append(r.url))
    page = context.new_page()
    missed = {}
    cases = [*query_set().items(), *((q, [a]) for q, a in PHRASES + ALIASES)]
    for query, anchors in cases:
        page.goto(origin + "/index.html")
        results = search(page, query)
        if not results or results[0]["anchor"] not in anchors:
            missed[query] = [r["heading"] for r in results[:3]]
    context.close()
    return missed, urls


def test_query_set_phrases_and_aliases_over_http(browser, server):
    assert len(query_set()) == 20
    missed, urls = run_all(browser, server)
    assert missed == {}
    assert [u for u in urls if not u.startswith(server + "/")] == []
    assert any("/search/p" in u for u in urls) and any("/search/r" in u for u in urls)


def test_query_set_phrases_and_aliases_from_file(browser, site):
    origin = site.as_uri()
    missed, urls = run_all(browser, origin)
    assert missed == {}
    assert [u for u in urls if not u.startswith(origin + "/")] == []


def test_nothing_of_search_loads_until_the_box_is_used(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    urls: list[str] = []
    context.on("request", lambda r: urls.append(r.url))
    page = context.new_page()
    page.goto(server + "/standards/jd-service-guide.html")
    page.wait_for_load_state("networkidle")
    assert not [u for u in urls if "/search/" in u or u.endswith("search.js")]
    search(page, "社区康复")
    loaded = [u for u in urls if "/search/" in u]
    shards = [u for u in loaded if "/search/p" in u]
    total = len(list((Path(shipped_site()) / "search").glob("p*.js")))
    assert any(u.endswith("/search/manifest.js") for u in loaded)
    assert 0 < len(shards) <= 4 < total  # only the shards of the query's own pairs
    context.close()


def test_result_shows_number_title_document_and_the_whole_phrase(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(server + "/index.html")
    first = search(page, "社区康复")[0]
    assert first["heading"] == "3.5 社区康复"
    assert first["document"] == "《禁毒社会工作服务指南（示例）》"
    assert first["marks"] and set(first["marks"]) == {"社区康复"}
    page.click(".md-search-result__item a >> nth=0")
    page.wait_for_load_state("load")
    assert page.url.endswith("#community-rehabilitation") and "?q=" in page.url
    page.wait_for_selector("mark.hb-hit")
    marks = page.eval_on_selector_all("mark.hb-hit", "els => els.map(m => m.textContent)")
    assert len(marks) > 3 and set(marks) == {"社区康复"}  # the phrase whole, never a lone 康
    page.screenshot(path=str(Path(shipped_site()).parent / "search-highlight.png"))
    context.close()


def test_what_is_typed_before_the_engine_arrives_is_searched_whole(browser, server):
    """On a slow network the search engine arrives after the worker has started typing: nothing
    typed may be lost or replaced, and the results are for the whole query."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    held = []
    page.route("**/assets/javascripts/search.js", lambda route: held.append(route))
    page.goto(server + "/index.html")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("社区康", delay=10)
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the engine is asked for when the box is focused"
    held[0].continue_()
    page.wait_for_function("() => window.hbSearch && window.hbSearch.search")
    box.press_sequentially("复", delay=10)
    page.wait_for_function("q => document.querySelector('.md-search-result__list').dataset.query === q", arg="社区康复",
                           timeout=15000)
    assert box.input_value() == "社区康复"
    context.close()

def test_dialog_is_named_and_keyboard_works_as_in_material(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(server + "/index.html")
    assert page.get_by_role("dialog", name="搜索").count() == 1
    page.keyboard.press("/")
    page.wait_for_function("() => document.activeElement.classList.contains('md-search__input')")
    assert page.evaluate("document.getElementById('__search').checked")
    page.keyboard.type("动机式访谈")
    page.wait_for_function("() => document.querySelector('.md-search-result__list').dataset.query === '动机式访谈'")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("s")
    page.wait_for_function("() => document.getElementById('__search').checked")
    page.keyboard.press("Enter")
    page.wait_for_url("**#motivational-interviewing")
    context.close()


def test_browser_cuts_text_as_the_index_does(browser, server):
    texts = [t for doc in check_library(ROOT).documents for *_, t in iter_strings(doc)][:3000]
    texts += ["ＧＢ／Ｔ １.１—2020 第３讲", "社区戒毒（康复）", "A.1 毒"]
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "/index.html")
    page.click("input.md-search__input")
    page.wait_for_function("() => !!(window.hbSearch && window.hbSearch.tokens)")
    theirs = page.evaluate("texts => texts.map(t => hbSearch.tokens(t))", texts)
    assert theirs == [tokens(t) for t in texts]
    context.close()
