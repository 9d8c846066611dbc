"""`build.py serve` after a bad save: the browser shows the problems over the last good pages,
reloads by itself when the file is fixed, and the terminal says so in Chinese."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import playwright.sync_api as playwright_api
import pytest

from .test_serve import free_port, project, status
from .test_site_support import ARGS, CHROMIUM, ROOT

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"), reason="Debian's chromium is not installed"
)
PANEL = "#handbook-problems"


def wait_for(predicate, seconds: float = 120) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.25)
    return False


def test_a_bad_save_is_shown_in_the_browser_and_clears_when_fixed(tmp_path: Path) -> None:
    root, port = project(tmp_path), free_port()
    base = f"http://127.0.0.1:{port}"
    guide = root / "standards" / "fx-guide.yaml"
    good = guide.read_text(encoding="utf-8")
    assert "\n  title_en:" in good
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(root), "serve",
                                 "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    try:
        assert wait_for(lambda: status(f"{base}/standards/fx-guide.html")[0] == 200 or proc.poll() is not None)
        assert proc.poll() is None, log_path.read_text(encoding="utf-8")
        with playwright_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = browser.new_page(viewport={"width": 1000, "height": 700})
            page.goto(f"{base}/standards/fx-guide.html")
            title = page.locator("h1").first.inner_text()
            assert page.locator(PANEL).count() == 0

            # A typo in a field name: the document cannot load. The open page reloads by itself.
            guide.write_text(good.replace("\n  title_en:", "\n  titel_en:"), encoding="utf-8")
            page.wait_for_selector(PANEL, timeout=120_000)
            panel = page.locator(PANEL)
            first = panel.locator("li").first.inner_text()
            line = good.splitlines().index(next(x for x in good.splitlines() if x.startswith("  title_en:"))) + 1
            assert first.startswith(f"standards/fx-guide.yaml:{line}:3: E202 未知字段“titel_en”")
            assert "内容检查发现" in panel.locator("h2").inner_text()
            assert "上一次检查通过的内容" in panel.inner_text()
            # The other pages are still there, from the last good content, each with the panel.
            assert page.locator("h1").first.inner_text() == title
            page.screenshot(path=str(tmp_path / "overlay.png"))
            other = browser.new_page()
            other.goto(f"{base}/curricula/fx-course.html")
            assert other.locator(PANEL).count() == 1
            assert other.locator("h1").first.inner_text() != ""

            # Fixed and saved: the page reloads without the panel.
            guide.write_text(good, encoding="utf-8")
            page.wait_for_selector(PANEL, state="detached", timeout=120_000)
            assert page.locator("h1").first.inner_text() == title
            browser.close()
        text = log_path.read_text(encoding="utf-8")
        assert "E202 未知字段“titel_en”" in text
        assert "浏览器页面顶部列出了这些问题" in text
        assert "appear stuck" not in text and "Traceback" not in text
        assert f"预览地址：http://127.0.0.1:{port}/" in text
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
