"""Privacy and wording lints over every text field: personal data and stigmatising words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from ..loader import _describe, iter_strings
from ..models import Document, Vignette
from ..problems import E_TYPE, I_EXTERNAL_LINK, W_MOBILE, W_RESIDENT_ID, W_STIGMA, Problem
from ..yamlsource import Source, read_source
from .manual import MOBILE, RESIDENT_ID
from .textpos import where_in

DEFAULT_WORDING = Path(__file__).resolve().parent.parent / "wording.yaml"
EXTERNAL_LINK = re.compile(r"https?://[^\s)>\]]+")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def valid_resident_id(number: str) -> bool:
    """GB 11643 check digit: the 18th character is determined by the first 17."""
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS))
    return "10X98765432"[total % 11] == number[17].upper()


def load_wording(root: Path) -> tuple[dict[str, str], tuple[Problem, ...]]:
    """The stigmatising words and their replacements, read like any content file (same loader,
    same messages): the project's ``wording.yaml`` if there is one, else the shipped list."""
    override = root / "wording.yaml"
    path = override if override.is_file() else DEFAULT_WORDING
    name = "wording.yaml" if path == override else str(path)
    return _read_words(path, name, path.stat().st_mtime_ns)  # a long-running serve sees an edited list


@cache
def _read_words(path: Path, name: str, _mtime_ns: int) -> tuple[dict[str, str], tuple[Problem, ...]]:
    src = read_source(path, name)
    problems = list(src.problems)
    words: dict[str, str] = {}
    if isinstance(src.data, dict):
        for word, better in src.data.items():
            if isinstance(better, str) and better.strip() and word.strip():
                words[word] = better
            else:
                problems.append(src.problem((word,), E_TYPE,
                                            f"“{word}”的建议用语应为文字（如 {word}: 吸毒人员），实际是{_describe(better)}"))
    return words, tuple(problems)


def stigma_words(root: Path) -> dict[str, str]:
    return load_wording(root)[0]


def check(doc: Document, src: Source, root: Path) -> Iterator[Problem]:
    words = stigma_words(root)
    pattern = re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True)))) if words else None
    for node, name, where, text in iter_strings(doc):
        is_case = isinstance(node, Vignette)  # vignettes already fail on these (E403/E404)
        if not is_case:
            for match in RESIDENT_ID.finditer(text):
                if valid_resident_id(match.group()):
                    yield src.problem(where, W_RESIDENT_ID, "文字中出现居民身份证号码，请删除或改为示意")
            if MOBILE.search(text):
                yield src.problem(where, W_MOBILE, "文字中出现手机号码，请删除或改用机构座机")
        if pattern:
            for match in pattern.finditer(text):
                if text[match.start() - 1 : match.start()] == "“" and text[match.end() : match.end() + 1] == "”":
                    continue  # quoted to discuss the word itself, e.g. 避免使用“瘾君子”等称呼
                line, column = where_in(src, where, text, match.start())
                yield Problem(src.file, line, column, W_STIGMA,
                              f"“{match.group()}”是污名化用语，建议改为“{words[match.group()]}”")
        for url in EXTERNAL_LINK.findall(text):
            yield src.problem(where, I_EXTERNAL_LINK, f"链接到外部网站：{url}")
