"""Chinese word segmentation for the search index, memoised across pages and builds.

Material's search plugin segments every run of Han characters with jieba, section by section,
with a regular expression compiled on each call. The same runs recur (headings, recurring
phrases, unchanged pages between builds), so each distinct run is cut once and remembered in a
cache file next to the other build caches.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+")
ZWSP = "\u200b"


class Segmenter:
    def __init__(self, cache_file: Path) -> None:
        self.cache_file = cache_file
        try:
            self.words: dict[str, str] = json.loads(cache_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.words = {}
        self.new = 0

    def cut(self, run: str) -> str:
        words = self.words.get(run)
        if words is None:
            import jieba

            words = self.words[run] = ZWSP.join(jieba.cut(run))
            self.new += 1
        return words

    def segment(self, data: str) -> str:
        """What Material's ``_segment_chinese`` returns: words of each Han run between zero-width spaces."""
        return HAN.sub(lambda m: ZWSP + self.cut(m.group()) + ZWSP, data).strip(ZWSP)

    def save(self) -> None:
        if not self.new:
            return
        self.cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.cache_file.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self.words, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.cache_file)
        self.new = 0
