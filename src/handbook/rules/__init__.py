"""Structural completeness rules. Each module checks one kind of document or the whole library."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..checkcache import CheckCache
from ..facts import FACTS_FILE
from ..library import Library
from ..loader import CONTENT_DIRS, display_name, find_files, load
from ..models import Document
from ..problems import E_NO_CONTENT, Problem, ordered
from ..text import IMAGE_SUFFIXES
from ..review import comments
from ..yamlsource import Source
from . import curriculum, facts, library, manual, markup, needs, placeholders, privacy, review, standard, wording

_CHECKERS = {"standard": standard.check, "manual": manual.check, "curriculum": curriculum.check}
CACHE_DIR = Path("build") / "cache" / "check"  # under the project root


def file_rules(root: Path):
    """The rules that read one file only: their problems are cached with the file."""

    def check(doc: Document, src: Source) -> Iterator[Problem]:
        yield from needs.check(doc, src)
        yield from _CHECKERS[doc.kind](doc, src)
        yield from privacy.check(doc, src, root)
        yield from placeholders.check(doc, src)
        yield from markup.check(doc, src, root)
        yield from wording.check(doc, src)
        yield from review.check(doc, src)

    return check


def check_library(root: Path, paths: list[Path] | None = None, *, cache: CheckCache | bool = True) -> Library:
    """Load every content file under ``root`` and run every rule. With ``paths``, those files are
    loaded too (they may lie outside ``root``) and only their problems are kept: references still
    resolve against the whole library, so checking one curriculum alone does not report every
    clause of its standard as missing.

    Unchanged files come from the check cache under ``root/build/cache/check``; pass a
    ``CheckCache`` to see which files it served, or ``cache=False`` to parse everything.
    """
    if cache is True:
        cache = CheckCache(root / CACHE_DIR, extra=_rule_inputs(root))
    files = find_files(root)
    named_comments = None
    if paths is not None:  # comments files (comments/*.yaml, *.xlsx) are checked against the library
        named_comments = [p for p in paths if comments.is_comments_file(p)]
        paths = [p for p in paths if p not in named_comments]
    if paths is not None:  # named files first: a duplicate ID is then reported on the other file
        named = {p.resolve() for p in paths}
        files = [*paths, *(p for p in files if p.resolve() not in named)]
    lib = load(files, root, file_rules=file_rules(root), cache=cache or None)
    if not files:
        lib.problems.append(Problem("standards/", 1, 1, E_NO_CONTENT,
                                    "项目根目录下的 standards/ 和 curricula/ 中没有任何 YAML 文件：请确认 --root 指向项目根目录，"
                                    "或用 python build.py new standard 新建一个文件"))
    lib.problems.extend(library.check(lib))
    lib.problems.extend(privacy.load_wording(root)[1])
    lib.problems.extend(facts.check(lib))
    lib.problems.extend(comments.check(root, lib, named_comments if paths is not None else None))
    if paths is not None:  # report on the named files only; their references resolved library-wide
        paths = [*paths, *named_comments]
        names = {display_name(p, root) for p in paths} | {_unresolved_name(p, root) for p in paths}
        lib.problems[:] = [p for p in lib.problems if p.file in names]
    lib.problems[:] = ordered(lib.problems, lib.unusable)
    return lib


@dataclass
class Report:
    """What ``check`` prints: the problems and how many files were checked."""

    problems: list[Problem]
    files: int
    from_cache: bool = False  # the whole library was unchanged since the report was made


def check_report(root: Path, paths: list[Path] | None = None) -> Report:
    """``check_library``'s problems, reused whole when no file, rule input or code changed since last time."""
    files = find_files(root)
    kind = "report"
    if paths is not None:  # the named files' report still depends on every file they may cite
        named = {p.resolve() for p in paths}
        files = [*paths, *(p for p in files if p.resolve() not in named)]
        kind = "report:" + "|".join(sorted(display_name(p, root) for p in paths))
    cache = CheckCache(root / CACHE_DIR, extra=_rule_inputs(root))
    key = cache.whole_key([(path, display_name(path, root)) for path in files])
    report = cache.recall(key, kind)
    if isinstance(report, Report):
        report.from_cache = True
        return report
    lib = check_library(root, paths, cache=cache)
    unloaded = {p.file for p in lib.problems} - {s.file for s in lib.sources.values()}
    report = Report(lib.problems, len(paths) if paths is not None else len(lib.sources) + len(unloaded))
    cache.remember(key, kind, report)
    return report


def _unresolved_name(path: Path, root: Path) -> str:
    """A symlink's own name (problems about the link name the link, not its target)."""
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return str(path)


def _rule_inputs(root: Path) -> bytes:
    """What the rules read besides the files: the wording list, facts.yaml and the images beside the YAML."""
    parts = [path.read_bytes() if path.is_file() else b"" for path in (root / "wording.yaml", root / FACTS_FILE)]
    parts += [path.name.encode() + b"\0" + path.read_bytes() for path in comments.comment_files(root)]
    for folder in CONTENT_DIRS:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix.lower() in (*IMAGE_SUFFIXES, ".svg"):  # size and time too: figure checks read them
                stat = path.stat()
                parts.append(f"{path.relative_to(root).as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return b"\0".join(parts)
