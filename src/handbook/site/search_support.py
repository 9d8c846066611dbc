"""What our site does to Material's search plugin, kept apart from the plugin until search is ours (issue 11).

- the glossary's terms become jieba user words, so 社区康复 is indexed as one word;
- Chinese segmentation goes through a cache kept between builds (``Segmenter``);
- the index is stored as UTF-8 (Material writes ASCII escapes, six bytes per Chinese character).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from ..library import Library
from .overview import glossary_words
from .segment import Segmenter


@dataclass
class SearchSetup:
    segmenter: Segmenter
    plugin: object | None  # Material's search plugin, if the site uses it


def configure(config, lib: Library, cache: Path) -> SearchSetup:
    try:
        import jieba

        jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" chatter is not for editors
    except ImportError:
        pass
    path = cache / "jieba-user.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    user_dict = "".join(f"{w} 100000 n\n" for w in glossary_words(lib) if " " not in w)
    path.write_text(user_dict, encoding="utf-8")
    # The segmentation cache is only valid for the dictionary it was made with.
    key = hashlib.sha256(user_dict.encode()).hexdigest()[:16]
    setup = SearchSetup(Segmenter(cache / f"segments-{key}.json"), None)
    for name in ("material/search", "search"):
        search = config.plugins.get(name)
        if search is not None and hasattr(search.config, "jieba_dict_user"):
            search.config.jieba_dict_user = str(path)
            setup.plugin = search
    return setup


def pre_build(setup: SearchSetup) -> None:
    # Material's search makes its SearchIndex in its own on_config, after ours; segment through the cache.
    index = getattr(setup.plugin, "search_index", None)
    if index is not None and hasattr(index, "_segment_chinese"):
        index._segment_chinese = setup.segmenter.segment


def post_build(setup: SearchSetup, config) -> None:
    setup.segmenter.save()
    path = Path(config.site_dir) / "search" / "search_index.json"
    if path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
