"""The MkDocs plugin: a thin shell whose hooks call plain functions.

- ``on_config``: check the library and set up the site (``inventory.SiteState``); errors stop the
  build with ``file:line:col: CODE message`` lines (under ``serve``, they are shown over the last
  good pages instead: ``overlay``); the navigation comes from the library;
- ``on_files``: every generated page in memory (nothing is written into docs/), each taken
  from the page cache when none of its inputs changed (``pagecache``), and the PDFs;
- ``on_page_markdown`` / ``on_page_content``: hand MkDocs a cached page as it is, store a new one;
- ``on_post_build``: the search index built from the model (``search_support``, ``handbook.search``);
- ``on_serve``: watch standards/ and curricula/ so saving a YAML file reloads the browser.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import get_toc

from ..facts import FACTS_FILE
from ..library import Library
from ..loader import CONTENT_DIRS
from ..rules import check_library
from . import overlay, search_support
from .inventory import ContentError, DrawingError, SiteState
from .pagecache import PageCache, PageSpec, Rendered, toc_tokens
from .squeeze import squeeze_whitespace
from .tables import readable_tables

log = logging.getLogger("mkdocs.plugins.handbook")

# Material's offline plugin adds this shim from a CDN; we ship the same MIT-licensed file.
IFRAME_WORKER_CDN = "https://unpkg.com/iframe-worker/shim"
IFRAME_WORKER_LOCAL = "assets/javascripts/iframe-worker.js"


class HandbookConfig(Config):
    root = c.Type(str, default="")  # project root holding standards/ and curricula/; default: mkdocs.yml's folder
    only = c.Type(str, default="")  # comma-separated document IDs to render (``serve --only``)
    cache_dir = c.Type(str, default=".cache/handbook")  # relative to root
    revisions_against = c.Type(str, default="")  # git revision the 修订说明 pages compare with; "" = the last tag


class HandbookPlugin(BasePlugin[HandbookConfig]):
    state: SiteState
    pages: PageCache

    def root(self, config) -> Path:
        if self.config.root:
            return Path(self.config.root).resolve()
        return Path(config.config_file_path or ".").resolve().parent

    def on_startup(self, *, command, dirty) -> None:
        # Defining on_startup keeps this instance across `serve` rebuilds (MkDocs >= 1.4).
        self.serving = command == "serve"
        self.last_good: Library | None = None
        self.problems_shown: list = []

    @event_priority(50)  # ahead of the other plugins: they see our navigation
    def on_config(self, config):
        root = self.root(config)
        self.content_root = root
        only = {i.strip() for i in self.config.only.split(",") if i.strip()} or None
        cache = root / self.config.cache_dir
        lib = check_library(root)
        self.problems_shown = []
        if lib.errors and getattr(self, "serving", False):  # show them in the browser: overlay.py
            overlay.log_problems(log, lib.problems, has_last_good=self.last_good is not None)
            self.problems_shown, lib = lib.problems, self.last_good or Library()
        elif lib.errors:
            lines = [p.format() for p in lib.errors]
            raise PluginError(f"内容检查发现 {len(lines)} 个错误，网站未生成：\n" + "\n".join(lines))
        else:
            self.last_good = lib
        try:
            self.state = SiteState.of(lib, root, Path(config.docs_dir), cache, only=only,
                                      revisions_against=self.config.revisions_against,
                                      require_only=not self.problems_shown)
        except ContentError as exc:
            raise PluginError(str(exc)) from exc
        for problem in self.state.lib.problems:
            log.info(problem.format())
        for warning in self.state.warnings:
            log.warning(warning)
        if self.state.since.recorded:
            log.info(f"修订说明：与 {self.state.since.rev} 相比共 {len(self.state.since.changes)} 处变化")
        self.state.directory_urls = config.use_directory_urls
        self.state.permalink = permalink(config)
        self.pages = PageCache(root / "build" / "cache" / "pages", page_salt(config))
        if config.nav is None:
            config.nav = self.state.nav()
        return config

    def on_files(self, files: Files, config) -> Files:
        self.ready: dict[str, Rendered] = {}  # pages handed to MkDocs as they are
        self.keys: dict[str, str] = {}  # pages MkDocs converts, stored after conversion under this key
        self.page_keys: dict[str, str] = {}  # every generated page's current key (``serve`` compares)
        for spec in self.state.pages():
            _replace(files, File.generated(config, spec.uri, content=self.provide(spec)))
        log.info(f"生成页面：新渲染 {len(self.pages.rendered)} 个，沿用缓存 {len(self.pages.reused)} 个")
        for pdf in self.state.pdfs():
            _replace(files, File.generated(config, f"downloads/{pdf.path.name}", abs_src_path=str(pdf.path)))
        _local_polyfills(config)
        return files

    def provide(self, spec: PageSpec) -> str:
        """The page's content for MkDocs: its Markdown, or "" when a finished page is handed over later."""
        key = self.page_keys[spec.uri] = self.pages.key(spec)
        self.ready.pop(spec.uri, None)
        self.keys.pop(spec.uri, None)
        page = self.pages.get(spec.uri, key)
        if page is None:
            self.pages.rendered.append(spec.uri)
            try:
                page = spec.render()
            except DrawingError as exc:
                raise PluginError(str(exc)) from exc
            if isinstance(page, Rendered):
                self.pages.put(spec.uri, key, page)
        else:
            self.pages.reused.append(spec.uri)
        if isinstance(page, Rendered):
            self.ready[spec.uri] = page
            return ""
        self.keys[spec.uri] = key
        return page

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        ready = self.ready.get(page.file.src_uri)
        if ready is not None:
            page.meta.update(ready.meta)
            if ready.title and "title" not in page.meta and not page.is_homepage:  # Material titles the home page itself
                page.meta["title"] = ready.title
        return markdown

    def on_page_content(self, html: str, *, page, config, files) -> str:
        uri = page.file.src_uri
        ready = self.ready.get(uri)
        if ready is not None:
            page.toc = get_toc(ready.toc)
            page.present_anchor_ids = set(ready.anchors)
            targets: dict = {}  # what MkDocs' anchor validation checks (Python-Markdown would have recorded it)
            for target, anchor, url in getattr(ready, "links", ()):
                file = files.get_file_from_path(target)
                if file is not None:
                    targets.setdefault(file, {}).setdefault(anchor, url)
            page.links_to_anchors = targets
            return ready.html
        if uri in self.keys:
            self.pages.put(uri, self.keys[uri], Rendered(html, toc_tokens(page.toc), set(page.present_anchor_ids or ()),
                                                         page.title, dict(page.meta)))
        return html

    def on_env(self, env, *, config, files):
        self.env, self.files = env, files  # kept for ``serve``'s page-by-page rebuild
        return env

    def on_nav(self, nav, *, config, files):
        self.nav = nav
        return nav

    def on_post_page(self, output: str, *, page, config) -> str:
        if self.problems_shown:
            panel = overlay.render_panel(self.problems_shown, has_last_good=self.last_good is not None)
            output = overlay.add_panel(output, panel)
        return squeeze_whitespace(readable_tables(output))

    def on_post_build(self, *, config):
        search_support.post_build(self.state, config)

    def on_serve(self, server, *, config, builder):
        for name in CONTENT_DIRS:
            path = self.content_root / name
            if path.is_dir():
                server.watch(str(path))
        if (self.content_root / FACTS_FILE).is_file():  # a changed fact changes every page citing it
            server.watch(str(self.content_root / FACTS_FILE))
        return server


def permalink(config) -> tuple[str, str] | None:
    """The heading links the toc extension would add (mkdocs.yml's ``toc: permalink``)."""
    toc = (config.mdx_configs or {}).get("toc") or {}
    symbol = toc.get("permalink")
    if not symbol:
        return None
    return ("¶" if symbol is True else str(symbol)), str(toc.get("permalink_title", "Permanent link"))


def page_salt(config) -> str:
    """What every page depends on besides its content: our code, mkdocs.yml and the theme."""
    from ..checkcache import code_fingerprint
    from .pagecache import digest

    parts: list[str | bytes] = [code_fingerprint()]
    if config.config_file_path and Path(config.config_file_path).is_file():
        parts.append(Path(config.config_file_path).read_text(encoding="utf-8"))
    parts.append(str(sorted(config.markdown_extensions)))
    for folder in config.theme.dirs[:1]:  # our overrides; Material's own files change with its version
        parts += [p.read_bytes() for p in sorted(Path(folder).rglob("*")) if p.is_file()]
    parts.append(_material_version())
    return digest(*parts)


def _material_version() -> str:
    try:
        from importlib.metadata import version

        return version("mkdocs-material") + version("mkdocs")
    except Exception:
        return ""


def _local_polyfills(config) -> None:
    """Swap the offline plugin's CDN shim for our local copy: the site loads nothing from outside."""
    polyfills = config.extra.get("polyfills") or []
    config.extra["polyfills"] = [IFRAME_WORKER_LOCAL if str(p).startswith(IFRAME_WORKER_CDN) else p for p in polyfills]


def _replace(files: Files, file: File) -> None:
    old = files.get_file_from_path(file.src_uri)
    if old is not None:
        files.remove(old)
    files.append(file)
