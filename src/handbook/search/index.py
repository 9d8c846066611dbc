"""The search index, written at build time as small script files the browser loads on first use.

Han text is indexed as overlapping character pairs (Lucene's CJKBigramFilter: 社区康复 → 社区 区康
康复), a lone Han character as itself, Latin letters and digits as lower-case words, and on top
the jieba words of three or more characters (glossary terms are jieba user words), so that a
query matching a whole word ranks above one matching its pairs only. The browser cuts the query
with the same rules (``tokens`` in search.js mirrors ``tokens`` here; a test holds them equal).

Layout under ``search/`` (all ``.js`` so that ``<script>`` tags load them from file://, where
``fetch()`` is refused):

- ``manifest.js``: entry count, the first token of each postings shard, first record of each chunk;
- ``p<N>.js``: postings for a sorted range of tokens (a query loads only the shards of its tokens);
- ``r<N>.js``: records (number, title, document, URL, headings, text) for a range of entries,
  loaded only for the candidates worth showing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import unicodedata
from collections import defaultdict
from pathlib import Path

from .records import Record

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_PIECES = re.compile(rf"[{HAN}]+|[a-z0-9]+")
_HAN_RUN = re.compile(rf"[{HAN}]+")
SHARD_BYTES = 16_000  # postings per file: a 4-token query at 1,000 documents stays well under 1 MB
CHUNK_BYTES = 6_000  # record text per file: the top candidates' chunks are loaded to show them
FORMAT = 1


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def tokens(text: str) -> list[str]:
    """Character pairs of each Han run (a lone character as itself) and Latin/digit words."""
    out = []
    for piece in _PIECES.findall(normalise(text)):
        if _HAN_RUN.fullmatch(piece) and len(piece) > 1:
            out.extend(piece[i:i + 2] for i in range(len(piece) - 1))
        else:
            out.append(piece)
    return out


def words(text: str, cut) -> list[str]:
    """jieba words of three or more Han characters (two-character words are pairs already)."""
    out = []
    for run in _HAN_RUN.findall(normalise(text)):
        if len(run) > 2:
            out.extend(w for w in cut(run) if len(w) > 2 and _HAN_RUN.fullmatch(w))
    return out


def _js_order(token: str) -> bytes:
    return token.encode("utf-16-be")  # JavaScript compares strings by UTF-16 code units


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    s = ""
    while True:
        n, r = divmod(n, 36)
        s = digits[r] + s
        if not n:
            return s


def postings(recs: list[Record], cut) -> dict[str, str]:
    """token → "item,item,...": entry number as a base-36 gap from the previous one, then ``*`` when
    the token is in a heading, ``.`` when it is in no body text, ``:N`` when the body has it N > 1 times."""
    heads: dict[str, set[int]] = defaultdict(set)
    bodies: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for i, rec in enumerate(recs):
        for text in rec.headings:
            for t in {*tokens(text), *words(text, cut)}:
                heads[t].add(i)
        for t in [*tokens(rec.body), *words(rec.body, cut)]:
            bodies[t][i] += 1
    out = {}
    for token in sorted({*heads, *bodies}, key=_js_order):
        items, last = [], 0
        for i in sorted(heads.get(token, set()) | set(bodies.get(token, {}))):
            tf = bodies.get(token, {}).get(i, 0)
            flags = ("*" if i in heads.get(token, ()) else "") + ("." if tf == 0 else f":{tf}" if tf > 1 else "")
            items.append(_b36(i - last) + flags)
            last = i
        out[token] = ",".join(items)
    return out


def _script(call: str, *args) -> str:
    return f"hbSearch.{call}({','.join(json.dumps(a, ensure_ascii=False, separators=(',', ':')) for a in args)});\n"


def write_index(recs: list[Record], out: Path, cut) -> dict:
    """Write the index into ``out`` (replaced whole); return its figures (files, bytes)."""
    tmp = out.with_name(out.name + f".{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    files: dict[str, str] = {}

    shard_first, shard, size = [], [], 0
    for token, items in postings(recs, cut).items():
        if shard and size + len(token) + len(items) > SHARD_BYTES:
            files[f"p{len(shard_first) - 1}.js"] = _script("shard", len(shard_first) - 1, "\n".join(shard))
            shard, size = [], 0
        if not shard:
            shard_first.append(token)
        shard.append(f"{token}\t{items}")
        size += len(token.encode()) + len(items) + 2
    if shard:
        files[f"p{len(shard_first) - 1}.js"] = _script("shard", len(shard_first) - 1, "\n".join(shard))

    number = {id(rec.entry): i for i, rec in enumerate(recs)}
    chunk_first, chunk, size = [], [], 0
    for i, rec in enumerate(recs):
        implements = [number[id(e)] for e in rec.implements if id(e) in number]
        row = [rec.kind, rec.number, rec.title, rec.document, rec.url, rec.headings[1:], rec.body, implements]
        length = len(json.dumps(row, ensure_ascii=False).encode())
        if chunk and size + length > CHUNK_BYTES:
            files[f"r{len(chunk_first) - 1}.js"] = _script("chunk", len(chunk_first) - 1, chunk)
            chunk, size = [], 0
        if not chunk:
            chunk_first.append(i)
        chunk.append(row)
        size += length
    if chunk:
        files[f"r{len(chunk_first) - 1}.js"] = _script("chunk", len(chunk_first) - 1, chunk)

    manifest = {"format": FORMAT, "entries": len(recs), "shards": shard_first, "chunks": chunk_first}
    files["manifest.js"] = _script("manifest", manifest)
    for name, text in files.items():
        (tmp / name).write_text(text, encoding="utf-8")
    old = out.with_name(out.name + f".{os.getpid()}.old")
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    return {"files": len(files), "bytes": sum(len(t.encode()) for t in files.values()),
            "manifest_bytes": len(files["manifest.js"].encode()), "entries": len(recs)}
