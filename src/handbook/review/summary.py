"""The 意见汇总处理表: every comment on a draft, ordered by clause, with who made it and how it was
handled, the counts per decision, and warnings where the next edition changed or removed the
clause a comment is about (from the clause-level diff, ``handbook.diff``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..diff import CHANGE_NAMES, Change, diff_libraries
from ..library import Library
from ..problems import W_COMMENT_CHANGED, Problem
from .clauses import Provision
from .comments import DECISIONS, UNDECIDED, Checked, Comment, Submission, decision_of


@dataclass(frozen=True)
class Row:
    number: int  # 序号
    provision: Provision
    comment: Comment
    submission: Submission
    decision: str
    change: Change | None = None  # what the next edition did to the clause

    @property
    def source(self) -> str:
        """提出单位（提出人）."""
        s = self.submission
        return f"{s.unit}（{s.reviewer}）" if s.reviewer else s.unit

    @property
    def change_note(self) -> str:
        c = self.change
        if c is None:
            return ""
        if c.change == "removed":
            return "下一稿已删除该条"
        if c.change in ("moved", "renumbered") and c.new_number != c.old_number:
            return f"下一稿中该条{CHANGE_NAMES[c.change]}为 {c.new_number}"
        return f"下一稿中该条已{CHANGE_NAMES[c.change]}"


@dataclass
class Summary:
    title: str  # the standard's
    code: str
    round: str
    sample: bool
    rows: list[Row]
    units: int  # how many units replied
    sent: int | None
    revision: str  # the draft commented on ("" = the current file)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {d: sum(r.decision == d for r in self.rows) for d in (*DECISIONS, UNDECIDED)}

    def count_line(self) -> str:
        parts = "，".join(f"{d} {n} 条" for d, n in self.counts.items() if n or d != UNDECIDED)
        return f"共收到 {self.units} 个单位的意见 {len(self.rows)} 条：{parts}。"

    def notes(self) -> list[str]:
        """The closing 说明 of the table, as such tables end."""
        lines = []
        if self.sent is not None:
            lines.append(f"发送《{self.round}》的单位数：{self.sent} 个。")
            lines.append(f"收到《{self.round}》后，回函并有建议或意见的单位数：{self.units} 个。")
            lines.append(f"没有回函的单位数：{max(self.sent - self.units, 0)} 个。")
        lines.append(self.count_line())
        return lines


def summarise(checked: Checked, next_lib: Library | None = None) -> Summary:
    """The table's rows in document order (then in the order received); with ``next_lib`` (the next
    edition, when the comments name an earlier ``revision``), a warning on each row whose clause it
    changed, moved or removed."""
    found, doc = checked.found, checked.doc
    changes: dict[str, Change] = {}
    if next_lib is not None and checked.lib is not None and next_lib is not checked.lib:
        old = Library(documents=[doc], entries={k: e for k, e in checked.lib.entries.items() if e.doc is doc})
        new_doc = next_lib.document(doc.id)
        new = Library(documents=[new_doc] if new_doc else [],
                      entries={k: e for k, e in next_lib.entries.items() if e.doc is new_doc})
        for change in diff_libraries(old, new):
            if change.kind != "document" and change.change != "added":
                changes.setdefault(change.id, change)
    entries = []
    for (s, c), provision in checked.named.items():
        submission = found.data.submissions[s]
        entries.append((provision.order, s, c, provision, submission.comments[c], submission))
    entries.sort(key=lambda e: e[:3])
    rows, warnings = [], []
    for n, (_, s, c, provision, comment, submission) in enumerate(entries, 1):
        change = changes.get(provision.id) if provision.id else None
        row = Row(n, provision, comment, submission, decision_of(comment), change)
        rows.append(row)
        if change is not None:
            warnings.append(found.problem((s, c, "clause"), W_COMMENT_CHANGED,
                                          f"意见 {n}（{provision.label}，{row.source}）所指的条款：{row.change_note}，"
                                          "请复核处理意见是否仍然适用"))
    data = found.data
    units = len({sub.unit for sub in data.submissions})
    return Summary(doc.title, doc.cover.code, data.round, data.sample or doc.sample, rows, units, data.sent,
                   data.revision, warnings)


def summary_for(root: Path, lib: Library, standard_id: str) -> tuple[Summary | None, list[Problem]]:
    """Read ``comments/<standard_id>.yaml`` (or .xlsx), check it, and summarise it against the
    library as it is now (the next edition, when the comments name a ``revision``)."""
    from ..loader import display_name
    from .comments import COMMENTS_DIR, check_file

    folder = root / COMMENTS_DIR
    path = next((p for p in (folder / f"{standard_id}.yaml", folder / f"{standard_id}.yml", folder / f"{standard_id}.xlsx")
                 if p.is_file()), None)
    if path is None:
        return None, []
    checked = check_file(path, display_name(path, root), lib, root)
    if checked.found.problems or checked.doc is None:
        return None, checked.found.problems
    return summarise(checked, lib), []
