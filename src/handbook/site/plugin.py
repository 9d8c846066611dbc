"""The MkDocs plugin: a thin shell that loads the library and hands MkDocs generated pages.

Events used:
- ``on_config``: load and validate the library (errors stop the build with ``file:line:col: CODE
  message`` lines), write jieba's user dictionary from the glossary, build the navigation;
- ``on_files``: add every generated page in memory (nothing is written into docs/) and the PDFs,
  with a 修订说明 page per document comparing it with the base revision (``revisions_against``);
- ``on_serve``: watch standards/ and curricula/ so saving a YAML file reloads the browser.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import subprocess
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from ..library import Library
from ..loader import CONTENT_DIRS
from ..rules import check_library
from . import overlay
from .crossref import CrossIndex
from .fields import render_fields
from .flow import FlowRenderer
from .links import (
    COVERAGE,
    DOWNLOADS,
    EDITING,
    GENERATED,
    GLOSSARY,
    HOME,
    NAV_LIST_LIMIT,
    RULES,
    SECTION_TITLES,
    Links,
    page_of,
    revisions_of,
    section_page,
)
from .overview import (
    describe_pdf,
    find_pdfs,
    glossary_words,
    render_coverage,
    render_downloads,
    render_glossary,
    render_home,
    render_rules,
    render_section,
)
from .pages import render_page
from .revisions import (
    UNRECORDED_PAGE,
    compare,
    find_base,
    needed,
    render_revisions,
    render_unrecorded,
    revisions_page,
    summary,
)
from .segment import Segmenter
from .squeeze import squeeze_whitespace

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
    def root(self, config) -> Path:
        if self.config.root:
            return Path(self.config.root).resolve()
        return Path(config.config_file_path or ".").resolve().parent

    def on_startup(self, *, command, dirty) -> None:
        # Defining on_startup keeps this instance across `serve` rebuilds (MkDocs >= 1.4).
        self.serving = command == "serve"
        self.last_good: Library | None = None
        self.problems_shown: list = []

    @event_priority(50)  # before Material's search plugin reads the jieba dictionary
    def on_config(self, config):
        root = self.root(config)
        self.content_root = root
        self.lib = check_library(root)
        self.problems_shown = []
        if self.lib.errors and getattr(self, "serving", False):  # show them in the browser: overlay.py
            overlay.log_problems(log, self.lib.problems, has_last_good=self.last_good is not None)
            self.problems_shown, self.lib = self.lib.problems, self.last_good or Library()
        elif self.lib.errors:
            lines = [p.format() for p in self.lib.errors]
            raise PluginError(f"内容检查发现 {len(lines)} 个错误，网站未生成：\n" + "\n".join(lines))
        else:
            self.last_good = self.lib
        for problem in self.lib.problems:
            log.info(problem.format())
        only = {i.strip() for i in self.config.only.split(",") if i.strip()} or None
        if only and not only & {d.id for d in self.lib.documents} and not self.problems_shown:
            raise PluginError(f"没有 ID 为 {'、'.join(sorted(only))} 的文件")
        self.links = Links(self.lib, only)
        self.index = CrossIndex.build(self.lib)
        self.cache = root / self.config.cache_dir
        self._jieba_dictionary(config)
        self.since = self._since()
        if config.nav is None:
            config.nav = self._nav(config)
        return config

    def _jieba_dictionary(self, config) -> None:
        """Glossary terms as jieba user words, so 社区康复 is indexed as one word, not 社区 + 康复."""
        try:
            import jieba

            jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" chatter is not for editors
        except ImportError:
            pass
        path = self.cache / "jieba-user.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        words = glossary_words(self.lib)
        user_dict = "".join(f"{w} 100000 n\n" for w in words if " " not in w)
        path.write_text(user_dict, encoding="utf-8")
        # The segmentation cache is only valid for the dictionary it was made with.
        key = hashlib.sha256(user_dict.encode()).hexdigest()[:16]
        self.segmenter = Segmenter(self.cache / f"segments-{key}.json")
        for name in ("material/search", "search"):
            search = config.plugins.get(name)
            if search is not None and hasattr(search.config, "jieba_dict_user"):
                search.config.jieba_dict_user = str(path)
                self.search = search

    def _nav(self, config) -> list:
        nav: list = [{"首页": HOME}]
        for kind, title in SECTION_TITLES.items():
            docs = [d for d in self.lib.documents if d.kind == kind and self.links.has_page(d)]
            if len(docs) > NAV_LIST_LIMIT:
                nav.append({title: section_page(kind)})
            elif docs:
                if self.since.recorded:
                    entries = [{html.escape(d.title): [{html.escape(d.title): page_of(d)}, {"修订说明": revisions_of(d)}]}
                               for d in docs]
                else:
                    entries = [{html.escape(d.title): page_of(d)} for d in docs]
                nav.append({title: entries})
        nav += [{"术语表": GLOSSARY}, {"条款覆盖情况": COVERAGE}, {"下载": DOWNLOADS}]
        if not self.since.recorded:
            nav.append({"修订说明": UNRECORDED_PAGE})
        nav.append({"编辑者": [*self._handwritten(config), {"编辑指南：字段说明": EDITING}, {"校验规则": RULES}]})
        return nav

    @staticmethod
    def _handwritten(config) -> list[str]:
        return sorted(p.name for p in Path(config.docs_dir).glob("*.md") if p.name not in GENERATED)

    def on_pre_build(self, *, config) -> None:
        # Material's search makes its SearchIndex in its own on_config, after ours; segment through the cache.
        index = getattr(getattr(self, "search", None), "search_index", None)
        if index is not None and hasattr(index, "_segment_chinese"):
            index._segment_chinese = self.segmenter.segment

    def on_files(self, files: Files, config) -> Files:
        flow = FlowRenderer(self.cache / "flow")
        pdfs = find_pdfs(self.content_root)
        pdfs_of: dict[str, list[tuple[tuple, str, str]]] = {}
        for pdf in pdfs:
            doc, part, key = describe_pdf(pdf.name, self.lib)
            if doc is not None:
                pdfs_of.setdefault(doc.id, []).append((key, part, f"downloads/{pdf.name}"))
        since = self.since
        pages: dict[str, str] = {}
        if not since.recorded:
            pages[UNRECORDED_PAGE] = render_unrecorded(since, self.config.revisions_against)
        for doc in self.lib.documents:
            if self.links.has_page(doc):
                own = [(part, path) for _, part, path in sorted(pdfs_of.get(doc.id, []))]
                if since.recorded:
                    pages[revisions_of(doc)] = render_revisions(doc, self.lib, self.links, since,
                                                                self.config.revisions_against)
                try:
                    pages[page_of(doc)] = render_page(doc, self.lib, self.links, flow, own,
                                                      (summary(doc, since), revisions_page(doc, since)))
                except (OSError, subprocess.CalledProcessError) as exc:  # no Graphviz, or dot failed
                    raise PluginError(f"{self.lib.sources[doc.id].file}：绘制流程图失败（需要 Graphviz 的 dot 命令，"
                                      f"Debian/Ubuntu 上用 apt-get install graphviz 安装）：{exc}") from exc
        extra = [(name, self._title(Path(config.docs_dir) / name)) for name in self._handwritten(config)]
        pages[HOME] = render_home(self.lib, self.links, extra)
        for kind in SECTION_TITLES:
            if sum(d.kind == kind and self.links.has_page(d) for d in self.lib.documents) > NAV_LIST_LIMIT:
                pages[section_page(kind)] = render_section(kind, self.lib, self.links)
        pages[GLOSSARY] = render_glossary(self.lib, self.links, self.index)
        pages[COVERAGE] = render_coverage(self.lib, self.links, self.index)
        pages[RULES] = render_rules()
        pages[EDITING] = render_fields()
        pages[DOWNLOADS] = render_downloads(self.lib, pdfs)
        for uri, markdown in pages.items():
            _replace(files, File.generated(config, uri, content=markdown))
        for pdf in pdfs:
            _replace(files, File.generated(config, f"downloads/{pdf.name}", abs_src_path=str(pdf)))
        self._local_polyfills(config)
        return files

    def _since(self):
        base = find_base(self.content_root, self.config.revisions_against)
        if base.reason == "unknown":
            log.warning(f"mkdocs.yml：revisions_against 指定的版本“{base.rev}”在 git 中找不到，修订说明页无法列出变化")
        since = compare(self.content_root, base, self.lib, needed(self.lib, self.links.only))
        if since.recorded:
            log.info(f"修订说明：与 {since.rev} 相比共 {len(since.changes)} 处变化")
        return since

    @staticmethod
    def _title(path: Path) -> str:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                return line[2:].strip()
        return path.stem

    @staticmethod
    def _local_polyfills(config) -> None:
        """Swap the offline plugin's CDN shim for our local copy: the site loads nothing from outside."""
        polyfills = config.extra.get("polyfills") or []
        config.extra["polyfills"] = [IFRAME_WORKER_LOCAL if str(p).startswith(IFRAME_WORKER_CDN) else p
                                     for p in polyfills]

    def on_post_page(self, output: str, *, page, config) -> str:
        if self.problems_shown:
            panel = overlay.render_panel(self.problems_shown, has_last_good=self.last_good is not None)
            output = overlay.add_panel(output, panel)
        return squeeze_whitespace(output)

    @event_priority(-50)  # after Material's search writes its index, before the offline plugin inlines it
    def on_post_build(self, *, config):
        """Store the search index as UTF-8: Material writes ASCII escapes, six bytes per Chinese character."""
        if getattr(self, "segmenter", None) is not None:
            self.segmenter.save()
        path = Path(config.site_dir) / "search" / "search_index.json"
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

    def on_serve(self, server, *, config, builder):
        for name in CONTENT_DIRS:
            path = self.content_root / name
            if path.is_dir():
                server.watch(str(path))
        return server


def _replace(files: Files, file: File) -> None:
    old = files.get_file_from_path(file.src_uri)
    if old is not None:
        files.remove(old)
    files.append(file)
