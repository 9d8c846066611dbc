from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BASE = Path(__file__).resolve().parent / "corpus" / "base"


def write_base_library(root: Path) -> Path:
    """A small clean library (standard, manual, curriculum from tests/corpus/base) under ``root``."""
    (root / "standards").mkdir(parents=True)
    (root / "curricula").mkdir()
    shutil.copy(BASE / "standard.yaml", root / "standards" / "base-std.yaml")
    shutil.copy(BASE / "manual.yaml", root / "standards" / "base-manual.yaml")
    shutil.copy(BASE / "curriculum.yaml", root / "curricula" / "base-course.yaml")
    return root


SITE_URL = "https://jindu.example.org/handbook/"


def copy_library(src: Path, dest: Path, site_url: str | None = None) -> Path:
    if (src / "facts.yaml").is_file():
        shutil.copy(src / "facts.yaml", dest / "facts.yaml")
    for sub in ("standards", "curricula"):
        if (src / sub).is_dir():
            shutil.copytree(src / sub, dest / sub)
    if site_url:
        (dest / "mkdocs.yml").write_text(f"site_name: 测试\nsite_url: {site_url}\nuse_directory_urls: false\n",
                                         encoding="utf-8")
    return dest


@pytest.fixture(scope="session")
def shipped(tmp_path_factory):
    """The shipped library's PDFs, built once per test session into a temporary project (with a
    site_url, so the covers carry a QR code): (root, library, build result). Read-only: tests
    that change content build their own."""
    from handbook.pdf import build as pdf_build
    from handbook.rules import check_library

    root = copy_library(ROOT, tmp_path_factory.mktemp("shipped"), SITE_URL)
    lib = check_library(root)
    assert lib.errors == []
    result = pdf_build.build(lib, root, log=lambda message: None)
    assert result["failed"] == {}
    return root, lib, result


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite expected outputs from actual ones")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


DRAFT_STATUS = ("  status: 发布稿 ", "  status: 征求意见稿 ")  # the one field that makes the sample a draft


@pytest.fixture(scope="session")
def draft(tmp_path_factory):
    """The shipped library with the sample standard switched to 征求意见稿 by its status field alone,
    and that standard's PDF built once: (root, library). Tests of the draft's outputs read these."""
    from handbook.pdf import build as pdf_build
    from handbook.rules import check_library

    root = copy_library(ROOT, tmp_path_factory.mktemp("draft"), SITE_URL)
    shutil.copytree(ROOT / "comments", root / "comments")
    guide = root / "standards" / "jd-service-guide.yaml"
    text = guide.read_text(encoding="utf-8")
    assert text.count(DRAFT_STATUS[0]) == 1
    guide.write_text(text.replace(*DRAFT_STATUS), encoding="utf-8")
    lib = check_library(root)
    assert lib.errors == []
    result = pdf_build.build(lib, root, only=["jd-service-guide"], log=lambda message: None)
    assert result["failed"] == {}
    return root, lib


@pytest.fixture(scope="session")
def draft_word(draft):
    """``build.py docx`` on the draft: the standard's .docx and its comment form (Word and PDF) in
    build/pdf/, written once: (root, library, written paths)."""
    from handbook.docx.command import write_all

    root, lib = draft
    return root, lib, write_all(lib, root, log=lambda message: None)


@pytest.fixture(scope="session")
def draft_word_pdf(draft_word, tmp_path_factory):
    """The draft's .docx converted by LibreOffice (headless) to PDF, once. Without soffice the tests
    that need it skip, except on CI (CI=true), where setup.sh --test installs it and they fail."""
    import os
    import subprocess

    root, _, _ = draft_word
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI") == "true":
            pytest.fail("soffice (Debian libreoffice-writer) is missing: bash scripts/setup.sh --test installs it")
        pytest.skip("soffice (libreoffice-writer) is not installed")
    out = tmp_path_factory.mktemp("soffice")
    profile = (out / "profile").as_uri()  # a fresh profile: no first-run dialogs, no lock on the user's
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(root / "build" / "pdf" / "jd-service-guide.docx")],
                   check=True, capture_output=True, timeout=240)
    return out / "jd-service-guide.pdf"
