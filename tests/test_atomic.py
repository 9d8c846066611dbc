"""A failed or killed build leaves the previous site and PDFs exactly as they were.

The published output is the site folder: `python build.py` changes it only when check, the
PDFs and the site all succeeded. Each PDF in build/pdf/ is written to a hidden temporary file
and renamed into place when complete, so no reader ever sees a half-written PDF.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pypdf
import pytest

from handbook.cli import main

from .conftest import ROOT, write_base_library


def snapshot(root: Path) -> dict[str, str]:
    files = [*(root / "site").rglob("*"), *(root / "build" / "pdf").glob("*.pdf")]
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.is_file()}


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(list(args))
    return code, out.getvalue()


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("atomic")
    shutil.copy(ROOT / "mkdocs.yml", root)
    shutil.copytree(ROOT / "docs", root / "docs", ignore=shutil.ignore_patterns("notes"))
    shutil.copytree(ROOT / "src" / "handbook" / "theme", root / "src" / "handbook" / "theme")
    write_base_library(root)
    code, out = run("--root", str(root))
    assert code == 0, out
    assert (root / "site" / "index.html").is_file() and list((root / "build" / "pdf").glob("*.pdf"))
    return root


@contextlib.contextmanager
def edited(path: Path, old: str, new: str):
    original = path.read_text(encoding="utf-8")
    assert old in original
    path.write_text(original.replace(old, new), encoding="utf-8")
    try:
        yield
    finally:
        path.write_text(original, encoding="utf-8")


def test_a_broken_template_leaves_site_and_pdfs_intact(project: Path) -> None:
    before = snapshot(project)
    template = project / "src" / "handbook" / "theme" / "main.html"
    with edited(template, "{{ super() }}", "{{ super() }} {% if %}"):
        code, out = run("--root", str(project))
    assert code == 1, out
    assert "main.html:7: 模板错误" in out and "Traceback" not in out
    assert snapshot(project) == before
    assert not [p for p in project.glob(".site.*") if p.name != ".site.lock"]  # the flock file stays by design


def test_a_pdf_failing_mid_write_leaves_every_pdf_intact(project: Path, monkeypatch) -> None:
    import weasyprint

    def crash_half_way(self, target=None, **options):
        Path(target).write_bytes(b"%PDF-1.7\n% half a file")
        raise OSError("disk full")

    monkeypatch.setattr(weasyprint.Document, "write_pdf", crash_half_way)
    before = snapshot(project)
    with edited(project / "standards" / "base-std.yaml", "本文件适用于测试。", "本文件适用于测试和培训。"):
        code, out = run("--root", str(project), "pdf", "--jobs", "1")
    assert code == 1
    assert "失败：base-std.pdf" in out and "disk full" in out
    assert snapshot(project) == before
    assert not list((project / "build" / "pdf").glob(".*.tmp"))


def _start(project: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(project), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _kill_when(proc: subprocess.Popen, ready, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while not ready():
        assert proc.poll() is None, "the build finished before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def test_a_site_build_killed_half_way_leaves_the_site_intact(project: Path) -> None:
    before = snapshot(project)
    proc = _start(project, "site")
    # Killed once the new site is half written: its folder exists and holds some pages.
    _kill_when(proc, lambda: any(any(d.rglob("*.html")) for d in project.glob(".site.new-*")))
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(project) == before
    code, out = run("--root", str(project), "site")
    assert code == 0, out
    assert not [p for p in project.glob(".site.*") if p.name != ".site.lock"]  # the next build cleans up


def test_a_pdf_build_killed_half_way_leaves_no_half_written_pdf(project: Path) -> None:
    before = snapshot(project)
    proc = _start(project, "pdf", "--force", "--jobs", "1")
    _kill_when(proc, lambda: any((project / "build" / "pdf").glob(".*.pdf.tmp")))
    after = snapshot(project)
    assert set(after) == set(before)
    for name, digest in after.items():
        if digest != before[name]:  # finished before the kill: a complete PDF, renamed into place
            reader = pypdf.PdfReader(project / name)
            assert len(reader.pages) > 0
    code, out = run("--root", str(project), "pdf")
    assert code == 0, out
    assert not list((project / "build" / "pdf").glob(".*.tmp"))
