"""Pages about the whole library: home, section lists, glossary, coverage, rule catalogue, downloads.

Each is a finished HTML page (``Rendered``) from a site template (site/templates/*.html), as the
document pages are: Python gathers what the page shows, the template writes it, escaping is
Jinja's. Links are finished URLs seen from the page (``SiteLinker``), so MkDocs converts nothing.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup, escape

from .. import coursework
from ..library import Entry, Library
from ..models import Curriculum, Document, Manual, Standard
from ..problems import RULES
from ..render import headings
from ..render.context import Context
from ..render.env import environment
from ..render.places import PDF_DIR, PDF_MANIFEST
from ..review.status import drafts
from .crossref import CrossIndex, coverage, standards
from .links import COVERAGE, DOWNLOADS, GLOSSARY, HOME, SECTION_TITLES, Links, page_of, section_page
from .links import EDITING, RULES as RULES_PAGE
from .pagecache import Rendered
from .pages import SiteLinker, _file_url, toc_tokens

USES_SHOWN = 12  # per glossary term: a reader needs examples, not every mention in a large library
SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class Options:
    """How MkDocs is configured where it changes our HTML: URL style and heading links."""

    directory_urls: bool = False
    permalink: tuple[str, str] | None = ("¶", "本节链接")


def _finish(uri: str, template: str, lib: Library, links: Links, options: Options, meta: dict | None = None,
            **context) -> Rendered:
    """Render ``site/<template>`` as the page ``uri``: its TOC, ids and links read from the result."""
    linker = SiteLinker(links, uri, options.directory_urls)
    ctx = Context("site", lib, None, linker, permalink=options.permalink)

    def entry_link(entry: Entry | None, with_doc: bool = True) -> Markup:
        """《文件》5.2.1 标题 linked to its place (plain text where it has no page)."""
        if entry is None:
            return Markup("")
        label = entry.label if entry.item is not entry.doc else ""
        if with_doc or entry.item is entry.doc:
            label = f"《{entry.doc.title}》{label}"
        return ctx.link(entry, label)

    body = environment().get_template(f"site/{template}").render(
        ctx=ctx, lib=lib, entry_link=entry_link, to=linker.to, **context)
    found, ids = headings.read(body)
    title = next((h.text for h in found if h.level == 1), "")
    return Rendered(body, toc_tokens(found), ids, html.escape(title), meta or {}, links=linker.seen)


# ------------------------------------------------------------------ home and sections

def render_home(lib: Library, links: Links, extra_pages: list[tuple[str, str]] = (),
                options: Options = Options()) -> Rendered:
    cards = {kind: [(d, summary(d)) for d in lib.documents if d.kind == kind and links.has_page(d)]
             for kind in SECTION_TITLES}
    tools = [(GLOSSARY, "术语表", "全部术语的定义和使用位置"),
             (COVERAGE, "条款覆盖情况", "哪些课次讲授哪些标准条款，哪些条款尚无课次覆盖"),
             (DOWNLOADS, "下载", "PDF 版标准、手册和培训资料"),
             (RULES_PAGE, "校验规则", "编辑 YAML 时检查的全部规则"),
             (EDITING, "编辑指南：字段说明", "每种文件可以填写的全部字段"),
             *((path, title, "") for path, title in extra_pages)]
    return _finish(HOME, "home.html", lib, links, options,
                   counts={k: sum(d.kind == k for d in lib.documents) for k in SECTION_TITLES},
                   sample=any(getattr(d, "sample", False) for d in lib.documents),
                   drafts=[d for d in drafts(lib.documents) if links.has_page(d)],
                   sections=SECTION_TITLES, cards=cards, tools=tools, page_of=page_of,
                   changes=_recent_changes(lib, links))


def render_section(kind: str, lib: Library, links: Links, options: Options = Options()) -> Rendered:
    """The list page of one kind of document, used in the navigation of a large library."""
    rows = [(d, summary(d)) for d in lib.documents if d.kind == kind and links.has_page(d)]
    return _finish(section_page(kind), "section.html", lib, links, options, title=SECTION_TITLES[kind],
                   rows=rows, page_of=page_of)


def summary(doc: Document) -> str:
    """One line about a document for lists: code, status and date; publisher; audience and hours."""
    if isinstance(doc, Standard):
        c = doc.cover
        if c.is_draft:
            return f"{c.code}　{c.status}　本稿完成日期 {c.draft_date}"
        return f"{c.code}　{c.status_label}　{c.effective}实施"
    if isinstance(doc, Manual):
        return f"{doc.meta.publisher}　{doc.meta.version}"
    if isinstance(doc, Curriculum):
        sessions = [s for p in doc.phases for m in p.modules for s in m.sessions]
        total = sum(s.hours for s in sessions)
        return f"{doc.meta.audience}　{len(doc.phases)} 个阶段　{total:g} 学时　{doc.meta.delivery}"
    return ""


def _recent_changes(lib: Library, links: Links, limit: int = 8) -> list[tuple]:
    """(date, document, anchor, edition, [change texts]) of the latest editions, newest first."""
    rows = []
    for doc in lib.documents:
        if isinstance(doc, Standard) and links.has_page(doc):
            rows += [(ed.date, doc, "#_history", ed.edition, ed.changes) for ed in doc.history]
        elif isinstance(doc, Manual) and links.has_page(doc):
            rows.append((doc.meta.date, doc, "", doc.meta.version, None))
    rows.sort(key=lambda r: r[0], reverse=True)
    return rows[:limit]


# ------------------------------------------------------------------ glossary

def term_anchors(lib: Library) -> dict[str, str]:
    """Glossary anchor per term key: the term's ID, or "文件ID--术语ID" when two standards share an ID."""
    terms = [e for e in lib.entries.values() if e.kind == "term"]
    ids = [e.id for e in terms]
    return {e.key: e.id if ids.count(e.id) == 1 else f"{e.doc.id}--{e.id}" for e in terms}


def render_glossary(lib: Library, links: Links, index: CrossIndex, options: Options = Options()) -> Rendered:
    anchors = term_anchors(lib)
    groups = []
    for doc in standards(lib):
        entries = []
        for entry in lib.entries_of(doc, "term"):
            found = index.uses_of_term(entry)
            entries.append((entry, anchors[entry.key], found[:USES_SHOWN], max(0, len(found) - USES_SHOWN)))
        if entries:
            groups.append((doc, entries))
    return _finish(GLOSSARY, "glossary.html", lib, links, options, groups=groups)


def glossary_words(lib: Library) -> list[str]:
    """Every defined term, for jieba's user dictionary."""
    return sorted({e.item.term.strip() for e in lib.entries.values() if e.kind == "term" and e.item.term.strip()})


# ------------------------------------------------------------------ coverage

def coverage_status(cov) -> str:
    return ("已覆盖" if cov.sessions else "随上级条款覆盖" if cov.inherited
            else "部分覆盖" if cov.partial else "未覆盖")


def render_coverage(lib: Library, links: Links, index: CrossIndex, options: Options = Options()) -> Rendered:
    tables = [(doc, coverage(doc, lib, index)) for doc in standards(lib)]
    uncovered = [cov.entry for _, rows in tables for cov in rows if not cov.covered]
    curricula = []
    for doc in (d for d in lib.documents if isinstance(d, Curriculum)):
        taught = [(s, [lib.resolve(r, s.doc) or r for r in s.item.covers]) for s in lib.entries_of(doc, "session")]
        chain = coursework.chain(doc, lib)
        sessions = {e.item.id: e for e in lib.entries_of(doc, "session")}
        curricula.append((doc, taught, chain, sessions))
    return _finish(COVERAGE, "coverage.html", lib, links, options, {"search": {"exclude": True}},
                   tables=tables, uncovered=uncovered, curricula=curricula, status=coverage_status)


# ------------------------------------------------------------------ rules and downloads

def render_rules(lib: Library | None = None, links: Links | None = None, options: Options = Options()) -> Rendered:
    lib = lib or Library()
    groups: dict[str, list] = {}
    for rule in RULES.values():
        groups.setdefault(rule.group, []).append(rule)
    return _finish(RULES_PAGE, "rules.html", lib, links or Links(lib), options, groups=groups, severity=SEVERITY)


VARIANTS = {"trainer": "培训者手册", "workbook": "学员手册", "feedback": "意见反馈表"}


@dataclass(frozen=True)
class PublishedPdf:
    path: Path
    doc: Document
    part: str  # which part of the document: 全文, or the phase and the variant
    key: tuple  # sort key: section, document, phase, variant


def find_pdfs(root: Path, lib: Library) -> list[PublishedPdf]:
    """The PDFs ``build.py pdf`` wrote, as its manifest describes them (document, kind, phase);
    a PDF whose document is no longer in the library, or whose file is missing, is not listed."""
    out = root / PDF_DIR
    try:
        manifest = json.loads((out / PDF_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    found = []
    for name, record in manifest.items():
        doc = lib.document(str(record.get("document", "")))
        path = out / name
        if doc is None or not path.is_file() or not isinstance(record, dict):
            continue
        kind, phase_id = record.get("kind", "handbook"), record.get("phase")
        phase = lib.entries.get(f"{doc.id}#{phase_id}") if phase_id else None
        parts = [f"{phase.number}　{phase.title}" if phase else ("全部阶段" if kind in ("trainer", "workbook") else ""),
                 VARIANTS.get(kind, "")]
        phases = [e.key for e in lib.entries_of(doc, "phase")]
        key = (list(SECTION_TITLES).index(doc.kind), lib.documents.index(doc),
               phases.index(phase.key) + 1 if phase else 0, list(VARIANTS).index(kind) + 1 if kind in VARIANTS else 0, (".pdf", ".docx", ".xlsx").index(path.suffix) if path.suffix in (".pdf", ".docx", ".xlsx") else 3, name)
        word = {".docx": "（Word 版，可编辑）", ".xlsx": "（Excel 版，供汇总意见）"}.get(path.suffix, "")
        found.append(PublishedPdf(path, doc, ("，".join(p for p in parts if p) or "全文") + word, key))
    return sorted(found, key=lambda p: p.key)


def render_downloads(lib: Library, pdfs: list[PublishedPdf], links: Links | None = None,
                     options: Options = Options()) -> Rendered:
    rows = []
    for pdf in pdfs:
        size = pdf.path.stat().st_size
        size_text = f"{size / 1024 / 1024:.1f} MB" if size >= 100 * 1024 else f"{max(1, round(size / 1024))} KB"
        url = _file_url(f"downloads/{quote(pdf.path.name)}", DOWNLOADS, options.directory_urls)
        rows.append((pdf, url, size_text))
    return _finish(DOWNLOADS, "downloads.html", lib, links or Links(lib), options, rows=rows)
