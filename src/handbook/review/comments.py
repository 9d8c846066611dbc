"""Comments on a draft kept as data: ``comments/<standard-id>.yaml``, or an Excel workbook
``comments/<standard-id>.xlsx`` in the layout of the comment form (one sheet per reviewer).

Both are read into the same model; ``check`` reports what is wrong at file:line:col (YAML) or at
the sheet's row and column (Excel, the message names the sheet): a clause that the commented draft
does not have, a handling decision outside the list, 不采纳 or 部分采纳 without the reason.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, ClassVar, Literal

from pydantic import Field, ValidationError

from ..library import Library
from ..models import Hint, Node, Standard
from ..problems import (
    E_COMMENT_CLAUSE,
    E_COMMENT_DECISION,
    E_COMMENT_REASON,
    E_COMMENTS_REVISION,
    E_COMMENTS_STANDARD,
    Problem,
)
from .clauses import Provision, find, provisions

COMMENTS_DIR = "comments"
DECISIONS = ("采纳", "部分采纳", "不采纳")
UNDECIDED = "未处理"
NEEDS_REASON = ("部分采纳", "不采纳")

ClauseName = Annotated[str, Hint("章条编号请加引号，如 \"5.10\"（不加引号时 5.10 会读成数字 5.1）")]


class Comment(Node):
    noun: ClassVar[str] = "意见"
    clause: ClauseName = Field(description="章条编号，如 \"5.2\"、\"3.1\"、\"附录A\"、\"A.1\"（请加引号），或条款 ID；"
                                           "对全文的意见写“全文”，也可写“前言”“引言”“参考文献”")
    comment: str = Field(min_length=1, description="修改意见")
    reason: str = Field("", description="提出意见的理由")
    decision: str = Field("", description="处理意见：采纳、部分采纳、不采纳；尚未处理时不写")
    explanation: str = Field("", description="处理说明：部分采纳、不采纳时写明理由；采纳时可写修改情况")


class Submission(Node):
    noun: ClassVar[str] = "反馈意见"
    unit: str = Field(min_length=1, description="提出单位")
    reviewer: str = Field("", description="提出人（个人意见写“某”字形式，如朱某）")
    date: dt.date | None = Field(None, description="反馈日期 YYYY-MM-DD")
    comments: list[Comment] = Field(min_length=1, description="逐条意见")


class CommentsFile(Node):
    noun: ClassVar[str] = "意见汇总"
    standard: str = Field("", description="标准的文件 ID；不写时取本文件的文件名")
    sample: bool = Field(False, strict=True, description="是否为示例文件")
    round: Literal["工作组讨论稿", "征求意见稿", "送审稿", "报批稿"] = Field("征求意见稿", description="意见针对的稿次")
    revision: str = Field("", description="意见针对的那一稿在 git 中的版本（标签或提交号）；不写时针对当前文件")
    sent: int | None = Field(None, ge=0, strict=True, description="发送征求意见稿的单位数（写入意见汇总处理表的说明）")
    submissions: list[Submission] = Field(min_length=1, description="各单位、各人的反馈意见")


# ------------------------------------------------------------------ one file, either format

@dataclass
class CommentSet:
    """What a comments file holds, with the place of every field for messages."""

    file: str  # as problems name it
    path: Path
    data: CommentsFile | None
    problems: list[Problem] = field(default_factory=list)
    # (submission index, comment index or None, field) -> (line, column, message prefix)
    place: Callable[[tuple], tuple[int, int, str]] = lambda key: (1, 1, "")

    @property
    def standard_id(self) -> str:
        return (self.data.standard if self.data and self.data.standard else self.path.stem)

    def problem(self, key: tuple, code: str, message: str) -> Problem:
        line, column, prefix = self.place(key)
        return Problem(self.file, line, column, code, prefix + message)


def comment_files(root: Path) -> list[Path]:
    folder = root / COMMENTS_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in (".yaml", ".yml", ".xlsx")
                  and not p.name.startswith(("~$", ".")))


def is_comments_file(path: Path) -> bool:
    return path.suffix.lower() == ".xlsx" or path.parent.name == COMMENTS_DIR


def read(path: Path, name: str) -> CommentSet:
    if path.suffix.lower() == ".xlsx":
        from .workbook import read_workbook

        return read_workbook(path, name)
    return _read_yaml(path, name)


def _read_yaml(path: Path, name: str) -> CommentSet:
    from ..loader import schema_problems, walk
    from ..yamlsource import read_source

    src = read_source(path, name)
    found = CommentSet(name, path, None, list(src.problems))

    def place(key: tuple) -> tuple[int, int, str]:
        s, c, name_ = key
        loc = ("submissions", s) + (("comments", c) if c is not None else ()) + ((name_,) if name_ else ())
        if s is None:
            loc = (name_,) if name_ else ()
        return (*src.where(loc), "")

    found.place = place
    if not isinstance(src.data, dict):
        return found
    try:
        found.data = CommentsFile.model_validate(src.data)
    except ValidationError as exc:
        found.problems += schema_problems(src, CommentsFile, exc.errors())
        return found
    for node, node_path in walk(found.data, ()):
        node._path = node_path
    return found


# ------------------------------------------------------------------ the edition commented on

def commented_edition(found: CommentSet, lib: Library, root: Path) -> tuple[Standard | None, Library | None]:
    """The standard as it was when the comments were made: the ``revision``'s file, or the current one."""
    doc = lib.document(found.standard_id)
    revision = found.data.revision.strip() if found.data else ""
    if not revision or doc is None:
        return doc, lib
    source = lib.sources[doc.id]
    old = load_at_revision(root, revision, source.file)
    if old is None:
        return None, None
    return old.document(doc.id), old


def load_at_revision(root: Path, revision: str, file: str) -> Library | None:
    """The one standard file ``file`` as it was at git ``revision``, loaded alone; None when git,
    the revision or the file at it is missing."""
    from ..loader import load

    try:
        shown = subprocess.run(["git", "-C", str(root), "show", f"{revision}:./{file}"], capture_output=True, check=False)
    except OSError:
        return None
    if shown.returncode != 0:
        return None
    with tempfile.TemporaryDirectory(prefix="handbook-comments-") as tmp:
        target = Path(tmp) / file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(shown.stdout)
        old = load([target], Path(tmp))
    return old if old.documents else None


# ------------------------------------------------------------------ checks

@dataclass
class Checked:
    """A comments file read and checked: its comments with the provision each names."""

    found: CommentSet
    doc: Standard | None  # the edition commented on
    lib: Library | None
    provisions: list[Provision] = field(default_factory=list)
    named: dict[tuple[int, int], Provision] = field(default_factory=dict)  # (submission, comment) -> provision


def check_file(path: Path, name: str, lib: Library, root: Path) -> Checked:
    found = read(path, name)
    result = Checked(found, None, None)
    if found.data is None:
        return result
    doc = lib.document(found.standard_id)
    if not isinstance(doc, Standard):
        known = "、".join(d.id for d in lib.documents if isinstance(d, Standard))
        field_name = "standard" if found.data.standard else ""
        found.problems.append(found.problem((None, None, field_name), E_COMMENTS_STANDARD,
                                            f"没有 ID 为“{found.standard_id}”的标准（意见文件名或 standard 应为标准的文件 ID，"
                                            f"现有：{known or '无'}）"))
        return result
    edition, edition_lib = commented_edition(found, lib, root)
    if edition is None:
        found.problems.append(found.problem((None, None, "revision"), E_COMMENTS_REVISION,
                                            f"找不到 git 版本“{found.data.revision}”中的 {lib.sources[doc.id].file}：revision 应为"
                                            "意见所针对的那一稿的标签或提交号（不写则针对当前文件）"))
        return result
    result.doc, result.lib = edition, edition_lib
    result.provisions = provisions(edition, edition_lib)
    where = f"“{found.data.revision}”版本的" if found.data.revision else ""
    for s, submission in enumerate(found.data.submissions):
        for c, comment in enumerate(submission.comments):
            provision = find(comment.clause, result.provisions)
            if provision is None:
                found.problems.append(found.problem((s, c, "clause"), E_COMMENT_CLAUSE,
                                                    f"{where}《{edition.title}》中没有章条“{comment.clause}”：请写印出的章条编号"
                                                    "（如 5.2、3.1、附录A、A.1）、条款 ID，或“全文”“前言”"))
            else:
                result.named[(s, c)] = provision
            decision = comment.decision.strip()
            if decision and decision not in DECISIONS:
                found.problems.append(found.problem((s, c, "decision"), E_COMMENT_DECISION,
                                                    f"处理意见“{decision}”无效，应为{'、'.join(DECISIONS)}之一（尚未处理时留空）"))
            elif decision in NEEDS_REASON and not comment.explanation.strip():
                found.problems.append(found.problem((s, c, "decision"), E_COMMENT_REASON,
                                                    f"处理意见为“{decision}”，请在 explanation（处理说明）中写明理由"))
    return result


def check(root: Path, lib: Library, paths: list[Path] | None = None) -> list[Problem]:
    """The problems of every comments file under ``root/comments`` (or of ``paths``)."""
    from ..loader import display_name

    problems: list[Problem] = []
    for path in paths if paths is not None else comment_files(root):
        problems += check_file(path, display_name(path, root), lib, root).found.problems
    return problems


def decision_of(comment: Comment) -> str:
    return comment.decision.strip() or UNDECIDED
