"""``build.py serve --only ID`` over HTTP: one document is served, on the loopback interface only."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bs4 import BeautifulSoup

from .test_site_support import FIXTURE, ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status(url: str) -> tuple[int, str]:
    """HTTP status and body; (0, "") when nothing answers yet."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return 0, ""


def outward_address() -> str | None:
    """This machine's address on its default route (no packet is sent), if it has one besides loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the interface
        except OSError:
            return None
        address = s.getsockname()[0]
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def project(tmp_path: Path) -> Path:
    """A private project: the fixture library with the project's mkdocs.yml, docs/ and theme."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "docs").mkdir()
    shutil.copytree(ROOT / "src" / "handbook" / "theme", root / "src" / "handbook" / "theme")
    return root


def test_serve_only_serves_that_one_document_on_loopback(tmp_path: Path):
    root, port = project(tmp_path), free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "--root", str(root), "serve", "--only", "fx-manual",
             "--port", str(port)],
            stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            code, body = 0, ""
            for _ in range(240):  # up to about two minutes for the first build; stops early if serve exits
                code, body = status(f"{base}/manuals/fx-manual.html")
                if code == 200 or proc.poll() is not None:
                    break
                time.sleep(0.5)
            assert code == 200, log_path.read_text(encoding="utf-8")
            page = BeautifulSoup(body, "html.parser")
            for link in page.select("a.headerlink"):
                link.decompose()
            assert page.find("h1").get_text(strip=True) == "禁毒社工测试实务手册"
            assert page.find("title").get_text().startswith("禁毒社工测试实务手册")

            # The 修订说明 page is served too (one page: no earlier edition is tagged); others are not built.
            assert status(f"{base}/revisions/index.html")[0] == 200
            for other in ("standards/fx-guide.html", "curricula/fx-course.html", "revisions/fx-guide.html"):
                assert status(f"{base}/{other}")[0] == 404, other

            # A save rebuilds the saved document's page (not the whole site) and the served page shows it.
            manual = root / "standards" / "fx-manual.yaml"
            manual.write_text(manual.read_text(encoding="utf-8").replace(
                "个案管理贯穿社区康复全过程。", "个案管理贯穿社区康复全过程，修订核对点戊。"), encoding="utf-8")
            for _ in range(240):
                if "修订核对点戊" in status(f"{base}/manuals/fx-manual.html")[1] or proc.poll() is not None:
                    break
                time.sleep(0.5)
            assert "修订核对点戊" in status(f"{base}/manuals/fx-manual.html")[1], log_path.read_text(encoding="utf-8")
            served = log_path.read_text(encoding="utf-8")
            assert "已更新 1 个页面" in served and "manuals/fx-manual.md" in served, served
            assert served.count("网站生成用时") == 1  # the first build only, no full rebuild

            # Loopback only: the log names 127.0.0.1, and the machine's outward address does not answer.
            assert f"预览地址：http://127.0.0.1:{port}/" in log_path.read_text(encoding="utf-8")
            outward = outward_address()
            if outward is not None:
                with socket.socket() as s:
                    s.settimeout(5)
                    assert s.connect_ex((outward, port)) != 0
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=30)
