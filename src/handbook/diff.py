"""``build.py diff``: what changed between two editions of the library, item by stable ID.

Items are every addressable entry below a document (chapters, clauses, annexes, terms,
forms, procedures, methods, cases, phases, modules, sessions). Between the old and the new
library an item can be

* ``added`` / ``removed`` — its ID exists on one side only;
* ``moved`` — its parent changed, or its order among the siblings it had before changed;
* ``renumbered`` — not moved, but its display number changed (something was inserted or
  removed before it, or an ancestor moved);
* ``reworded`` — its own text changed (title, text, items, definition, hours...; changes
  inside its child items are reported on the children).

An item can be both moved (or renumbered) and reworded. Whole documents are added or removed,
or reworded when their own text outside any item changed (cover, scope, meta...; the edition
history is left out, a new edition always adds to it). ``diff_libraries`` is pure; the git
side (``load_revision``) only writes the old revision's files to a folder and loads them with
the same ``check_library`` as ``check``.
"""

from __future__ import annotations

import difflib
import fnmatch
import html
import re
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .library import Entry, Library
from .loader import CONTENT_DIRS
from .models import Curriculum, Document, Node
from .rules import check_library

CHANGE_TYPES = ("added", "removed", "moved", "renumbered", "reworded")
CHANGE_NAMES = {"added": "新增", "removed": "删除", "moved": "移动", "renumbered": "编号变化", "reworded": "文字修改"}
KIND_NAMES = {
    "document": "文件", "chapter": "章", "clause": "条", "annex": "附录", "term": "术语", "form": "表单",
    "procedure": "程序", "method": "方法", "case": "案例", "phase": "阶段", "module": "模块", "session": "课次",
}
FIELD_NAMES = {
    "title": "标题", "text": "文字", "items": "列项", "note": "注", "notes": "注", "term": "术语",
    "en": "英文对应词", "definition": "定义", "source": "来源", "nature": "附录性质", "purpose": "用途",
    "fields": "栏目", "implements": "落实条款", "steps": "步骤", "discussion": "讨论", "hours": "学时",
    "format": "形式", "methods": "教学方法", "trainer_role": "授课人员", "objectives": "学习目标",
    "outline": "内容提纲", "materials": "教材", "assessment": "考核方式", "trainer_notes": "培训者备注",
    "covers": "讲授条款", "worksheets": "练习单", "period": "时间安排", "goals": "目标", "type": "类型",
    "sample": "示例标记", "cover": "封面", "foreword": "前言", "introduction": "引言", "scope": "范围",
    "normative_references": "规范性引用文件", "terms": "术语和定义的引导语", "bibliography": "参考文献",
    "meta": "基本信息", "supervision": "督导模式",
}
# Lists of child items: a change inside them is reported on the child, not on the parent.
CHILD_FIELDS = {"clauses", "forms", "procedures", "methods", "cases", "modules", "sessions"}
# A document's own text is everything but its items; its edition history is not a change to report.
DOCUMENT_SKIP = CHILD_FIELDS | {"chapters", "annexes", "phases", "history"}
# Changes a trainer must look at; pure renumbering shows up in generated materials by itself.
TEACHING_CHANGES = {"added", "removed", "moved", "reworded"}


_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.\-/—][A-Za-z0-9]+)*|\s+|.", re.DOTALL)


def tokens(text: str) -> list[str]:
    """Words for comparing wording: each Chinese character or punctuation mark, each Latin word or number."""
    return _TOKEN.findall(text)


@dataclass(frozen=True)
class Rewording:
    """Old and new wording of one field, with the word-level difference between them."""

    field: str
    old: str
    new: str

    @property
    def segments(self) -> list[tuple[str, str]]:
        """("same" | "del" | "ins", text) runs that turn ``old`` into ``new``."""
        a, b = tokens(self.old), tokens(self.new)
        out: list[tuple[str, str]] = []
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if op == "equal":
                out.append(("same", "".join(a[i1:i2])))
                continue
            if i2 > i1:
                out.append(("del", "".join(a[i1:i2])))
            if j2 > j1:
                out.append(("ins", "".join(b[j1:j2])))
        return out

    def inline(self, context: int = 12) -> str:
        """For the terminal: "原来[-应当-]{+须+}……", long unchanged runs shortened to their ends."""
        parts = []
        for op, text in self.segments:
            if op == "del":
                parts.append(f"[-{text}-]")
            elif op == "ins":
                parts.append(f"{{+{text}+}}")
            else:
                parts.append(text if len(text) <= 2 * context + 1 else f"{text[:context]}…{text[-context:]}")
        return "".join(parts).replace("\n", "⏎")


def as_text(value: object) -> str:
    """A field's value as the text an editor wrote: lists one item a line, mappings as 名：值."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "\n".join(as_text(v) for v in value)
    if isinstance(value, dict):
        return "\n".join(f"{FIELD_NAMES.get(k, k)}：{as_text(v)}" for k, v in value.items() if v not in ("", [], None))
    return str(value)


def rewordings(fields: list[str], old: dict, new: dict) -> tuple[Rewording, ...]:
    return tuple(Rewording(f, as_text(old.get(f)), as_text(new.get(f))) for f in fields)


@dataclass(frozen=True)
class Change:
    doc: str
    change: str  # one of CHANGE_TYPES
    kind: str  # entry kind: clause, term, session, form... or "document"
    id: str
    title: str
    old_number: str = ""
    new_number: str = ""
    old_parent: str = ""  # parent item ID, "" at the top of the document
    new_parent: str = ""
    fields: tuple[str, ...] = ()  # reworded: the fields whose text changed
    within: tuple[str, ...] = field(default=(), compare=False)  # ancestor IDs, old and new
    old_place: str = field(default="", compare=False)  # parent as readers see it, e.g. "4 服务原则"
    new_place: str = field(default="", compare=False)
    wording: tuple[Rewording, ...] = field(default=(), compare=False)  # reworded: old and new text

    @property
    def key(self) -> str:
        return self.doc if self.kind == "document" else f"{self.doc}#{self.id}"

    @property
    def number(self) -> str:
        return self.new_number or self.old_number

    def describe(self) -> str:
        """One line in Chinese, e.g. "移动 条 6.1 → 7.3 外展（outreach）：从 6 移到 7"."""
        numbers = self.number
        if self.old_number and self.new_number and self.old_number != self.new_number:
            numbers = f"{self.old_number} → {self.new_number}"
        what = " ".join(p for p in (KIND_NAMES.get(self.kind, self.kind), numbers, self.title) if p)
        line = f"{CHANGE_NAMES[self.change]} {what}（{self.id}）"
        note = self.note()
        return f"{line}：{note}" if note else line

    def note(self) -> str:
        if self.change == "moved" and self.old_parent != self.new_parent:
            return f"从“{self.old_place or '文件顶层'}”移到“{self.new_place or '文件顶层'}”"
        if self.change == "moved":
            return "同级次序改变"
        if self.change == "reworded":
            return "修改了" + "、".join(FIELD_NAMES.get(f, f) for f in self.fields)
        return ""


@dataclass(frozen=True)
class AffectedSession:
    curriculum: str
    session: str
    number: str
    title: str
    changes: tuple[Change, ...]

    def describe(self) -> str:
        taught = "；".join(f"{c.number or c.id} {CHANGE_NAMES[c.change]}" for c in self.changes)
        return f"{self.curriculum} {self.number} {self.title}（{self.session}）：讲授的条款 {taught}"


# ------------------------------------------------------------------ the pure comparison

@dataclass
class _Item:
    entry: Entry
    parent: str
    place: str
    container: str
    ancestors: tuple[str, ...]
    content: dict


def _items(lib: Library, doc: Document) -> dict[str, _Item]:
    entries = [e for e in lib.entries_of(doc) if e.item is not doc]
    by_path = {e.item._path: e for e in entries}
    items: dict[str, _Item] = {}
    for entry in entries:
        path = entry.item._path
        cut = next((k for k in range(len(path) - 1, 0, -1) if path[:k] in by_path), 0)
        parent = by_path[path[:cut]].id if cut else ""
        place = by_path[path[:cut]].label if cut else ""
        container = ".".join(p for p in path[cut:] if isinstance(p, str))
        ancestors = (*items[parent].ancestors, parent) if parent else ()
        items[entry.id] = _Item(entry, parent, place, container, ancestors, _content(entry.item))
    return items


def _content(node: Node) -> dict:
    names = [n for n in type(node).model_fields if n != "id" and n not in CHILD_FIELDS]
    return node.model_dump(mode="json", include=set(names))


def _document_text(doc: Document) -> dict:
    data = doc.model_dump(mode="json", exclude=DOCUMENT_SKIP | {"id", "kind"})
    if "terms" in data:
        data["terms"] = data["terms"]["statement"]
    return data


def _unmoved(old: list[str], new: list[str]) -> set[str]:
    """IDs in a longest common subsequence of two orders: everything else counts as moved."""
    lengths = [[0] * (len(new) + 1) for _ in range(len(old) + 1)]
    for i in range(len(old) - 1, -1, -1):
        for j in range(len(new) - 1, -1, -1):
            lengths[i][j] = lengths[i + 1][j + 1] + 1 if old[i] == new[j] else max(lengths[i + 1][j], lengths[i][j + 1])
    keep, i, j = set(), 0, 0
    while i < len(old) and j < len(new):
        if old[i] == new[j]:
            keep.add(old[i])
            i, j = i + 1, j + 1
        elif lengths[i + 1][j] >= lengths[i][j + 1]:
            i += 1
        else:
            j += 1
    return keep


def _moved(old: dict[str, _Item], new: dict[str, _Item]) -> set[str]:
    common = [i for i in new if i in old]
    moved = {i for i in common if (old[i].parent, old[i].container) != (new[i].parent, new[i].container)}
    stayed = [i for i in common if i not in moved]
    groups: dict[tuple[str, str], list[str]] = {}
    for i in stayed:
        groups.setdefault((new[i].parent, new[i].container), []).append(i)
    position = {item_id: i for i, item_id in enumerate(old)}
    for ids in groups.values():
        old_order = sorted(ids, key=position.__getitem__)
        moved |= set(ids) - _unmoved(old_order, ids)
    return moved


def _change(doc: str, change: str, old: _Item | None, new: _Item | None, fields=()) -> Change:
    item = new or old
    return Change(
        doc=doc, change=change, kind=item.entry.kind, id=item.entry.id, title=item.entry.title,
        old_number=old.entry.number if old else "", new_number=new.entry.number if new else "",
        old_parent=old.parent if old else "", new_parent=new.parent if new else "", fields=tuple(fields),
        old_place=old.place if old else "", new_place=new.place if new else "",
        within=tuple(dict.fromkeys((*(old.ancestors if old else ()), *(new.ancestors if new else ())))),
        wording=rewordings(list(fields), old.content, new.content) if fields and old and new else (),
    )


def diff_document(doc_id: str, old: dict[str, _Item], new: dict[str, _Item]) -> list[Change]:
    moved = _moved(old, new)
    found: dict[str, list[Change]] = {t: [] for t in CHANGE_TYPES}
    found["removed"] = [_change(doc_id, "removed", old[i], None) for i in old if i not in new]
    for i, item in new.items():
        before = old.get(i)
        if before is None:
            found["added"].append(_change(doc_id, "added", None, item))
            continue
        if i in moved:
            found["moved"].append(_change(doc_id, "moved", before, item))
        elif before.entry.number != item.entry.number:
            found["renumbered"].append(_change(doc_id, "renumbered", before, item))
        fields = [f for f in item.content if item.content[f] != before.content.get(f)]
        if fields:
            found["reworded"].append(_change(doc_id, "reworded", before, item, fields))
    return [c for t in CHANGE_TYPES for c in found[t]]


def diff_libraries(old_lib: Library, new_lib: Library) -> list[Change]:
    """Every change from ``old_lib`` to ``new_lib``, document by document (new order, then removed)."""
    changes: list[Change] = []
    for doc in new_lib.documents:
        before = old_lib.document(doc.id)
        if before is None:
            changes.append(Change(doc.id, "added", "document", doc.id, doc.title))
            continue
        was, now = _document_text(before), _document_text(doc)
        fields = [f for f, value in now.items() if value != was.get(f)]
        if fields:
            changes.append(Change(doc.id, "reworded", "document", doc.id, doc.title, fields=tuple(fields),
                                  wording=rewordings(fields, was, now)))
        changes += diff_document(doc.id, _items(old_lib, before), _items(new_lib, doc))
    for doc in old_lib.documents:
        if new_lib.document(doc.id) is None:
            changes.append(Change(doc.id, "removed", "document", doc.id, doc.title))
    return changes


def affected_sessions(changes: list[Change], lib: Library) -> list[AffectedSession]:
    """Curriculum sessions in ``lib`` whose ``covers`` name a changed item or one of its ancestors."""
    touching: dict[str, list[Change]] = {}
    for change in changes:
        if change.change not in TEACHING_CHANGES:
            continue
        if change.kind == "document":
            if change.change == "removed":  # a reworded scope or cover does not change what a session teaches
                touching.setdefault(change.doc + "#", []).append(change)
            continue
        for item_id in (change.id, *change.within):
            touching.setdefault(f"{change.doc}#{item_id}", []).append(change)
    found = []
    for doc in lib.documents:
        if not isinstance(doc, Curriculum):
            continue
        for entry in lib.entries_of(doc, "session"):
            hits: dict[Change, None] = {}
            for ref in lib.graph.written_in(entry, "covers"):
                key = ref.key
                for change in touching.get(key, []) + touching.get(key.split("#")[0] + "#", []):
                    hits[change] = None
            if hits:
                found.append(AffectedSession(doc.id, entry.id, entry.number, entry.title, tuple(hits)))
    return found


# ------------------------------------------------------------------ the 修订说明 page

def _md(text: str) -> str:
    for ch in "\\`*_[]|#<>":
        text = text.replace(ch, "\\" + ch)
    return text


def _marked(w: Rewording) -> str:
    """Old → new wording as inline Markdown with <del>/<ins>: the text escaped for HTML, then for Markdown."""
    out = []
    for op, text in w.segments:
        text = _md(html.escape(text, quote=False)).replace("\n", "<br>")
        out.append(f'<del title="删去">{text}</del>' if op == "del" else f'<ins title="新增">{text}</ins>' if op == "ins"
                   else text)
    return '<span class="wording">' + "".join(out) + "</span>"


def revision_markdown(
    doc_id: str,
    changes: list[Change],
    lib: Library,
    link_for: Callable[[Entry], str | None] | None = None,
    against: str = "上一版",
) -> str:
    """Body of a document's 修订说明 page (the site supplies the page title).

    Lists the document's changes as a table and the sessions of any curriculum in ``lib``
    that teach a changed item. ``link_for(entry)`` gives a link target for items that still
    exist (e.g. ``Links.link_for(page)`` from the site); without it names are plain text.
    """
    mine = [c for c in changes if c.doc == doc_id]

    def name(doc: str, item_id: str, label: str) -> str:
        entry = lib.entries.get(doc if item_id == doc else f"{doc}#{item_id}")
        target = link_for(entry) if (entry and link_for) else None
        return f"[{_md(label)}]({target})" if target else _md(label)

    if not mine:
        return f"与{_md(against)}相比，本文件没有变化。\n"
    counts = "，".join(f"{CHANGE_NAMES[t]} {n} 处" for t in CHANGE_TYPES if (n := sum(c.change == t for c in mine)))
    out = [f"与{_md(against)}相比，本文件共有 {len(mine)} 处变化：{counts}。编号由位置自动生成，链接按稳定 ID 定位。\n"]
    out.append("## 变化一览\n")
    out.append("| 变化 | 条目 | 原编号 | 现编号 | 说明 |")
    out.append("|---|---|---|---|---|")
    for c in mine:
        label = " ".join(p for p in (KIND_NAMES.get(c.kind, c.kind), c.title) if p)
        item = name(c.doc, c.id, label) if c.change != "removed" else _md(label)
        out.append(f"| {CHANGE_NAMES[c.change]} | {item} | {c.old_number or '—'} | {c.new_number or '—'} | {_md(c.note())} |")
    out.append("")
    reworded = [c for c in mine if c.wording]
    if reworded:
        out.append("## 文字修改\n")
        out.append("删去的文字带删除线，新增的文字带下划线。\n")
    for c in reworded:
        label = " ".join(p for p in (KIND_NAMES.get(c.kind, c.kind), c.number, c.title) if p)
        out.append(f"- {name(c.doc, c.id, label)}")
        for w in c.wording:
            out.append(f"    - {FIELD_NAMES.get(w.field, w.field)}：{_marked(w)}")
    if reworded:
        out.append("")
    sessions = [s for s in affected_sessions(changes, lib) if any(c.doc == doc_id for c in s.changes)]
    out.append("## 需要培训者复核的课次\n")
    if not sessions:
        out.append("没有课次讲授发生变化的条款。\n")
    for s in sessions:
        curriculum = lib.document(s.curriculum)
        label = f"{curriculum.title if curriculum else s.curriculum} {s.number} {s.title}"
        taught = "；".join(
            f"{c.number or c.id} {_md(c.title)}（{CHANGE_NAMES[c.change]}）" for c in s.changes if c.doc == doc_id
        )
        out.append(f"- {name(s.curriculum, s.session, label)}：讲授的 {taught}")
    return "\n".join(out).rstrip("\n") + "\n"


# ------------------------------------------------------------------ git and the command

class DiffError(Exception):
    pass


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)


def default_revision(root: Path) -> str:
    """The last tag; without one, HEAD if content files have uncommitted changes, else HEAD~1."""
    tag = _git(root, "describe", "--tags", "--abbrev=0")
    if tag.returncode == 0:
        return tag.stdout.decode().strip()
    status = _git(root, "status", "--porcelain", "--", *CONTENT_DIRS)
    return "HEAD" if status.stdout.strip() else "HEAD~1"


def load_revision(root: Path, rev: str, into: Path) -> Library:
    """Write the content files of ``rev`` under ``into`` (same layout) and check them."""
    if _git(root, "rev-parse", "--show-toplevel").returncode != 0:
        raise DiffError(f"{root} 不在 git 仓库中，无法比较版本")
    if _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode != 0:
        raise DiffError(f"找不到 git 版本“{rev}”（可以写标签、提交号或 HEAD~1 这样的写法）")
    listing = _git(root, "ls-tree", "-r", "-z", "--name-only", rev, "--", *CONTENT_DIRS)
    for name in filter(None, listing.stdout.decode("utf-8").split("\0")):
        if not fnmatch.fnmatch(Path(name).name, "*.y*ml"):
            continue
        blob = _git(root, "show", f"{rev}:./{name}")
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob.stdout)
    return check_library(into)


def compare(root: Path, rev: str) -> tuple[Library, Library, list[Change]]:
    """The library at ``rev``, the working tree's, and the changes between them."""
    with tempfile.TemporaryDirectory(prefix="handbook-diff-") as tmp:
        old_lib = load_revision(root, rev, Path(tmp))
    new_lib = check_library(root)
    return old_lib, new_lib, diff_libraries(old_lib, new_lib)


def changes_since(root: Path, rev: str | None = None) -> tuple[str, list[Change]] | None:
    """For the site's 修订说明 pages: (revision, changes) against ``rev`` or the default
    revision, or None when there is nothing to compare with (no git, a single commit)."""
    rev = rev or default_revision(root)
    try:
        return rev, compare(root, rev)[2]
    except (DiffError, OSError):
        return None


def as_dict(change: Change) -> dict:
    data = asdict(change)
    data["within"] = list(change.within)
    data["fields"] = list(change.fields)
    data["wording"] = [{"field": w.field, "old": w.old, "new": w.new, "segments": [list(x) for x in w.segments]}
                       for w in change.wording]
    return data
