"""jieba words for the search index, with the glossary as its user dictionary, memoised across builds.

The same runs of Han text recur (headings, recurring phrases, unchanged pages between builds), so
each distinct run is cut once and remembered in a cache file next to the other build caches. The
cache file is named after the dictionary: a changed glossary starts a new one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

SEPARATOR = "\u200b"


class Segmenter:
    def __init__(self, cache_dir: Path, user_words: list[str]) -> None:
        self.user_words = sorted({w for w in user_words if w and " " not in w})
        key = hashlib.sha256("\n".join(self.user_words).encode()).hexdigest()[:16]
        self.cache_file = cache_dir / f"words-{key}.json"
        try:
            self.words: dict[str, str] = json.loads(self.cache_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.words = {}
        self.new = 0
        self._jieba = None

    def _tokenizer(self):
        if self._jieba is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" chatter is not for editors
            self._jieba = jieba.Tokenizer()
            for word in self.user_words:
                self._jieba.add_word(word, 100000, "n")
        return self._jieba

    def cut(self, run: str) -> list[str]:
        words = self.words.get(run)
        if words is None:
            words = self.words[run] = SEPARATOR.join(self._tokenizer().cut(run))
            self.new += 1
        return words.split(SEPARATOR)

    def save(self) -> None:
        if not self.new:
            return
        self.cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.cache_file.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self.words, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.cache_file)
        self.new = 0
