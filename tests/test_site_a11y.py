"""The shipped site on a cheap phone and for everyone: axe-core on every page at 375 and 1280 px,
every table cell readable at 375 px without sideways scrolling, diagram text large enough, and a
first load small enough for a poor network."""

from __future__ import annotations

import gzip
import os
from pathlib import Path
from urllib.parse import unquote

import pytest

from .test_site_support import ARGS, CHROMIUM, ROOT, has_shipped_library, shipped_site

playwright_api = pytest.importorskip("playwright.sync_api")
AXE = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"), reason="Debian's chromium is not installed"
)
WIDTHS = (375, 1280)
PAGE_BUDGET = 100 * 1024  # bytes, gzip-compressed, first load without search


@pytest.fixture(scope="module")
def site() -> Path:
    assert has_shipped_library()
    return shipped_site()


@pytest.fixture(scope="module")
def pages(site) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html") if p.name != "404.html")


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def _open(browser, site: Path, width: int):
    context = browser.new_context(viewport={"width": width, "height": 800})
    # Nothing may leave the machine; the site needs nothing from outside anyway.
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    return context, context.new_page()


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_serious_or_critical_problem_on_any_page(browser, site, pages, width):
    if not AXE.exists():
        pytest.fail(f"axe-core is missing: run bash scripts/setup.sh --test ({AXE})")
    script = AXE.read_text(encoding="utf-8")
    context, page = _open(browser, site, width)
    found = {}
    for name in pages:
        page.goto((site / name).as_uri())
        page.add_script_tag(content=script)
        result = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
        )
        if result:
            found[name] = result
    context.close()
    assert not found, "\n".join(f"{name}: {problems}" for name, problems in found.items())


def test_every_table_cell_is_within_the_phone_screen(browser, site, pages):
    context, page = _open(browser, site, 375)
    outside = {}
    for name in pages:
        page.goto((site / name).as_uri())
        cells = page.evaluate(
            """() => {
                 // a cell inside a 1-pixel clipping box (the visually hidden header row that
                 // screen readers still read) is not on the screen at all
                 const hidden = c => { for (let e = c; e; e = e.parentElement) {
                     const r = e.getBoundingClientRect(), s = getComputedStyle(e);
                     if (s.overflow === 'hidden' && (r.width <= 1 || r.height <= 1)) return true; }
                   return false; };
                 return [...document.querySelectorAll('article table th, article table td')]
                 .filter(c => c.getClientRects().length && !hidden(c))
                 .filter(c => { const r = c.getBoundingClientRect(); return r.left < -1 || r.right > innerWidth + 1; })
                 .map(c => c.textContent.trim().slice(0, 20)); }"""
        )
        if cells:
            outside[name] = cells[:5]
    context.close()
    assert not outside, outside


def test_diagram_text_is_at_least_12_px_on_a_phone(browser, site, pages):
    context, page = _open(browser, site, 375)
    small = {}
    measured = 0
    for name in pages:
        page.goto((site / name).as_uri())
        sizes = page.evaluate(
            """() => [...document.querySelectorAll('article svg text')].filter(t => t.getClientRects().length)
                 .map(t => t.getBoundingClientRect().height)"""
        )
        measured += len(sizes)
        # A text box's height is about 1.15–1.3 × its rendered font size.
        tiny = [round(h, 1) for h in sizes if h < 12 * 1.1]
        if tiny:
            small[name] = tiny[:5]
    context.close()
    assert measured, "the shipped manual has flow diagrams"
    assert not small, small


@pytest.mark.parametrize("page_name", ["standards/jd-service-guide.html", "manuals/jd-practice-manual.html"])
def test_printed_from_the_browser_no_heading_is_left_alone(browser, site, page_name, tmp_path):
    """Chromium's own print: no heading without its text (at a page bottom, or the on-screen 目次 with
    nothing under it), and a procedure prints its step table, not a diagram beside it."""
    import re
    import subprocess

    from bs4 import BeautifulSoup

    soup = BeautifulSoup((site / page_name).read_text(encoding="utf-8"), "html.parser")
    headings = {" ".join(h.get_text(" ", strip=True).replace("¶", "").split())
                for h in soup.select("article h2, article h3, article h4")}
    context, page = _open(browser, site, 1280)
    page.goto((site / page_name).as_uri())
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), format="A4")
    context.close()
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.split("\f")[:-1]
    stranded = []
    for number, content in enumerate(pages, 1):
        lines = [line.strip() for line in content.splitlines() if line.strip()]
        if lines and " ".join(lines[-1].split()) in headings:
            stranded.append((number, lines[-1]))
    assert not stranded, stranded
    if "目次" in headings:  # the on-screen contents list has no page numbers: neither it nor its heading prints
        assert "目次" not in re.sub(r"\s", "", text)
    if soup.select(".hb-flow"):  # diagram boxes read "1．禁毒社工"; the step table prints the same steps
        assert not re.search(r"^\d+．", text, re.MULTILINE)


@pytest.mark.parametrize("page_name", ["index.html", "standards/jd-service-guide.html"])
def test_first_load_is_under_100_kb_compressed(browser, site, page_name):
    context, page = _open(browser, site, 375)
    loaded: list[str] = []
    page.on("requestfinished", lambda request: loaded.append(request.url))
    page.goto((site / page_name).as_uri())
    page.wait_for_load_state("networkidle")
    context.close()
    total = 0
    for url in set(loaded):
        path = Path(unquote(url.removeprefix("file://").split("?")[0].split("#")[0]))
        total += len(gzip.compress(path.read_bytes(), 6))
    assert total < PAGE_BUDGET, f"{page_name}: {total} bytes gzip over {len(set(loaded))} files"


def test_coverage_by_clause_filters_to_the_gaps_on_a_phone(browser, site):
    """The coverage page lists one line per clause; ticking 只看未覆盖的条款 keeps exactly the clauses
    no session covers, each readable within the phone's width."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((site / "coverage.html").read_text(encoding="utf-8"), "html.parser")
    gaps = [li.a.get_text() for li in soup.select(".hb-coverage li") if li.select(".hb-gap")]
    context, page = _open(browser, site, 375)
    page.goto((site / "coverage.html").as_uri())
    everything = page.eval_on_selector_all(".hb-coverage li", "ls => ls.filter(l => l.offsetParent).length")
    page.check(".hb-coverage__gaps")
    shown = page.eval_on_selector_all(
        ".hb-coverage li", "ls => ls.filter(l => l.offsetParent).map(l => [l.querySelector('a').textContent,"
        " l.getBoundingClientRect().right <= innerWidth])")
    context.close()
    assert everything == len(soup.select(".hb-coverage li")) > len(gaps) > 0
    assert [label for label, _ in shown] == gaps
    assert all(inside for _, inside in shown)
