"""Pages about the whole library: home, glossary, coverage, rule catalogue, downloads."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from .. import coursework
from ..library import Entry, Library
from ..models import Curriculum, Document, Manual, Standard
from ..render.places import PDF_DIR, PDF_MANIFEST
from ..problems import RULES
from ..review.status import drafts
from ..text import render_text
from .crossref import CrossIndex, coverage, standards
from .links import COVERAGE, DOWNLOADS, EDITING, GLOSSARY, HOME, SECTION_TITLES, Links, page_of, section_page
from .links import RULES as RULES_PAGE
from .md import bullets, esc, heading, join, table

USES_SHOWN = 12  # per glossary term: a reader needs examples, not every mention in a large library
SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


def entry_link(entry: Entry, links: Links, page: str, with_doc: bool = True) -> str:
    """A Markdown link to ``entry`` labelled like 《文件》5.2.1 标题 (plain text if it has no page)."""
    label = entry.label if entry.item is not entry.doc else ""
    if with_doc or entry.item is entry.doc:
        label = f"《{entry.doc.title}》{label}"
    target = links.target(entry)
    return f"[{esc(label)}]({links.to(target, page)})" if target else esc(label)


# ------------------------------------------------------------------ home

def render_home(lib: Library, links: Links, extra_pages: list[tuple[str, str]] = ()) -> str:
    def cards(kind: str) -> str:
        docs = [d for d in lib.documents if d.kind == kind and links.has_page(d)]
        if not docs:
            return ""
        items = []
        for d in docs:
            items.append(f"**[{esc(d.title)}]({page_of(d)})**\n\n---\n\n{_summary(d)}")
        return join(heading(2, SECTION_TITLES[kind]),
                    f'<div class="grid cards" markdown>\n\n{bullets(items)}\n</div>\n')

    tools = [
        f"[术语表]({GLOSSARY})：全部术语的定义和使用位置",
        f"[条款覆盖情况]({COVERAGE})：哪些课次讲授哪些标准条款，哪些条款尚无课次覆盖",
        f"[下载]({DOWNLOADS})：PDF 版标准、手册和培训资料",
        f"[校验规则]({RULES_PAGE})：编辑 YAML 时检查的全部规则",
        f"[编辑指南：字段说明]({EDITING})：每种文件可以填写的全部字段",
        *(f"[{esc(title)}]({path})" for path, title in extra_pages),
    ]
    counts = {k: sum(d.kind == k for d in lib.documents) for k in SECTION_TITLES}
    intro = (
        f"本站收录禁毒社会工作的服务标准 {counts['standard']} 项、实务手册 {counts['manual']} 本、"
        f"培训课程 {counts['curriculum']} 个。每个条款都有固定链接，可以直接引用到具体条款；"
        "搜索支持中文词语（如“社区康复”“动机式访谈”）。本站不从外部网站加载任何内容，"
        "下载整个文件夹后也可以直接在电脑上打开使用。"
    )
    sample = any(getattr(d, "sample", False) for d in lib.documents)
    return join(
        "# 禁毒社工服务标准与培训手册\n",
        intro,
        '!!! note "示例内容"\n    本站当前内容为示例，用于演示，不是正式发布的标准或课程。\n' if sample else "",
        _drafts(lib, links),
        *(cards(k) for k in SECTION_TITLES),
        join(heading(2, "工具与参考"), bullets(tools)),
        _recent_changes(lib, links),
    )


def _drafts(lib: Library, links: Links) -> str:
    """The standards out for comment (or in another draft round), named at the top of the home page."""
    rows = [f"[{esc(d.title)}]({page_of(d)})　{esc(d.cover.status)}（本稿完成日期：{d.cover.draft_date}）"
            for d in drafts(lib.documents) if links.has_page(d)]
    if not rows:
        return ""
    return join(heading(2, "征求意见中的草案"),
                "以下标准尚未发布，页面和 PDF 上标有稿次；意见请按各标准页面上的意见反馈表填写。", bullets(rows))


def render_section(kind: str, lib: Library, links: Links) -> str:
    """The list page of one kind of document, used in the navigation of a large library."""
    page = section_page(kind)
    rows = [f"| [{esc(d.title)}]({links.to(page_of(d), page)}) | {_summary(d)} |"
            for d in lib.documents if d.kind == kind and links.has_page(d)]
    return join(f"# {SECTION_TITLES[kind]}\n", f"共 {len(rows)} 份。\n",
                "| 名称 | 概况 |\n|---|---|\n" + "\n".join(rows) + "\n")


def _summary(doc) -> str:
    if isinstance(doc, Standard):
        c = doc.cover
        if c.is_draft:
            return f"{esc(c.code)}　{esc(c.status)}　本稿完成日期 {c.draft_date}"
        return f"{esc(c.code)}　{esc(c.status_label)}　{c.effective}实施"
    if isinstance(doc, Manual):
        return f"{esc(doc.meta.publisher)}　{esc(doc.meta.version)}"
    if isinstance(doc, Curriculum):
        sessions = [s for p in doc.phases for m in p.modules for s in m.sessions]
        total = sum(s.hours for s in sessions)
        return f"{esc(doc.meta.audience)}　{len(doc.phases)} 个阶段　{total:g} 学时　{esc(doc.meta.delivery)}"
    return ""


def _recent_changes(lib: Library, links: Links, limit: int = 8) -> str:
    rows = []
    for doc in lib.documents:
        if isinstance(doc, Standard) and links.has_page(doc):
            link = links.link_for(HOME)
            for ed in doc.history:
                changes = "<br>".join(render_text(c, lib, doc, link).strip() for c in ed.changes)
                rows.append((ed.date, f"[{esc(doc.title)}]({page_of(doc)}#_history)", esc(ed.edition), changes))
        elif isinstance(doc, Manual) and links.has_page(doc):
            rows.append((doc.meta.date, f"[{esc(doc.title)}]({page_of(doc)})", esc(doc.meta.version), "发布"))
    if not rows:
        return ""
    rows.sort(key=lambda r: r[0], reverse=True)
    return join(heading(2, "最近的版本变化"),
                table(["日期", "文件", "版次", "主要变化"], [(str(d), *rest) for d, *rest in rows[:limit]]))


# ------------------------------------------------------------------ glossary

def term_anchors(lib: Library) -> dict[str, str]:
    """Glossary anchor per term key: the term's ID, or "文件ID--术语ID" when two standards share an ID."""
    terms = [e for e in lib.entries.values() if e.kind == "term"]
    ids = [e.id for e in terms]
    return {e.key: e.id if ids.count(e.id) == 1 else f"{e.doc.id}--{e.id}" for e in terms}


def render_glossary(lib: Library, links: Links, index: CrossIndex) -> str:
    anchors = term_anchors(lib)
    link = links.link_for(GLOSSARY)
    blocks = ["# 术语表\n", ("收录各项标准“术语和定义”一章中的全部术语。每个术语注明定义所在的条款，"
                             "并列出引用或提到它的条款、程序和课次。")]
    for doc in standards(lib):
        terms = [e for e in lib.entries_of(doc, "term")]
        if not terms:
            continue
        blocks.append(heading(2, f"《{esc(doc.title)}》", f"doc-{doc.id}"))
        for entry in terms:
            term = entry.item
            found = index.uses_of_term(entry)
            uses = [entry_link(u, links, GLOSSARY) for u in found[:USES_SHOWN]]
            if len(found) > USES_SHOWN:
                uses.append(f"……另有 {len(found) - USES_SHOWN} 处")
            blocks.append(join(
                heading(3, esc(term.term), anchors[entry.key], "hb-term"),
                f"{esc(term.en)}\n{{: .hb-term__en lang=en }}" if term.en else "",
                render_text(term.definition, lib, doc, link).strip(),
                f"**定义**：{entry_link(entry, links, GLOSSARY)}",
                f"**使用**：\n\n{bullets(uses)}" if uses else "**使用**：暂无其他条目引用。",
            ))
    if len(blocks) == 2:
        blocks.append("各项标准中还没有定义术语。")
    return join(*blocks)


def glossary_words(lib: Library) -> list[str]:
    """Every defined term, for jieba's user dictionary."""
    return sorted({e.item.term.strip() for e in lib.entries.values() if e.kind == "term" and e.item.term.strip()})


# ------------------------------------------------------------------ coverage

def render_coverage(lib: Library, links: Links, index: CrossIndex) -> str:
    page = COVERAGE
    blocks = ["---\nsearch:\n  exclude: true\n---\n", "# 条款覆盖情况\n",
              ("下表列出每个标准条款由哪些培训课次讲授、由实务手册的哪些内容落实。"
               "某条款的上级条款被课次讲授时，视为随上级条款覆盖；只有下级条款被讲授时，视为部分覆盖。")]
    uncovered_all: list[str] = []
    sections = []
    compact = []
    for doc in standards(lib):
        rows = []
        compact.append(_compact_coverage(doc, coverage(doc, lib, index), links, page))
        for cov in coverage(doc, lib, index):
            label = f"{'　' * cov.depth}{entry_link(cov.entry, links, page, with_doc=False)}"
            status = ("已覆盖" if cov.sessions else "随上级条款覆盖" if cov.inherited
                      else "部分覆盖" if cov.partial else "**未覆盖**")
            if not cov.covered:
                uncovered_all.append(entry_link(cov.entry, links, page))
            rows.append((label, "<br>".join(entry_link(s, links, page) for s in cov.sessions),
                         "<br>".join(entry_link(m, links, page) for m in cov.implemented_by), status))
        sections.append(join(heading(2, f"《{esc(doc.title)}》", f"doc-{doc.id}"),
                             table(["条款", "讲授的课次", "落实的手册内容", "覆盖情况"], rows)))
    blocks.append(join(heading(2, "按条款查看", "_by-clause"),
                       "每条一行：条款、讲授它的课次和覆盖情况。勾选下面的选项只看尚未覆盖的条款；"
                       "完整的对照表（含落实的手册内容）在本页后面，适合宽屏和打印。",
                       '<div class="hb-coverage" markdown="1">',
                       '<label><input type="checkbox" class="hb-coverage__gaps"> 只看未覆盖的条款</label>',
                       *compact, "</div>"))
    blocks.append(join(heading(2, "尚无课次覆盖的条款", "_uncovered"),
                       bullets(uncovered_all) if uncovered_all else "所有条款都至少有一个课次讲授。"))
    blocks += sections
    curricula = [d for d in lib.documents if isinstance(d, Curriculum)]
    if curricula:
        blocks.append(heading(2, "各课程讲授的条款", "_by-curriculum"))
        for doc in curricula:
            rows = [(entry_link(s, links, page, with_doc=False),
                     "<br>".join(_ref_link(r, s, lib, links, page) for r in s.item.covers) or "—")
                    for s in lib.entries_of(doc, "session")]
            blocks.append(join(heading(3, f"《{esc(doc.title)}》", f"doc-{doc.id}"),
                               table(["课次", "讲授的标准条款"], rows)))
        blocks.append(heading(2, "条款、课次与考核题目", "_assessed"))
        blocks.append("每个课程讲授的标准条款，由哪些课次讲授、由题库中的哪些题目考查（只列题号，答案只印在培训者手册中），"
                      "并列出讲授了但没有考核的条款和没有题目或评分项目考查的学习目标。")
        for doc in curricula:
            blocks.append(_chain_section(doc, lib, links, page))
    return join(*blocks)


def _chain_section(doc: Curriculum, lib: Library, links: Links, page: str) -> str:
    chain = coursework.chain(doc, lib)
    sessions = {s.id: e for e in lib.entries_of(doc, "session") for s in [e.item]}
    rows = [(entry_link(r.clause, links, page),
             "<br>".join(entry_link(sessions[s.id], links, page) for s in r.sessions),
             "、".join(f"{i.number}（{esc(i.kind)}）" for i in r.items) or "**未考核**") for r in chain.rows]
    gaps = [entry_link(r.clause, links, page) for r in chain.taught_not_assessed]
    loose = [f"{entry_link(sessions[s.id], links, page)} 目标{n}：{render_text(t, lib, doc, links.link_for(page)).strip()}"
             for s, n, t in chain.objectives_without_items]
    return join(
        heading(3, f"《{esc(doc.title)}》", f"chain-{doc.id}"),
        table(["标准条款", "讲授的课次", "考核题目"], rows) if rows else "本课程的课次没有注明讲授的标准条款。",
        f"**讲授但未考核的条款（{len(gaps)} 条）**",
        bullets(gaps) if gaps else "讲授的每个条款都至少有一道题目考查。",
        f"**没有题目或评分项目考查的学习目标（{len(loose)} 条）**",
        bullets(loose) if loose else "每条学习目标都有题目或评分项目考查。",
    )


def _compact_coverage(doc: Standard, rows, links: Links, page: str) -> str:
    """One list item per provision: number and title, its status, and the sessions teaching it.
    An uncovered clause's status carries ``hb-gap``, which the page's checkbox filters on."""
    items = []
    for cov in rows:
        status = ("已覆盖" if cov.sessions else "随上级条款覆盖" if cov.inherited
                  else "部分覆盖" if cov.partial else "未覆盖")
        taught = "、".join(entry_link(s, links, page, with_doc=False) for s in cov.sessions)
        items.append(f"- {entry_link(cov.entry, links, page, with_doc=False)}"
                     f' <span class="hb-coverage__status{"" if cov.covered else " hb-gap"}">{status}</span>'
                     + (f'<br><span class="hb-coverage__sessions">{taught}</span>' if taught else ""))
    return join(heading(3, f"《{esc(doc.title)}》", f"by-clause-{doc.id}"), "\n".join(items))


def _ref_link(ref: str, at: Entry, lib: Library, links: Links, page: str) -> str:
    entry = lib.resolve(ref, at.doc)
    return entry_link(entry, links, page) if entry else esc(ref)


# ------------------------------------------------------------------ rules and downloads

def render_rules() -> str:
    groups: dict[str, list] = {}
    for rule in RULES.values():
        groups.setdefault(rule.group, []).append(rule)
    blocks = ["# 校验规则\n",
              ("运行 `python build.py check` 检查 standards/ 和 curricula/ 下的全部 YAML 文件，"
               "每个问题报告为“文件:行:列: 代码 说明”。错误会阻止生成网站和 PDF；警告和提示不会。")]
    for group, rules in groups.items():
        blocks.append(join(heading(2, esc(group)),
                           table(["代码", "级别", "说明"], [(r.code, SEVERITY[r.severity], esc(r.summary)) for r in rules])))
    return join(*blocks)


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


def render_downloads(lib: Library, pdfs: list[PublishedPdf]) -> str:
    blocks = ["# 下载\n"]
    if not pdfs:
        blocks.append("暂时没有可下载的 PDF。运行 `python build.py pdf` 生成 PDF 后重新生成网站，文件会列在这里。")
        return join(*blocks)
    blocks.append("PDF 版适合打印（A4），含封面、目次和页码；标准另有 Word 版，供起草组修改和交换意见。")
    rows = []
    for pdf in pdfs:
        size = pdf.path.stat().st_size
        size_text = f"{size / 1024 / 1024:.1f} MB" if size >= 100 * 1024 else f"{max(1, round(size / 1024))} KB"
        rows.append((esc(pdf.doc.title), esc(pdf.part), f"[{esc(pdf.path.name)}](downloads/{quote(pdf.path.name)})",
                     size_text))
    blocks.append(table(["文件", "内容", "下载", "大小"], rows))
    return join(*blocks)
