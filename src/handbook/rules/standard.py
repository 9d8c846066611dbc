"""GB/T 1.1—2020 structure rules for service standards."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import figures
from ..library import INLINE_REF
from ..models import Annex, Clause, ListItem, Standard
from ..numbering import tree
from ..problems import (
    E_ANNEX_UNREF,
    E_FIGURE_FILE,
    E_FIGURE_SOURCE,
    E_FLOW_EDGE,
    E_LIST_LEAD,
    E_TABLE_CELLS,
    W_LIST_MARK,
    W_LIST_PUNCT,
    W_NOTE_REQUIREMENT,
    W_UNCITED,
    E_CODE_DASH,
    E_DATES,
    E_DEPTH,
    E_HANGING,
    E_LONE,
    E_MODAL,
    E_REFS_STMT,
    E_TERMS_STMT,
    E_TITLES,
    W_FOREWORD_FIXED,
    Problem,
)
from ..yamlsource import Source

MAX_CLAUSE_DEPTH = 5
REFS_LEAD_IN = (
    "下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。其中，注日期的引用文件，"
    "仅该日期对应的版本适用于本文件；不注日期的引用文件，其最新版本（包括所有的修改单）适用于本文件。"
)
NO_REFS = "本文件没有规范性引用文件。"
NO_TERMS = "本文件没有需要界定的术语和定义。"
TERMS_LEAD_INS = (
    re.compile(r"^下列术语和定义适用于本文件。$"),
    re.compile(r"^\S+界定的术语和定义适用于本文件。$"),
    re.compile(r"^\S+界定的以及下列术语和定义适用于本文件。$"),
)
_CODE = re.compile(r"^(?P<head>.+?)\s*(?P<dash>[—\-–－‐_―]{1,2})\s*(?P<year>\d{4})$")
# Words that contain 应/可/宜/需 without being modal verbs, blanked out before the search.
_NOT_MODAL = re.compile(r"适应|相应|反应|应对|应用|回应|供应|响应|效应|对应|应急|理应|认可|许可|可靠|可行|可及|可持续|适宜|便宜|事宜|需要者|需求")
_MODAL = re.compile(r"必须|不得|应当|应该|不应|不宜|不必|可以|需要|应|宜|可")


# Sentences the site and the PDF print in every 前言 themselves (GB/T 1.1—2020 foreword order).
FIXED_FOREWORD = ("按照GB/T 1.1—2020", "可能涉及专利", "本文件为首次发布", "本文件首次发布")


def check(doc: Standard, src: Source) -> Iterator[Problem]:
    yield from _cover(doc, src)
    for phrase in FIXED_FOREWORD:
        if phrase in doc.foreword.text:
            yield src.problem(doc.foreword._path + ("text",), W_FOREWORD_FIXED,
                              f"前言说明中不必写“{phrase}”这类固定表述，网站和 PDF 会自动加上")
    yield from _statements(doc, src)
    for term in doc.terms.entries:
        text = _NOT_MODAL.sub("__", term.definition)
        found = _MODAL.search(text)
        if found:
            yield src.problem(term._path + ("definition",), E_MODAL,
                              f"术语“{term.term}”的定义中出现能愿动词“{found.group()}”，定义应为陈述")
    for chapter in doc.chapters:
        yield from _tree(src, chapter, depth=0)
    for annex in doc.annexes:
        yield from _tree(src, annex, depth=0)
    yield from _annex_references(doc, src)
    nodes = [n for part in [*doc.chapters, *doc.annexes] for n in tree(part)]
    for node in nodes:
        if isinstance(node, Clause):
            yield from _list(src, node)
        yield from _figures(src, node)
        yield from _tables(src, node)
    for owner in [*nodes, *doc.terms.entries, *(x for n in nodes for x in [*n.tables, *n.figures])]:
        yield from _informative(src, owner)
    yield from _uncited(doc, src, nodes)


def item_text(item: str | ListItem) -> str:
    return item.text if isinstance(item, ListItem) else item


def texts_of(doc: Standard) -> list[str]:
    """Every piece of editor text in the body and annexes of ``doc`` (where citations live)."""
    texts = [doc.scope, doc.introduction]
    for part in [*doc.chapters, *doc.annexes]:
        for node in tree(part):
            texts += [node.text]
            if isinstance(node, Clause):
                texts += [*node.notes, *node.examples]
                for item in node.items:
                    texts += [item_text(item), *(item.items if isinstance(item, ListItem) else [])]
            for table in node.tables:
                texts += [cell for row in table.rows for cell in row] + table.notes
            for figure in node.figures:
                texts += figure.notes
    for term in doc.terms.entries:
        texts += [term.definition, *term.notes, *term.examples]
    return texts


# A marker typed by hand at the start of a list item; the outputs number items themselves.
_TYPED_MARK = re.compile(r"^\s*(——|—|-\s|•|●|·|▪|[a-zA-Z][)）.．]|\d+[)）.．、]|[（(]\d+[)）]|[①-⑳])")


def _list(src: Source, clause: Clause) -> Iterator[Problem]:
    """GB/T 1.1—2020 7.5: a list has a lead-in; after a colon, items end in ；and the last in 。"""
    if not clause.items:
        return
    if not clause.text.strip():
        yield src.problem(clause._path + ("items",), E_LIST_LEAD,
                          f"条“{clause.title or clause.id}”的列项前没有引导语，请在 text 中写引出列项的句子")
        return
    marked = []
    for n, item in enumerate(clause.items):
        if isinstance(item, ListItem):
            marked.append((item._path + ("text",), item.text))
            marked += [(item._path + ("items", m), sub) for m, sub in enumerate(item.items)]
        else:
            marked.append((clause._path + ("items", n), item))
    for where, text in marked:
        if _TYPED_MARK.match(text):
            yield src.problem(where, W_LIST_MARK,
                              f"列项“{text[:12]}”前手写了标号，请删去：标号（——、a)、1)）由网站和 PDF 自动加上")
    lead = clause.text.rstrip()
    if not lead.endswith(("：", ":")):
        return
    texts = [item_text(i) for i in clause.items]
    for n, text in enumerate(texts):
        item = clause.items[n]
        if isinstance(item, ListItem) and item.items:
            continue  # an item that leads into its own list ends with its lead-in's punctuation
        last = n == len(texts) - 1
        want = "。" if last else "；"
        end = text.rstrip()[-1:]
        if end != want and not (not last and end == "。" and text.count("。") > 1):
            path = clause._path + ("items", n) + (("text",) if isinstance(item, ListItem) else ())
            yield src.problem(path, W_LIST_PUNCT,
                              f"引导语以冒号结尾，{'最后一项' if last else '这一项'}宜以“{want}”结尾")


def _figures(src: Source, node: Clause | Annex) -> Iterator[Problem]:
    for figure in node.figures:
        if (figure.flow is None) == (not figure.file):
            yield src.problem(figure._path, E_FIGURE_SOURCE,
                              f"图“{figure.title}”应写 flow（流程图）或 file（图文件）中的一个")
        if figure.file:
            problem = figures.file_problem(figure, src.path)
            if problem:
                yield src.problem(figure._path + ("file",), E_FIGURE_FILE, problem)
        if figure.flow is not None:
            ids: set[str] = set()
            for k, n in enumerate(figure.flow.nodes):
                if n.id in ids:
                    yield src.problem(n._path + ("id",), E_FLOW_EDGE, f"流程图节点 ID“{n.id}”重复")
                ids.add(n.id)
            for k, edge in enumerate(figure.flow.edges):
                for end, name in ((edge.source, "from"), (edge.target, "to")):
                    if end not in ids:
                        yield src.problem(edge._path + (name,), E_FLOW_EDGE,
                                          f"连线的 {name}“{end}”不是本图的节点，可用：{'、'.join(sorted(ids))}")


def _tables(src: Source, node: Clause | Annex) -> Iterator[Problem]:
    for table in node.tables:
        width = len(table.header[-1])
        for part, rows in (("header", table.header), ("rows", table.rows)):
            for r, row in enumerate(rows):
                if part == "header" and len(row) <= width:
                    continue  # an upper header row may span columns
                if len(row) != width:
                    yield src.problem(table._path + (part, r), E_TABLE_CELLS,
                                      f"表“{table.title}”第 {r + 1} 行有 {len(row)} 格，表头有 {width} 栏")


_REQUIREMENT = re.compile(r"必须|不得|不应|应当|应该|应")


def _informative(src: Source, owner) -> Iterator[Problem]:
    for field in ("notes", "examples"):
        for n, text in enumerate(getattr(owner, field, ())):
            found = _REQUIREMENT.search(_NOT_MODAL.sub("__", text))
            if found:
                label = "注" if field == "notes" else "示例"
                yield src.problem(owner._path + (field, n), W_NOTE_REQUIREMENT,
                                  f"{label}中出现“{found.group()}”：{label}只作说明，要求应写在条文中")


def _uncited(doc: Standard, src: Source, nodes: list) -> Iterator[Problem]:
    cited = {ref.split("#")[-1] for text in texts_of(doc) for ref in INLINE_REF.findall(text)}
    for node in nodes:
        for kind, items in (("表", node.tables), ("图", node.figures)):
            for item in items:
                if item.id not in cited:
                    yield src.problem(item._path, W_UNCITED,
                                      f"{item.number}“{item.title}”没有在条文中提及，宜在相关条文中写“见[[{item.id}]]”")


def _cover(doc: Standard, src: Source) -> Iterator[Problem]:
    cover = doc.cover
    match = _CODE.match(cover.code.strip())
    if not match or match["dash"] != "—":
        fixed = f"{match['head']}—{match['year']}" if match else "示例/T 001—2026"
        yield src.problem(cover._path + ("code",), E_CODE_DASH,
                          f"文件编号“{cover.code}”的年份前应使用一字线“—”，如“{fixed}”")
    if cover.issued and cover.effective and cover.effective < cover.issued:
        yield src.problem(cover._path + ("effective",), E_DATES,
                          f"实施日期 {cover.effective} 早于发布日期 {cover.issued}")


def _statements(doc: Standard, src: Source) -> Iterator[Problem]:
    refs = doc.normative_references
    if not refs.documents and refs.statement != NO_REFS:
        yield src.problem(refs._path + ("statement",), E_REFS_STMT,
                          f"没有引用文件时，应写明“{NO_REFS}”")
    elif refs.documents and refs.statement not in ("", REFS_LEAD_IN):
        yield src.problem(refs._path + ("statement",), E_REFS_STMT,
                          "有引用文件时，引导语应省略（自动使用 GB/T 1.1—2020 规定的引导语）")
    terms = doc.terms
    if not terms.entries and terms.statement != NO_TERMS:
        yield src.problem(terms._path + ("statement",), E_TERMS_STMT, f"没有术语时，应写明“{NO_TERMS}”")
    elif terms.entries and not any(p.match(terms.statement) for p in TERMS_LEAD_INS):
        yield src.problem(terms._path + ("statement",), E_TERMS_STMT,
                          f"引导语“{terms.statement}”不符合规定，应为“下列术语和定义适用于本文件。”等规定表述")


def _tree(src: Source, node: Clause | Annex, depth: int) -> Iterator[Problem]:
    children = node.clauses
    if children and (node.text.strip() or getattr(node, "items", None)):
        yield src.problem(node._path + ("text",), E_HANGING,
                          f"“{node.title or node.id}”的标题与其下的条之间有段落（悬置段），应将该段落改为一个条")
    if len(children) == 1:
        yield src.problem(children[0]._path, E_LONE,
                          f"条“{children[0].id}”是这一层唯一的条，应至少有两个条或不再分条")
    titled = [bool(c.title.strip()) for c in children]
    if any(titled) and not all(titled):
        odd = children[titled.index(False)] if titled.count(True) >= titled.count(False) else children[titled.index(True)]
        yield src.problem(odd._path, E_TITLES, "同级条应全部有标题或全部无标题")
    for child in children:
        if depth + 1 > MAX_CLAUSE_DEPTH:
            yield src.problem(child._path, E_DEPTH,
                              f"条“{child.id}”在第 {depth + 1} 层，超过了最多 {MAX_CLAUSE_DEPTH} 层的限制")
            continue
        yield from _tree(src, child, depth + 1)


def _annex_references(doc: Standard, src: Source) -> Iterator[Problem]:
    cited: set[str] = set()
    texts = [doc.scope]
    for chapter in doc.chapters:
        for clause in tree(chapter):
            texts += [clause.text, *clause.notes, *clause.examples, *map(item_text, clause.items)]
    for text in texts:
        cited.update(ref.split("#")[-1] for ref in INLINE_REF.findall(text))
    for annex in doc.annexes:
        if annex.nature != "规范性":
            continue
        ids = {annex.id, *(f.id for f in annex.forms), *(c.id for c in annex.clauses)}
        if not ids & cited:
            yield src.problem(annex._path, E_ANNEX_UNREF,
                              f"规范性附录“{annex.title}”没有在正文中引用，请在相关条文中写 [[{annex.id}]]")
