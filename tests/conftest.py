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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite expected outputs from actual ones")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
