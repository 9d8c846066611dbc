"""Privacy and wording lints over every text field: personal data and stigmatising words."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import yaml

from ..loader import iter_strings
from ..models import Document, Vignette
from ..problems import I_EXTERNAL_LINK, W_MOBILE, W_RESIDENT_ID, W_STIGMA, Problem
from ..yamlsource import Source
from .manual import MOBILE, RESIDENT_ID

DEFAULT_WORDING = Path(__file__).resolve().parent.parent / "wording.yaml"
EXTERNAL_LINK = re.compile(r"https?://[^\s)>\]]+")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def valid_resident_id(number: str) -> bool:
    """GB 11643 check digit: the 18th character is determined by the first 17."""
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS))
    return "10X98765432"[total % 11] == number[17].upper()


def stigma_words(root: Path) -> dict[str, str]:
    override = root / "wording.yaml"
    path = override if override.is_file() else DEFAULT_WORDING
    return _read_words(path, path.stat().st_mtime_ns)  # a long-running serve sees an edited list


@cache
def _read_words(path: Path, _mtime_ns: int) -> dict[str, str]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


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
                yield src.problem(where, W_STIGMA,
                                  f"“{match.group()}”是污名化用语，建议改为“{words[match.group()]}”")
        for url in EXTERNAL_LINK.findall(text):
            yield src.problem(where, I_EXTERNAL_LINK, f"链接到外部网站：{url}")
