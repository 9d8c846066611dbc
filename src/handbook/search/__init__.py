"""Site search built from the model: records, a sharded bigram index, and the browser engine in the theme."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from ..library import Library
from .index import FORMAT, write_index
from .records import records
from .words import Segmenter


def glossary_words(lib: Library) -> list[str]:
    """Every defined term and alias: jieba keeps each one whole."""
    out = set()
    for entry in lib.entries.values():
        if entry.kind == "term":
            out.add(entry.item.term.strip())
            out.update(a.strip() for a in getattr(entry.item, "aliases", []))
    return sorted(w for w in out if w)


def build_search(lib: Library, url_of, site_dir: Path, cache_dir: Path) -> dict:
    """Write ``site_dir/search/``; ``url_of(entry)`` is the site-relative URL of an entry or None.

    The index of an unchanged library is kept in ``cache_dir`` and linked into the site, so a
    rebuild after editing a page that search does not see costs no indexing."""
    recs = records(lib, url_of)
    words = glossary_words(lib)
    rows = [[r.kind, r.number, r.title, r.document, r.url, r.headings, r.body, [e.key for e in r.implements]] for r in recs]
    key = hashlib.sha256(json.dumps([FORMAT, words, rows], ensure_ascii=False).encode()).hexdigest()[:20]
    kept = cache_dir / "search" / key
    if not (kept / "manifest.js").is_file():
        segmenter = Segmenter(cache_dir, words)
        write_index(recs, kept, segmenter.cut)
        segmenter.save()
        for old in (cache_dir / "search").iterdir():
            if old.name != key:
                shutil.rmtree(old, ignore_errors=True)
    out = site_dir / "search"
    shutil.rmtree(out, ignore_errors=True)
    try:
        shutil.copytree(kept, out, copy_function=os.link)
    except OSError:  # another file system: copy instead of linking
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(kept, out)
    files = list(out.iterdir())
    return {"files": len(files), "bytes": sum(f.stat().st_size for f in files), "entries": len(recs), "key": key}
