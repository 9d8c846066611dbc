"""A hostile editor's library, built once into the site and every PDF: nothing written in YAML runs.

Payloads sit in the fields where ``check`` lets them through as text (plain strings: titles,
names, labels; Markdown fields only with what the subset allows). One local HTTP server stands
for every address a payload names: the build machine (WeasyPrint) and the reader's browser
must never ask it for anything.
"""

from __future__ import annotations

import http.server
import os
import re
import threading
from pathlib import Path

import pypdf
import pytest
from bs4 import BeautifulSoup

from handbook.pdf.build import build as build_pdfs
from handbook.rules import check_library
from handbook.site.build import build_site

from .conftest import ROOT, write_base_library
from .test_site_support import ARGS, CHROMIUM


class _Trap(http.server.ThreadingHTTPServer):
    hits: list[str]


def _trap() -> _Trap:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            self.server.hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = _Trap(("127.0.0.1", 0), Handler)
    server.hits = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def payloads(url: str) -> dict[str, str]:
    """Plain-text payloads: markup that would be live if any output put a string in unescaped."""
    return {
        "tag": f'</title><img src="{url}/img" onerror="window.__pwned=1">',
        "attach": '<a rel="attachment" href="/etc/passwd">附件</a>',
        "attr": '**x**{: style="position:fixed;inset:0;background:red" onclick="window.__pwned=1"}',
        "css": f'手册"\n}} @page {{ background: url({url}/css) }} @top-left {{ content: "',
        "image": f"![]({url}/pixel.png)",
        "toggle": '<details open ontoggle="window.__pwned=1">x</details>',
        "link": f'[点我]({url}/"onmouseover="window.__pwned=1)',
    }


def hostile_library(root: Path, url: str) -> Path:
    write_base_library(root)
    p = payloads(url)
    std = root / "standards" / "base-std.yaml"
    manual = root / "standards" / "base-manual.yaml"
    course = root / "curricula" / "base-course.yaml"

    def edit(path: Path, *pairs: tuple[str, str]) -> None:
        text = path.read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, old
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")

    def q(s: str) -> str:  # a YAML double-quoted scalar
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    edit(std,
         ("  title: 测试用服务指南", f"  title: {q('测试用服务指南' + p['tag'] + p['attach'])}"),
         ("  publisher: 示例市社会工作者协会", f"  publisher: {q(p['attr'])}"),
         ("        title: 以人为本", f"        title: {q('以人为本' + p['tag'])}"),
         ("      term: 社区康复", f"      term: {q('社区康复' + p['toggle'])}"),
         ("      - label: 服务对象", f"      - label: {q(p['attach'] + p['image'])}"),
         ("        text: 服务应尊重服务对象。",
          "        text: " + q("服务应尊重服务对象，见 [[base-manual]]、[[annex-forms]] 和 "
                             f"[说明](https://example.org/a_b?x=1&y=2)。&lt;script&gt;window.__pwned=1&lt;/script&gt;")))
    edit(manual,
         ("  title: 测试用实务手册", f"  title: {q(p['css'] + p['tag'])}"),
         ("          - actor: 禁毒社工", f"          - actor: {q('禁毒社工' + p['attr'])}"),
         ("        title: 朱某的接案", f"        title: {q('朱某的接案' + p['link'])}"),
         ("        text: 服务对象朱某在社区康复期间主动求助。",
          "        text: " + q("服务对象朱某在社区康复期间主动求助，按 [[base-std#people-centred]] 和 [[base-std]] 处理。")))
    edit(course,
         ("  title: 测试用培训项目", f"  title: {q('测试用培训项目' + p['tag'])}"),
         ("            title: 禁毒法解读", f"            title: {q('禁毒法解读' + p['css'])}"),
         ("            objectives: [说明社区戒毒的期限]", "            objectives: ['说明 [[base-std]] 中社区戒毒的期限']"))
    return root


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """(content root, site, PDFs, trap server): one build of the hostile library for all tests."""
    trap = _trap()
    url = f"http://127.0.0.1:{trap.server_address[1]}"
    root = hostile_library(tmp_path_factory.mktemp("hostile"), url)
    lib = check_library(root)
    assert not lib.errors, [p.format() for p in lib.errors]
    site = build_site(ROOT, root / "site", content_root=root, strict=False)
    result = build_pdfs(lib, root, jobs=2, log=lambda message: None)
    assert not result["failed"], result["failed"]
    pdfs = sorted((root / "build" / "pdf").glob("*.pdf"))
    assert len(pdfs) >= 3
    yield root, site, pdfs, trap
    trap.shutdown()
    trap.server_close()


def test_check_lets_the_payloads_through_only_as_text(hostile):
    root = hostile[0]
    codes = {p.code for p in check_library(root).problems}
    assert codes <= {"W816", "I704"}, codes  # [[..]]/](..) written in plain fields: a warning, no link


def _pages(site: Path) -> list[tuple[Path, BeautifulSoup]]:
    return [(p, BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")) for p in sorted(site.rglob("*.html"))]


def test_no_live_markup_from_content_on_any_site_page(hostile):
    _root, site, _pdfs, trap = hostile
    pages = _pages(site)
    assert len(pages) > 5
    seen_literal = False
    for path, page in pages:
        where = path.relative_to(site)
        for tag in page.find_all(True):
            for name, value in tag.attrs.items():
                value = " ".join(value) if isinstance(value, list) else str(value)
                assert not name.lower().startswith("on"), (where, tag.name, name)
                if name in ("href", "src", "action", "formaction", "xlink:href"):
                    assert not re.match(r"\s*(javascript|data|vbscript):", value, re.I), (where, tag)
                    assert "127.0.0.1" not in value, (where, tag)
                if name == "style":
                    assert "position:fixed" not in value.replace(" ", ""), (where, tag)
                if name == "rel":
                    assert "attachment" not in value, (where, tag)
        assert not [t for t in page.find_all(["img", "iframe", "object", "embed", "link", "script"])
                    if "127.0.0.1" in (t.get("src", "") + t.get("href", "") + t.get("data", ""))], where
        assert not [s for s in page.find_all("style") if "127.0.0.1" in s.get_text()], where
        for script in page.find_all("script"):
            assert "__pwned" not in script.get_text(), where
        for img in page.find_all("img"):
            src = img.get("src", "")
            assert not re.match(r"[a-z]+:", src) or src.startswith("data:image/svg"), (where, src)
        seen_literal = seen_literal or 'onerror="window.__pwned=1"' in page.get_text()
    assert seen_literal, "the payload should be on the page, as text"
    assert trap.hits == []


def test_cited_titles_are_text_where_they_are_referenced(hostile):
    site = hostile[1]
    manual = next(p for p in site.rglob("base-manual*.html"))
    page = BeautifulSoup(manual.read_text(encoding="utf-8"), "html.parser")
    refs = [a for a in page.find_all("a") if "测试用服务指南" in a.get_text()]
    assert refs, "[[base-std]] should be a link labelled with the standard's title"
    for a in refs:
        assert a.find("img") is None and a.find("a") is None
        assert "<img" in a.get_text()


def test_no_pdf_carries_a_file_an_image_or_a_link_from_content(hostile):
    _root, _site, pdfs, trap = hostile
    for path in pdfs:
        reader = pypdf.PdfReader(path)
        assert dict(reader.attachments) == {}, path.name
        assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {})), path.name
        for page in reader.pages:
            assert list(page.images) == [], path.name  # the base library ships no figures
            for annot in page.get("/Annots") or []:
                action = annot.get_object().get("/A") or {}
                uri = str(action.get("/URI", ""))
                assert not re.match(r"\s*(javascript|data|file):", uri, re.I), (path.name, uri)
                assert "127.0.0.1" not in uri and action.get("/S") not in ("/JavaScript", "/Launch"), path.name
                assert annot.get_object().get("/Subtype") != "/FileAttachment", path.name
    assert trap.hits == []


def test_running_header_shows_the_title_as_text(hostile):
    """A title that would close the CSS string of the running header stays inside it."""
    import subprocess

    manual = next(p for p in hostile[2] if p.name.startswith("base-manual"))
    text = subprocess.run(["pdftotext", "-f", "3", "-l", "4", str(manual), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "@page" in text and "background: url(" in text  # the payload printed, not applied
    assert hostile[3].hits == []


@pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"), reason="Debian's chromium is not installed")
def test_no_injected_script_runs_in_chromium(hostile):
    from playwright.sync_api import sync_playwright

    _root, site, _pdfs, trap = hostile
    pages = [p for p in sorted(site.rglob("*.html")) if "base-" in p.name or p.parent.name.startswith("base-")]
    assert pages
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            context = browser.new_context()
            dialogs: list[str] = []
            for path in pages:
                page = context.new_page()
                page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
                page.goto(path.as_uri(), wait_until="load")
                for element in page.query_selector_all("img, a, strong, td, h1, h2, h3, li, p")[:400]:
                    try:
                        element.dispatch_event("mouseover")
                        element.dispatch_event("click") if element.evaluate("e => e.tagName") != "A" else None
                    except Exception:  # noqa: BLE001 - elements may detach as the page reacts
                        pass
                assert page.evaluate("() => window.__pwned") is None, path.name
                overlay = page.evaluate(
                    "() => [...document.querySelectorAll('[style]')].filter(e => e.style.position === 'fixed').length")
                assert overlay == 0, path.name
                page.close()
            # search results render titles and text from the index: still text
            page = context.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto((site / "index.html").as_uri(), wait_until="load")
            box = page.locator("input.md-search__input")
            box.click()
            box.press_sequentially("测试", delay=20)
            box.press("End")
            page.wait_for_selector(".md-search-result__item a", timeout=15000)
            page.wait_for_timeout(500)
            results = page.inner_text(".md-search-result")
            assert "onerror" in results  # the payload is listed, as text
            assert page.evaluate("() => window.__pwned") is None
            assert page.query_selector(".md-search-result img[onerror], .md-search-result [ontoggle]") is None
            assert dialogs == []
        finally:
            browser.close()
    assert trap.hits == []
