"""Generated pages rendered once per distinct input, kept between runs (like the PDF manifest).

A page is described by a ``PageSpec``: its URI, the content keys of everything it shows (its
document's hash, the hashes of the documents it cites, the PDFs it offers, ...) and a function
that renders it. The cache key is the hash of those keys, this package's code, mkdocs.yml and
the theme. When the key matches a stored page, the stored HTML, table of contents, anchors and
title are handed to MkDocs and the page is neither generated nor converted again.

``render()`` returns Markdown (MkDocs converts it; the result is stored from ``on_page_content``)
or a finished ``Rendered`` page (stored as it is).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Rendered:
    html: str
    toc: list[dict] = field(default_factory=list)  # MkDocs toc tokens: level, id, name, children
    anchors: set[str] = field(default_factory=set)  # ids on the page, for MkDocs' anchor validation
    title: str | None = None  # HTML, as the theme prints page.title
    meta: dict = field(default_factory=dict)  # front matter (hide, template...)
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (page, anchor, url) it links to


@dataclass
class PageSpec:
    uri: str
    inputs: tuple[str, ...]  # content keys of everything the page shows
    render: Callable[[], str | Rendered]


def toc_tokens(toc: Iterable) -> list[dict]:
    """MkDocs' TableOfContents back to the tokens ``mkdocs.structure.toc.get_toc`` takes."""
    return [{"level": a.level, "id": a.id, "name": a.title, "children": toc_tokens(a.children)} for a in toc]


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


class PageCache:
    def __init__(self, folder: Path, salt: str):
        self.folder, self.salt = folder, salt
        self.rendered: list[str] = []  # URIs rendered in this run (tests and logs read it)
        self.reused: list[str] = []

    def key(self, spec: PageSpec) -> str:
        return digest(self.salt, spec.uri, *spec.inputs)

    def _path(self, uri: str) -> Path:
        return self.folder / (digest(uri)[:32] + ".pickle")

    def get(self, uri: str, key: str) -> Rendered | None:
        try:
            with self._path(uri).open("rb") as f:
                stored_key, page = pickle.load(f)
        except Exception:  # not there yet, or written by an incompatible version: render it
            return None
        return page if stored_key == key else None

    def put(self, uri: str, key: str, page: Rendered) -> None:
        tmp = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            with os.fdopen(fd, "wb") as f:
                pickle.dump((key, page), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self._path(uri))
        except Exception:  # a read-only project still builds, only without the cache
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
