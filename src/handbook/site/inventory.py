"""What the site is made of: the checked library, the navigation, and every generated page.

``SiteState.load`` does the work of one build (check the library, the revisions base, the
cross-reference index); ``pages()`` lists every generated page as a ``PageSpec`` -- its URI,
the content keys of what it shows, and the function that renders it -- so that the page cache
renders a page only when one of its inputs changed, and ``serve`` rebuilds only those pages.
"""

from __future__ import annotations

import html
import json
import subprocess
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..library import Library
from ..rules import check_library
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
    PublishedPdf,
    Options,
    find_pdfs,
    render_coverage,
    render_downloads,
    render_glossary,
    render_home,
    render_rules,
    render_section,
)
from .pagecache import PageSpec, Rendered, digest
from .pages import render_page, toc_tokens
from .revisions import (
    UNRECORDED_PAGE,
    Since,
    compare,
    find_base,
    needed,
    render_revisions,
    render_unrecorded,
    revisions_page,
    summary,
)


class ContentError(Exception):
    """The library has errors (or ``only`` names no document): no site is built. The message lists them."""

    def __init__(self, message: str, lib: Library):
        super().__init__(message)
        self.lib = lib


class DrawingError(Exception):
    """Graphviz is missing or failed on a flow diagram."""


@dataclass
class SiteState:
    root: Path
    docs_dir: Path
    cache: Path  # the plugin's cache folder (flow diagrams, segmentation)
    revisions_against: str
    lib: Library
    links: Links
    since: Since
    warnings: list[str]
    directory_urls: bool = False  # mkdocs.yml's use_directory_urls: the URLs our finished pages link with
    permalink: tuple[str, str] | None = ("¶", "本节链接")  # mkdocs.yml's toc permalink (symbol, title)

    @cached_property
    def index(self) -> CrossIndex:
        """Glossary uses and coverage: built only when a page that shows them is rendered."""
        return CrossIndex.build(self.lib)

    @classmethod
    def load(cls, root: Path, docs_dir: Path, cache: Path, *, only: set[str] | None = None,
             revisions_against: str = "") -> SiteState:
        """Check the library under ``root``; a library with errors raises ``ContentError``."""
        lib = check_library(root)
        if lib.errors:
            lines = [p.format() for p in lib.errors]
            raise ContentError(f"内容检查发现 {len(lines)} 个错误，网站未生成：\n" + "\n".join(lines), lib)
        return cls.of(lib, root, docs_dir, cache, only=only, revisions_against=revisions_against)

    @classmethod
    def of(cls, lib: Library, root: Path, docs_dir: Path, cache: Path, *, only: set[str] | None = None,
           revisions_against: str = "", require_only: bool = True) -> SiteState:
        """The site of an already checked library."""
        if only and require_only and not only & {d.id for d in lib.documents}:
            raise ContentError(f"没有 ID 为 {'、'.join(sorted(only))} 的文件", lib)
        links = Links(lib, only)
        warnings = []
        base = find_base(root, revisions_against)
        if base.reason == "unknown":
            warnings.append(f"mkdocs.yml：revisions_against 指定的版本“{base.rev}”在 git 中找不到，修订说明页无法列出变化")
        since = compare(root, base, lib, needed(lib, only))
        return cls(root, docs_dir, cache, revisions_against, lib, links, since, warnings)

    # ------------------------------------------------------------ navigation

    def nav(self) -> list:
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
        nav.append({"编辑者": [*self.handwritten(), {"编辑指南：字段说明": EDITING}, {"校验规则": RULES}]})
        return nav

    def handwritten(self) -> list[str]:
        return sorted(p.name for p in self.docs_dir.glob("*.md") if p.name not in GENERATED)

    # ------------------------------------------------------------ pages

    def pdfs(self) -> list[PublishedPdf]:
        return find_pdfs(self.root, self.lib)

    def pages(self) -> list[PageSpec]:
        """Every generated page with the content keys of what it shows."""
        lib, links, since = self.lib, self.links, self.since
        flow = FlowRenderer(self.cache / "flow")
        options = Options(self.directory_urls, self.permalink)
        pdfs = self.pdfs()
        pdfs_of: dict[str, list[tuple[tuple, str, str]]] = {}
        for pdf in pdfs:
            pdfs_of.setdefault(pdf.doc.id, []).append((pdf.key, pdf.part, f"downloads/{pdf.path.name}"))
        digests = lib.digests
        everything = digest(*sorted(f"{i}={d}" for i, d in digests.items()), str(sorted(links.only or ())),
                            *(f"{p.path.name}:{p.part}:{p.path.stat().st_size}:{p.path.stat().st_mtime_ns}" for p in pdfs))
        history = digest(json.dumps([since.rev, since.reason, [repr(c) for c in since.changes]], ensure_ascii=False))
        specs: list[PageSpec] = []
        if not since.recorded:
            specs.append(PageSpec(UNRECORDED_PAGE, (history,),
                                  lambda: render_unrecorded(since, self.revisions_against)))
        for doc in lib.documents:
            if not links.has_page(doc):
                continue
            cited = sorted(lib.graph.cited_documents(doc.id))
            inputs = (digests[doc.id], *(f"{c}={digests.get(c, '')}" for c in cited), str(sorted(links.only or ())))
            own = [(part, path) for _, part, path in sorted(pdfs_of.get(doc.id, []))]
            if since.recorded:
                specs.append(PageSpec(revisions_of(doc), (*inputs, history),
                                      lambda doc=doc: render_revisions(doc, lib, links, since, self.revisions_against)))
            extra = (summary(doc, since), revisions_page(doc, since))

            def page(doc=doc, own=own, extra=extra) -> Rendered:
                try:
                    done = render_page(doc, lib, links, flow, own, extra, directory_urls=self.directory_urls,
                                       permalink=self.permalink)
                    # Themes print page.title as it is: it is HTML, so the document's plain title is escaped here.
                    return Rendered(done.html, toc_tokens(done.headings), done.ids, html.escape(done.title),
                                    links=done.links)
                except (OSError, subprocess.CalledProcessError) as exc:  # no Graphviz, or dot failed
                    raise DrawingError(f"{lib.sources[doc.id].file}：绘制流程图失败（需要 Graphviz 的 dot 命令，"
                                       f"Debian/Ubuntu 上用 apt-get install graphviz 安装）：{exc}") from exc

            specs.append(PageSpec(page_of(doc), (*inputs, json.dumps([own, extra], ensure_ascii=False)), page))
        extra_pages = [(name, _title(self.docs_dir / name)) for name in self.handwritten()]
        specs.append(PageSpec(HOME, (everything, json.dumps(extra_pages, ensure_ascii=False)),
                              lambda: render_home(lib, links, extra_pages, options)))
        for kind in SECTION_TITLES:
            if sum(d.kind == kind and links.has_page(d) for d in lib.documents) > NAV_LIST_LIMIT:
                specs.append(PageSpec(section_page(kind), (everything,),
                                      lambda kind=kind: render_section(kind, lib, links, options)))
        specs += [
            PageSpec(GLOSSARY, (everything,), lambda: render_glossary(lib, links, self.index, options)),
            PageSpec(COVERAGE, (everything,), lambda: render_coverage(lib, links, self.index, options)),
            PageSpec(RULES, (), lambda: render_rules(lib, links, options)),
            PageSpec(EDITING, (), render_fields),
            PageSpec(DOWNLOADS, (everything,), lambda: render_downloads(lib, pdfs, links, options)),
        ]
        return specs


def _title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem
