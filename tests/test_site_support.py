"""Shared by the site tests: each site is built once per test run (builds cost seconds).

No tests here; the helpers are imported by test_site.py and test_site_browser.py.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "site_lib"
FAKE_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

_TMP = Path(tempfile.mkdtemp(prefix="handbook-site-tests-"))
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)


def has_shipped_library() -> bool:
    return any((ROOT / "standards").glob("*.yaml"))


@functools.cache
def shipped_site() -> Path:
    """The shipped library built exactly as an editor would: ``mkdocs build --strict``."""
    out = _TMP / "shipped"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)],
        cwd=ROOT, capture_output=True, text=True, env=env, check=False,
    )
    if run.returncode != 0:
        raise AssertionError(f"mkdocs build --strict failed:\n{run.stdout}\n{run.stderr}")
    return out


def content_copy(name: str) -> Path:
    """A private copy of the fixture library (tests may break it) with two PDFs ready for download."""
    content = _TMP / name / "content"
    shutil.copytree(FIXTURE, content)
    out = content / "build" / "pdf"
    out.mkdir(parents=True)
    (out / "fx-guide.pdf").write_bytes(FAKE_PDF)
    (out / "fx-course-phase-practice-workbook.pdf").write_bytes(FAKE_PDF)
    # the site lists what the PDF build's manifest describes, as `build.py pdf` writes it
    manifest = {
        "fx-guide.pdf": {"document": "fx-guide", "kind": "handbook", "phase": None, "title": "fx-guide"},
        "fx-course-phase-practice-workbook.pdf": {"document": "fx-course", "kind": "workbook",
                                                  "phase": "phase-practice", "title": "fx-course"},
    }
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return content


@functools.cache
def fixture_site() -> Path:
    from handbook.site.build import build_site

    content = content_copy("fixture")
    return build_site(ROOT, _TMP / "fixture" / "site", content_root=content)


def fixture_content() -> Path:
    fixture_site()
    return _TMP / "fixture" / "content"


@functools.cache
def soup(path: Path) -> BeautifulSoup:
    """The page, without the "¶" permalinks MkDocs appends to headings (they only repeat the id)."""
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for link in page.select("a.headerlink"):
        assert link["href"] == "#" + link.parent["id"]
        link.decompose()
    return page


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@functools.cache
def ids(path: Path) -> set[str]:
    return {el["id"] for el in soup(path).find_all(id=True)}


def resolve(site: Path, page: Path, href: str) -> tuple[Path, str]:
    """The file and fragment an internal href points at."""
    parts = urlsplit(href)
    if not parts.path:
        target = page
    elif parts.path.startswith("/"):  # 404.html links from the site root: it is served at any depth
        target = site / unquote(parts.path).lstrip("/")
    else:
        target = (page.parent / unquote(parts.path)).resolve()
    if target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


# ------------------------------------------------------------------ browser tests (Debian's chromium)

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@contextlib.contextmanager
def serve_folder(folder: Path):
    """A quiet local HTTP server for ``folder``; yields its origin (http://127.0.0.1:PORT)."""
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextlib.contextmanager
def chromium():
    """Debian's chromium through Playwright (``playwright install`` cannot download browsers here)."""
    import playwright.sync_api as playwright_api

    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
