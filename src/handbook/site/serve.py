"""``build.py serve``: the preview server, rebuilding only the pages a saved file changes.

MkDocs' own ``serve`` rebuilds the whole site on every save. Here the first build is a normal
MkDocs build; after that, a save of a YAML file checks the library again (unchanged files come
from the check cache in memory), lists the generated pages, and rebuilds only those whose input
key changed -- the saved document's page, the pages that cite it, the overview pages -- through
MkDocs' own page pipeline (``_populate_page`` and ``_build_page``, so every plugin hook and the
theme still apply). A change to docs/, mkdocs.yml or the theme, or one that changes the
navigation (a document added, removed or retitled), rebuilds everything. MkDocs' live-reload
server serves the folder and reloads the browser when a rebuild is done; ``mkdocs serve`` still
works too (with full rebuilds, but each page comes from the page cache when unchanged).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.commands import build as mkdocs_build
from mkdocs.livereload import LiveReloadServer

from ..facts import FACTS_FILE
from ..loader import CONTENT_DIRS
from .build import load
from .inventory import ContentError, SiteState

log = logging.getLogger("mkdocs.plugins.handbook")


def snapshot(paths: list[Path]) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file under ``paths``: what changed since the last look."""
    seen = {}
    for path in paths:
        files = [path] if path.is_file() else (p for p in path.rglob("*") if p.is_file())
        for p in files:
            try:
                st = p.stat()
            except OSError:
                continue
            seen[str(p)] = (st.st_mtime_ns, st.st_size)
    return seen


class Preview:
    """One serve session: the MkDocs config of the last full build and the state to rebuild pages from."""

    def __init__(self, root: Path, site_dir: Path, *, only: str = "", host: str = "127.0.0.1", port: int = 8000,
                 background: bool = False):
        self.root, self.site_dir, self.only = root, site_dir, only
        self.host, self.port = host, port
        self.rebuilt: list[str] = []  # pages rebuilt by the last save (logged; tests read it)
        self.config = None
        self.background = background  # the saved document's pages first, the rest on a thread
        self._lock = threading.RLock()
        self._later: threading.Thread | None = None
        self._saves = 0  # counts saves; the pages left from an earlier save stop being built at a newer one

    def _config(self):
        config = load(self.root, self.site_dir, only=self.only, strict=False)
        config.dev_addr = f"{self.host}:{self.port}"
        self.mount_path = urlsplit(config.site_url or "/").path
        config.site_url = f"http://{self.host}:{self.port}{self.mount_path}"
        return config

    @property
    def plugin(self):
        return self.config.plugins["handbook"]

    def content_paths(self) -> list[Path]:
        paths = [self.root / name for name in CONTENT_DIRS if (self.root / name).is_dir()]
        facts = self.root / FACTS_FILE  # a changed fact changes every page citing it (see loader's digests)
        return paths + [facts] if facts.is_file() else paths

    def other_paths(self) -> list[Path]:
        config = self.config
        paths = [Path(config.docs_dir), Path(config.config_file_path)]
        if config.theme.custom_dir:
            paths.append(Path(config.theme.custom_dir))
        return paths

    def full_build(self) -> None:
        start = time.perf_counter()
        config = self._config()
        if self.config is None:
            config.plugins.on_startup(command="serve", dirty=False)
        mkdocs_build.build(config, serve_url=config.site_url)
        self.config = config
        self.content_seen = snapshot(self.content_paths())
        self.other_seen = snapshot(self.other_paths())
        log.info(f"网站已生成（{time.perf_counter() - start:.1f} 秒）")

    def rebuild(self) -> None:
        """Called by the server after files changed: the smallest rebuild that is correct."""
        self._saves += 1  # the previous save's remaining pages stop after the one being built
        with self._lock:
            self._rebuild()

    def wait(self) -> None:
        """Until the pages rebuilt after the last save's own are written (tests, shutdown)."""
        if self._later is not None:
            self._later.join()

    def _rebuild(self) -> None:
        content, other = snapshot(self.content_paths()), snapshot(self.other_paths())
        if other != self.other_seen or self.config is None:
            log.info("docs/、mkdocs.yml 或主题有改动：重新生成整个网站")
            self.full_build()
            return
        if content == self.content_seen:
            return
        self.content_seen = content
        start = time.perf_counter()
        plugin = self.plugin
        old = plugin.state
        if plugin.problems_shown:  # the pages carry the problems panel: they all change once it goes
            self.full_build()
            return
        try:
            state = SiteState.load(old.root, old.docs_dir, old.cache, only=old.links.only,
                                   revisions_against=old.revisions_against)
        except ContentError:  # every page shows the problems over the last good content (overlay.py)
            self.full_build()
            return
        if state.nav() != old.nav():
            log.info("文件增删或标题改动影响导航：重新生成整个网站")
            self.full_build()
            return
        plugin.state = state
        changed_docs = {i for i, d in state.lib.digests.items() if old.lib.digests.get(i) != d}
        stale = [spec for spec in state.pages() if plugin.pages.key(spec) != plugin.page_keys.get(spec.uri)]
        if any(plugin.files.get_file_from_path(s.uri) is None for s in stale):  # a page that was not there
            self.full_build()
            return
        first = [s for s in stale if _document_of(s.uri) in changed_docs]
        self.rebuilt = []
        self._build_pages(first)
        log.info(f"已更新 {len(first)} 个页面（{time.perf_counter() - start:.2f} 秒）：{'、'.join(s.uri for s in first)}")
        rest = [s for s in stale if s not in first]
        if rest and self.background:
            self._later = threading.Thread(target=self._build_rest, args=(rest, self._saves), daemon=True)
            self._later.start()
        elif rest:
            self._build_rest(rest, self._saves)

    def _build_rest(self, specs, save: int) -> None:
        """The pages that show the saved file only in passing (citing documents, overviews), after the
        page itself, one at a time: a newer save goes first, and the pages not built here stay stale
        (their keys are not recorded), so that save's rebuild picks them up."""
        start = time.perf_counter()
        for done, spec in enumerate(specs):
            with self._lock:
                if save != self._saves:
                    log.info(f"又更新了 {done} 个相关页面，其余的随新的保存一起更新")
                    return
                self._build_pages([spec])
        log.info(f"又更新了 {len(specs)} 个相关页面（{time.perf_counter() - start:.2f} 秒）")

    def _build_pages(self, specs) -> None:
        plugin, config = self.plugin, self.config
        files, nav, env = plugin.files, plugin.nav, plugin.env
        doc_files = files.documentation_pages()
        for spec in specs:
            file = files.get_file_from_path(spec.uri)
            file.content_string = plugin.provide(spec)
            mkdocs_build._populate_page(file.page, config, files)
            mkdocs_build._build_page(file.page, config, doc_files, nav, env)
            self.rebuilt.append(spec.uri)


def _document_of(uri: str) -> str | None:
    """The document a page belongs to ("standards/x.md" and "revisions/x.md" -> "x"), None for overviews."""
    folder, _, name = uri.rpartition("/")
    return name.removesuffix(".md") if folder and name != "index.md" else None


def serve(root: Path, *, port: int = 8000, only: str = "", host: str = "127.0.0.1") -> None:
    site_dir = Path(tempfile.mkdtemp(prefix="handbook-serve-"))
    preview = Preview(root, site_dir, only=only, host=host, port=port, background=True)
    try:
        preview.full_build()
        server = LiveReloadServer(builder=preview.rebuild, host=host, port=port, root=str(site_dir),
                                  mount_path=preview.mount_path)

        def error_page(code: int) -> bytes | None:
            page = site_dir / f"{code}.html"
            return page.read_bytes() if code in (404, 500) and page.is_file() else None

        server.error_handler = error_page
        for path in [*preview.content_paths(), *preview.other_paths()]:
            server.watch(str(path))
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("预览已停止")
        finally:
            server.shutdown()
    finally:
        if preview.config is not None:
            preview.config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
