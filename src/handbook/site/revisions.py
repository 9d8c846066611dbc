"""修订说明 pages: what changed in each document since the base revision (by default the last git tag).

- ``find_base(root, against)`` asks git which commit to compare with, or says why there is none;
- ``compare(root, base, lib, keep)`` diffs that commit's library with the loaded one; the old
  library is loaded once per process and commit, so ``serve`` rebuilds only re-run the pure
  comparison, and ``serve --only`` compares only the documents its pages show;
- ``render_revisions(doc, lib, links, since)`` is pure: the page's Markdown.

The comparison itself and the change table are ``handbook.diff``'s (also behind ``build.py diff``).
"""

from __future__ import annotations

import html
import json
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..diff import CHANGE_NAMES, Change, affected_sessions, diff_libraries, load_revision, revision_markdown
from ..library import Library
from ..models import Curriculum, Document
from .links import Links, page_of, revisions_of
from .md import bullets, esc, heading, join

HOW_TO_TAG = (
    "发布一版时，在项目文件夹中给它打一个 git 标签，例如：\n\n"
    "```sh\ngit tag -a v1 -m \"第1版\"\n```\n\n"
    "此后生成网站时，本页会列出与最近一个标签相比的全部变化，"
    "讲授了变化条款的培训课次也会标出。要与别的版本比较，可在 mkdocs.yml 中设置 `revisions_against`。"
)
HOW_TO_START_GIT = (
    "要记录版本，先在项目文件夹中建立 git 仓库并提交一次：\n\n"
    "```sh\ngit init\ngit add standards curricula\ngit commit -m \"第1版\"\ngit tag -a v1 -m \"第1版\"\n```\n\n"
    "此后生成网站时，本页会列出与最近一个标签相比的全部变化。"
)


@dataclass(frozen=True)
class Since:
    """What the 修订说明 pages compare with: ``rev`` and the changes, or ``rev`` empty and ``reason`` why not."""

    rev: str = ""
    changes: list[Change] = field(default_factory=list)
    reason: str = ""  # "no-git", "no-tag" or "unknown" (an explicit revision git does not know)

    @property
    def recorded(self) -> bool:
        return bool(self.rev)


@dataclass(frozen=True)
class Base:
    rev: str = ""  # as the editor named it (a tag, a commit, HEAD~3 ...)
    sha: str = ""  # the commit it names
    reason: str = ""


def _git(root: Path, *args: str) -> str | None:
    try:
        run = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    except OSError:  # no git installed
        return None
    return run.stdout.strip() if run.returncode == 0 else None


def find_base(root: Path, against: str = "") -> Base:
    """The commit to compare with: ``against`` if given, else the last tag reachable from HEAD."""
    if _git(root, "rev-parse", "--show-toplevel") is None:
        return Base(reason="no-git")
    rev = against or _git(root, "describe", "--tags", "--abbrev=0")
    if not rev:
        return Base(reason="no-tag")
    sha = _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    return Base(rev, sha) if sha else Base(rev, reason="unknown")


_OLD: dict[tuple[str, str], Library] = {}


def old_library(root: Path, sha: str) -> Library:
    """The library as committed at ``sha``; kept for the process (only the latest one), so serve's
    rebuilds do not read git again."""
    key = (str(root.resolve()), sha)
    if key not in _OLD:
        with tempfile.TemporaryDirectory(prefix="handbook-revisions-") as tmp:
            lib = load_revision(root, sha, Path(tmp))
        _OLD.clear()
        _OLD[key] = lib
    return _OLD[key]


def needed(lib: Library, only: set[str] | None) -> set[str] | None:
    """Documents whose changes the pages of ``only`` show: those, and the documents their sessions teach."""
    if only is None:
        return None
    keep = set(only)
    for doc in lib.documents:
        if doc.id in only and isinstance(doc, Curriculum):
            keep |= {ref.key.split("#")[0] for entry in lib.entries_of(doc, "session")
                     for ref in lib.graph.written_in(entry, "covers")}
    return keep


def compare(root: Path, base: Base, lib: Library, keep: set[str] | None = None) -> Since:
    """Changes from ``base`` to ``lib``, limited to the documents in ``keep`` (``serve --only``)."""
    if base.reason:
        return Since(reason=base.reason)
    old = old_library(root, base.sha)
    return Since(base.rev, diff_libraries(old.subset(keep), lib.subset(keep)))


# ------------------------------------------------------------------ the pages (pure)

def summary(doc: Document, since: Since) -> str:
    """The link text on the document's page, e.g. "与 v1 相比有 3 处变化"."""
    if not since.recorded:
        return "尚无更早版本的记录"
    n = sum(c.doc == doc.id for c in since.changes)
    return f"与 {since.rev} 相比有 {n} 处变化" if n else f"与 {since.rev} 相比没有变化"


UNRECORDED_PAGE = "revisions/index.md"


def revisions_page(doc: Document, since: Since) -> str:
    """Where the document's 修订说明 link points: its own page, or the one page saying none is recorded."""
    return revisions_of(doc) if since.recorded else UNRECORDED_PAGE


def render_unrecorded(since: Since, against: str = "") -> str:
    """The single 修订说明 page of a library with no earlier edition to compare with."""
    title = "---\nsearch:\n  exclude: true\n---\n\n# 修订说明\n"
    if since.reason == "no-git":
        return join(title, "本项目文件夹不在 git 仓库中，没有记录更早的版本，因此无法列出修订内容。", HOW_TO_START_GIT)
    if since.reason == "unknown":
        why = f"mkdocs.yml 中 `revisions_against` 指定的版本“{esc(against)}”在 git 中找不到，无法列出修订内容。"
        return join(title, why, HOW_TO_TAG)
    return join(title, "还没有用 git 标签记录过更早的版本，因此无法列出修订内容。", HOW_TO_TAG)


def render_revisions(doc: Document, lib: Library, links: Links, since: Since, against: str = "") -> str:
    """The 修订说明 page of ``doc``. ``against`` is the configured base revision ("" = the last tag)."""
    page = revisions_of(doc)
    back = f"[{esc(doc.title)}]({links.to(page_of(doc), page)})"
    # The navigation calls every such page 修订说明; the browser tab names the document too.
    # Left out of search: it repeats the document's clause titles.
    title = join(f"---\ntitle: {json.dumps(html.escape(doc.title + '：修订说明'), ensure_ascii=False)}\n"
                 "search:\n  exclude: true\n---\n", f"# {esc(doc.title)}：修订说明\n")
    base = f"上一版（git 标签 {since.rev}）" if not against else f"版本“{since.rev}”"
    lead = f"比较的是{back}的现行文本与{esc(base)}，尚未提交的修改也计算在内。"
    body = revision_markdown(doc.id, since.changes, lib, link_for=links.link_for(page), against=base)
    return join(title, lead, body, _taught_elsewhere(doc, lib, links, since) if isinstance(doc, Curriculum) else "")


def _taught_elsewhere(doc: Curriculum, lib: Library, links: Links, since: Since) -> str:
    """A curriculum's sessions that teach clauses changed in other documents (the standards they teach)."""
    page = revisions_of(doc)
    link_for = links.link_for(page)

    def name(key: str, label: str) -> str:
        entry = lib.entries.get(key)
        target = link_for(entry) if entry else None
        return f"[{esc(label)}]({target})" if target else esc(label)

    items = []
    for s in affected_sessions(since.changes, lib):
        outside = [c for c in s.changes if c.doc != doc.id]
        if s.curriculum != doc.id or not outside:
            continue
        taught = []
        for c in outside:
            other = lib.document(c.doc)
            label = f"《{other.title if other else c.doc}》{' '.join(p for p in (c.number, c.title) if p)}"
            ref = name(c.key, label) if c.change != "removed" else esc(label)
            taught.append(f"{ref}（{CHANGE_NAMES[c.change]}）")
        items.append(f"{name(f'{doc.id}#{s.session}', f'{s.number} {s.title}')}：讲授的 {'；'.join(taught)}")
    if not items:
        return ""
    return join(heading(2, "所讲授条款在其他文件中有变化的课次"), bullets(items))
