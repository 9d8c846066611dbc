"""One Markdown page per document: ``render_page(doc, lib) -> str``.

Pure functions over the loaded library. Every piece of editor text goes through
``handbook.text.render_text`` (raw HTML escaped, ``[[ref]]`` turned into links); plain
strings (titles, names) go through ``md.esc``. Anchors are the editors' stable IDs; the
fixed parts of a standard use IDs starting with "_" (editors' IDs cannot), so they never clash.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from ..figures import picture as figure_picture
from .. import coursework
from ..library import Library
from ..models import Annex, Clause, Curriculum, Document, Figure, Form, Manual, Procedure, Standard
from ..review.status import draft_notice
from ..text import render_text
from .links import Links, page_of
from .md import bullets, esc, heading, join, table

FlowFn = Callable[[Procedure, Library, Document], str]

GBT_DRAFTING = "本文件按照GB/T 1.1—2020《标准化工作导则　第1部分：标准化文件的结构和起草规则》的规定起草。"
PATENT_NOTICE = "请注意本文件的某些内容可能涉及专利。本文件的发布机构不承担识别专利的责任。"
REFS_LEAD_IN = (
    "下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。其中，注日期的引用文件，"
    "仅该日期对应的版本适用于本文件；不注日期的引用文件，其最新版本（包括所有的修改单）适用于本文件。"
)
FIELD_TYPES = {"text": "填写", "lines": "多行填写", "date": "日期", "check": "勾选", "sign": "签名", "number": "数字"}
SAMPLE_NOTE = '!!! warning "示例文件"\n    本文件为示例内容，仅用于演示，不是正式发布的文件。\n'


def hours(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


def elements():
    """The macros of elements.html (one Jinja environment with the print; see pdf.render)."""
    from ..pdf.render import environment

    return environment().get_template("elements.html").module


def render_page(doc: Document, lib: Library, links: Links | None = None, flow: FlowFn | None = None,
                pdfs: list[tuple[str, str]] = (), revisions: tuple[str, str] | None = None) -> str:
    """The Markdown page of ``doc``; ``flow`` renders a procedure diagram (default: Graphviz, no cache);
    ``pdfs`` are (label, site path) of this document's PDFs, linked under the title, and ``revisions``
    (label, site path) its 修订说明 page."""
    if flow is None:
        from .flow import FlowRenderer

        flow = FlowRenderer()
    page = _Page(doc, lib, links or Links(lib), flow, list(pdfs), revisions)
    if isinstance(doc, Standard):
        return page.standard(doc)
    if isinstance(doc, Manual):
        return page.manual(doc)
    return page.curriculum(doc)


class _Page:
    def __init__(self, doc: Document, lib: Library, links: Links, flow: FlowFn, pdfs: list[tuple[str, str]],
                 revisions: tuple[str, str] | None = None):
        self.doc, self.lib, self.links, self.flow, self.pdfs = doc, lib, links, flow, pdfs
        self.revisions = revisions
        self.figure_cache = getattr(flow, "cache", None)  # the procedures' Graphviz cache serves figures too
        self.path = page_of(doc)
        self.link_for = links.link_for(self.path)

    # ------------------------------------------------------------ helpers

    def t(self, text: str) -> str:
        return render_text(text, self.lib, self.doc, self.link_for).strip()

    def ref(self, ref: str) -> str:
        """A structured reference as a Markdown link labelled with number and title."""
        entry = self.lib.resolve(ref, self.doc)
        if entry is None:
            return esc(ref)
        label = entry.label if entry.item is not entry.doc else f"《{entry.title}》"
        if entry.doc is not self.doc and entry.item is not entry.doc:
            label = f"《{entry.doc.title}》{label}"
        url = self.link_for(entry)
        return f"[{esc(label)}]({url})" if url else esc(label)

    def refs(self, refs: list[str], lead: str) -> str:
        return f"**{lead}**：" + "；".join(self.ref(r) for r in refs) if refs else ""

    def meta(self, pairs: list[tuple[str, str]]) -> str:
        items = "\n".join(f"- **{k}**：{v}" for k, v in pairs if v)
        return f'<div class="hb-meta" markdown>\n\n{items}\n\n</div>\n'

    def note(self, text: str, prefix: str = "注") -> str:
        return f"{prefix}：{self.t(text)}" if text.strip() else ""

    def notes(self, texts: list[str]) -> str:
        if len(texts) == 1:
            return self.note(texts[0])
        return join(*(self.note(text, f"注{i}") for i, text in enumerate(texts, 1)))

    def title_block(self, title: str, sample: bool) -> str:
        pdfs = "；".join(f"[{esc(label)}]({self.links.to(path, self.path)})" for label, path in self.pdfs)
        revisions = ""
        if self.revisions:
            label, path = self.revisions
            revisions = f"**修订说明**：[{esc(label)}]({self.links.to(path, self.path)})"
        return join(f"# {esc(title)}\n", SAMPLE_NOTE if sample else "", f"**PDF 下载**：{pdfs}" if pdfs else "",
                    revisions)

    # ------------------------------------------------------------ standards

    def standard(self, doc: Standard) -> str:
        c = doc.cover
        cover = self.meta([
            ("层次", esc(c.level)), ("文件编号", esc(c.code)), ("英文名称", esc(c.title_en)),
            ("ICS", esc(c.ics)), ("CCS", esc(c.ccs)), ("发布日期", "" if c.is_draft else str(c.issued or "")),
            ("实施日期", "" if c.is_draft else str(c.effective or "")), ("本稿完成日期", str(c.draft_date) if c.is_draft else ""),
            ("发布机构", esc(c.publisher)), ("状态", esc(c.status_label)),
            ("代替", esc(c.supersedes)), ("备案号", esc(c.filing_no)),
        ])
        f = doc.foreword
        foreword = join(
            heading(2, "前言", "_foreword"), GBT_DRAFTING, self.t(f.text), PATENT_NOTICE,
            f"本文件由{esc(f.proposer)}提出。", f"本文件由{esc(f.administrator)}归口。",
            f"本文件起草单位：{esc('、'.join(f.drafting_units))}。", f"本文件主要起草人：{esc('、'.join(f.drafters))}。",
        )
        refs = doc.normative_references
        statement = refs.statement or (REFS_LEAD_IN if refs.documents else "本文件没有规范性引用文件。")
        references = join(
            heading(2, "2　规范性引用文件", "_references"), esc(statement),
            *(f"{esc(r.code)}　{esc(r.title)}" for r in refs.documents),
        )
        return join(
            self.title_block(doc.title, doc.sample),
            f'!!! danger "{esc(c.status)}"\n    {esc(draft_notice(c))}\n' if c.is_draft else "",
            cover,
            self.standard_toc(doc),
            foreword,
            join(heading(2, "引言", "_introduction"), self.t(doc.introduction)) if doc.introduction.strip() else "",
            join(heading(2, "1　范围", "_scope"), self.t(doc.scope)),
            references,
            self.terms(doc),
            *(self.clause(ch, 2) for ch in doc.chapters),
            *(self.annex(a) for a in doc.annexes),
            self.bibliography(doc),
            self.history(doc),
        )

    def standard_toc(self, doc: Standard) -> str:
        def line(label: str, anchor: str) -> str:
            return f"[{label}](#{anchor})"

        items = [line("前言", "_foreword")]
        if doc.introduction.strip():
            items.append(line("引言", "_introduction"))
        items += [line("1　范围", "_scope"), line("2　规范性引用文件", "_references"), line("3　术语和定义", "_terms")]
        for ch in doc.chapters:
            subs = [line(f"{c.number}　{esc(c.title)}", c.id) for c in ch.clauses if c.title]
            items.append(line(f"{ch.number}　{esc(ch.title)}", ch.id) + ("\n" + bullets(subs) if subs else ""))
        for a in doc.annexes:
            items.append(line(f"{a.number}（{a.nature}）　{esc(a.title)}", a.id))
        if doc.bibliography:
            items.append(line("参考文献", "_bibliography"))
        items.append(line("版本历史", "_history"))
        return join(heading(2, "目次", "_contents"), f'<nav class="hb-contents" aria-label="目次" markdown>\n\n'
                    f"{bullets(items)}\n</nav>\n")

    def terms(self, doc: Standard) -> str:
        blocks = [heading(2, "3　术语和定义", "_terms"), esc(doc.terms.statement)]
        for term in doc.terms.entries:
            blocks += [
                heading(3, f"{term.number}　{esc(term.term)}", term.id, "hb-term"),
                f"{esc(term.en)}\n{{: .hb-term__en lang=en }}" if term.en else "",
                self.t(term.definition),
                self.element("examples", term.examples),
                self.element("notes", term.notes),
                f"［来源：{esc(term.source)}］" if term.source else "",
            ]
        return join(*blocks)

    def markup(self, text: str) -> Markup:
        return Markup(self.t(text))

    def element(self, name: str, *args) -> str:
        """A shared GB/T element macro (elements.html, also used by the print) in site mode."""
        return str(getattr(elements(), name)(*args, self.markup, True)).strip()

    def picture(self, figure: Figure) -> Markup:
        source = self.lib.sources.get(self.doc.id)
        return Markup(figure_picture(figure, source.path if source else None, self.figure_cache))

    def parts(self, node: Clause | Annex) -> str:
        return str(elements().parts(node, self.markup, self.picture, True)).strip()

    def body(self, clause: Clause) -> str:
        return join(self.t(clause.text), self.element("items", clause.items, clause.item_style), self.parts(clause),
                    self.element("examples", clause.examples), self.element("notes", clause.notes))

    def clause(self, clause: Clause, level: int) -> str:
        body = self.body(clause)
        if clause.title:
            head = heading(level, f"{clause.number}　{esc(clause.title)}", clause.id)
        else:
            head, body = self.untitled(clause, body)
        children = [self.clause(c, level + 1) for c in clause.clauses]
        return join(head, body, *children)

    @staticmethod
    def untitled(clause: Clause, body: str) -> tuple[str, str]:
        """An untitled clause reads "5.2.1　text…": the number starts its first paragraph, which carries the ID."""
        first, sep, rest = body.strip().partition("\n\n")
        plain_paragraph = first and not first.lstrip().startswith(("-", "*", "+", "#", ">", "|", "<", "!!!", "1."))
        if plain_paragraph:
            return "", f"**{clause.number}**　{first}\n{{: #{clause.id} .hb-clause }}" + (sep + rest if sep else "")
        return f"**{clause.number}**\n{{: #{clause.id} .hb-clause }}\n", body

    def annex(self, annex: Annex) -> str:
        title = (f'<span class="hb-annex__no">{annex.number}</span> '
                 f'<span class="hb-annex__nature">（{annex.nature}）</span> '
                 f'<span class="hb-annex__title">{esc(annex.title)}</span>')
        return join(
            heading(2, title, annex.id, "hb-annex"),
            self.t(annex.text),
            *(self.clause(c, 3) for c in annex.clauses),
            self.parts(annex),
            *(self.form(f, 3) for f in annex.forms),
        )

    def bibliography(self, doc: Standard) -> str:
        if not doc.bibliography:
            return ""
        return join(heading(2, "参考文献", "_bibliography"),
                    *(f"\\[{i}\\]　{esc(b)}" for i, b in enumerate(doc.bibliography, 1)))

    def history(self, doc: Standard) -> str:
        rows = [(esc(e.edition), str(e.date), "<br>".join(self.t(c) for c in e.changes)) for e in doc.history]
        return join(heading(2, "版本历史", "_history"), table(["版次", "日期", "主要变化"], rows))

    # ------------------------------------------------------------ forms

    def form(self, form: Form, level: int) -> str:
        rows = []
        for i, f in enumerate(form.fields, 1):
            how = FIELD_TYPES[f.type]
            if f.type == "lines":
                how += f"（{f.lines} 行）"
            if f.options:
                how += "：" + "　".join(f"□ {esc(o)}" for o in f.options)
            rows.append((str(i), esc(f.label), how, esc(f.hint)))
        return join(
            heading(level, f"{form.number}　{esc(form.title)}", form.id, "hb-form"),
            self.t(form.purpose),
            *(join(f"**{esc(c.title)}**", self.t(c.text), bullets(self.t(q) for q in c.prompts)) for c in form.cards),
            table(["序号", "栏目", "填写方式", "填写说明"], rows),
            self.note(form.note),
        )

    def forms(self, forms: list[Form]) -> str:
        return join(heading(2, "表单", "_forms"), *(self.form(f, 3) for f in forms)) if forms else ""

    # ------------------------------------------------------------ manuals

    def manual(self, doc: Manual) -> str:
        m = doc.meta
        meta = self.meta([("编制单位", esc(m.publisher)), ("版本", esc(m.version)), ("编制日期", str(m.date)),
                          ("依据标准", self.ref(m.standard))])
        chapters = []
        for ch in doc.chapters:
            chapters.append(join(
                heading(2, f"{ch.number}　{esc(ch.title)}", ch.id),
                self.t(ch.text),
                self.refs(ch.implements, "本章落实的标准条款"),
                *(self.procedure(p) for p in ch.procedures),
                *(join(heading(3, f"{m_.number}　{esc(m_.title)}", m_.id, "hb-method"),
                       self.t(m_.text), bullets(self.t(i) for i in m_.items),
                       self.refs(m_.implements, "落实的标准条款")) for m_ in ch.methods),
                *(join(heading(3, f"{c.number}　案例：{esc(c.title)}", c.id, "hb-case"),
                       self.t(c.text),
                       "**讨论与启示**\n\n" + bullets(self.t(d) for d in c.discussion) if c.discussion else "",
                       self.refs(c.implements, "相关标准条款")) for c in ch.cases),
            ))
        return join(
            self.title_block(doc.title, doc.sample), meta,
            join(heading(2, "前言", "_foreword"), self.t(doc.foreword)) if doc.foreword.strip() else "",
            *chapters,
            self.forms(doc.forms),
        )

    def procedure(self, proc: Procedure) -> str:
        rows = []
        for i, s in enumerate(proc.steps, 1):
            rows.append((str(i), esc(s.actor), self.t(s.action), self.ref(s.record) if s.record else "",
                         esc(s.time_limit)))
        return join(
            heading(3, f"{proc.number}　程序：{esc(proc.title)}", proc.id, "hb-procedure"),
            f"**目的**：{self.t(proc.purpose)}" if proc.purpose.strip() else "",
            self.flow(proc, self.lib, self.doc),
            table(["步骤", "执行者", "行动", "记录", "时限"], rows),
            self.refs(proc.implements, "落实的标准条款"),
            "**注意事项**\n\n" + bullets(self.t(n) for n in proc.notes) if proc.notes else "",
        )

    # ------------------------------------------------------------ curricula

    def curriculum(self, doc: Curriculum) -> str:
        m = doc.meta
        sessions = [s for p in doc.phases for mod in p.modules for s in mod.sessions]
        total = sum(s.hours for s in sessions)
        meta = self.meta([
            ("主办单位", esc(m.organiser)), ("协办单位", esc(m.partner)), ("培训对象", esc(m.audience)),
            ("实施方式", esc(m.delivery)), ("实施周期", esc(m.period)),
            ("总学时", f"{hours(total)} 学时（{len(doc.phases)} 个阶段，{len(sessions)} 讲）"),
        ])
        sup = doc.supervision
        supervision = join(
            heading(2, "督导安排", "_supervision"),
            self.meta([("督导模式", esc(sup.model)), ("频次", esc(sup.frequency)),
                       ("督导形式", esc("、".join(sup.modes)))]),
            f"**内部督导**：{self.t(sup.internal)}" if sup.internal.strip() else "",
            f"**外部督导**：{self.t(sup.external)}" if sup.external.strip() else "",
        ) if sup else ""
        return join(
            self.title_block(doc.title, doc.sample), meta,
            join(heading(2, "总体目标", "_goals"), bullets(self.t(g) for g in m.goals)) if m.goals else "",
            supervision,
            self.schedule(doc),
            self.attendance(doc),
            *(self.phase(p) for p in doc.phases),
            self.forms(doc.forms),
            self.rubrics(doc),
        )

    def attendance(self, doc: Curriculum) -> str:
        m = doc.meta
        return join(heading(2, "签到、学时与结业", "_attendance"),
                    f"每学时 {m.minutes_per_hour} 分钟。每次课次使用统一的签到表（签到、签退、本人签名），迟到或早退超过 "
                    f"30 分钟的，该课次学时不予认定。出勤学时达到总学时的 {hours(m.attendance_rule)}% 的学员获发结业证书；"
                    "每名学员按实际出勤获发继续教育学时证明（公需科目和专业科目分列）。签到表、学时汇总表和证书由培训者在本机用 "
                    "`python build.py roster` 依据学员名单生成，学员信息不进入本网站。")

    def rubrics(self, doc: Curriculum) -> str:
        if not doc.rubrics:
            return ""
        blocks = [heading(2, "评分表", "_rubrics")]
        for r in doc.rubrics:
            rows = [(esc(c.title), "<br>".join(self.t(d) for d in c.descriptors), hours(c.weight)) for c in r.criteria]
            blocks.append(join(heading(3, f"{r.number}　{esc(r.title)}", r.id), self.t(r.purpose),
                               table(["评分项目", "评分要点", "分值"], rows)))
        return join(*blocks)

    def schedule(self, doc: Curriculum) -> str:
        rows = []
        for p in doc.phases:
            for mod in p.modules:
                for s in mod.sessions:
                    rows.append((
                        f"[{p.number}](#{p.id})", f"[{esc(mod.title)}](#{mod.id})",
                        f"[{s.number}　{esc(s.title)}](#{s.id})", hours(s.hours), esc(s.format or ""),
                        esc("、".join(s.methods)), esc(s.trainer_role),
                    ))
        return join(heading(2, "课程表", "_schedule"),
                    table(["阶段", "模块", "课次", "学时", "形式", "教学方法", "授课角色"], rows))

    def agenda(self, s) -> str:
        rows = coursework.agenda_rows(s)
        if not rows:
            return ""
        timed = bool(s.start)
        body = [((f"{r.start}—{r.end}",) if timed else ()) + (
            str(r.minutes), esc(r.segment.activity) + ("（休息，不计学时）" if r.segment.pause else ""),
            esc(r.segment.method or ""), "；".join(self.t(m) for m in r.segment.materials)) for r in rows]
        total = sum(r.minutes for r in rows if not r.segment.pause)
        return join(table((["时间"] if timed else []) + ["分钟", "环节", "方法", "材料"], body),
                    f"合计 {total} 分钟（{hours(s.hours)} 学时，每学时 {self.doc.meta.minutes_per_hour} 分钟）。")

    def phase(self, p) -> str:
        phase_hours = sum(s.hours for mod in p.modules for s in mod.sessions)
        return join(
            heading(2, f"{p.number}　{esc(p.title)}", p.id, "hb-phase"),
            self.meta([("时间安排", esc(p.period)), ("学时", hours(phase_hours))]),
            "**阶段目标**\n\n" + bullets(self.t(g) for g in p.goals) if p.goals else "",
            f"**阶段考核**：{self.t(p.assessment)}" if p.assessment.strip() else "",
            self.components(p),
            *(self.module(mod) for mod in p.modules),
        )

    def components(self, p) -> str:
        if not p.components:
            return ""
        rows = []
        for c in p.components:
            how = (self.ref(c.rubric) if c.rubric else f"试卷 {len(c.items)} 题" if c.items else "") + (
                f"；{self.t(c.note)}" if c.note else "")
            rows.append((esc(c.title), f"{hours(c.weight)}%", how))
        return table(["考核组成", "权重", "评分方式"], rows)

    def module(self, mod) -> str:
        module_hours = sum(s.hours for s in mod.sessions)
        return join(
            heading(3, f"{mod.number}　{esc(mod.title)}", mod.id, "hb-module"),
            f"{mod.type}科目，{hours(module_hours)} 学时，{len(mod.sessions)} 讲。",
            *(self.session(s) for s in mod.sessions),
        )

    def session(self, s) -> str:
        def section(label: str, body: str) -> str:
            return f"**{label}**\n\n{body}" if body.strip() else ""

        return join(
            heading(4, f"{s.number}　{esc(s.title)}", s.id, "hb-session"),
            self.meta([("学时", hours(s.hours)), ("形式", esc(s.format or "")),
                       ("教学方法", esc("、".join(s.methods))), ("授课角色", esc(s.trainer_role))]),
            section("学习目标", bullets(self.t(o) for o in s.objectives)),
            section("内容提纲", bullets(self.t(o) for o in s.outline)),
            section("教材与材料", bullets(self.t(x) for x in s.materials)),
            section("教学流程", self.agenda(s)),
            f"**考核方式**：{self.t(s.assessment)}" if s.assessment.strip() else "",
            section("讲授的标准条款", bullets(self.ref(r) for r in s.covers)),
            section("使用的表单", bullets(self.ref(r) for r in s.worksheets)),
        )
