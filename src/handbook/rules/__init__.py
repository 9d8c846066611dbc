"""Structural completeness rules. Each module checks one kind of document or the whole library."""

from __future__ import annotations

from pathlib import Path

from ..library import Library
from ..loader import find_files, load
from ..problems import ordered
from . import curriculum, library, manual, markup, needs, placeholders, privacy, standard

_CHECKERS = {"standard": standard.check, "manual": manual.check, "curriculum": curriculum.check}


def run_rules(lib: Library, root: Path) -> None:
    for doc in lib.documents:
        src = lib.sources[doc.id]
        lib.problems.extend(needs.check(doc, src))
        lib.problems.extend(_CHECKERS[doc.kind](doc, src))
        lib.problems.extend(privacy.check(doc, src, root))
        lib.problems.extend(placeholders.check(doc, src))
        lib.problems.extend(markup.check(doc, src, root))
    lib.problems.extend(library.check(lib))
    lib.problems[:] = ordered(lib.problems, lib.unusable)


def check_library(root: Path, paths: list[Path] | None = None) -> Library:
    """Load every content file under ``root`` (or just ``paths``) and run every rule."""
    lib = load(paths if paths is not None else find_files(root), root)
    run_rules(lib, root)
    return lib
