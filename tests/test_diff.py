"""``build.py diff``: changes between a git revision and the working tree, by stable ID."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from handbook.cli import main
from handbook.diff import affected_sessions, changes_since, diff_libraries, revision_markdown
from handbook.rules import check_library

BASE = Path(__file__).parent / "corpus" / "base"

# Second edition of the base standard: a term reworded and one added; a clause inserted at the
# head of chapter 4 (renumbering the next); confidentiality moved to a new chapter 6; chapter 5
# reworded; in annex A a form added and the old one removed.
STANDARD_V2 = """\
kind: standard
id: base-std
sample: true
cover:
  level: 示例团体标准（示例）
  code: 示例/T 900—2026
  title: 测试用服务指南
  title_en: Test service guide
  ics: "03.080"
  ccs: A 16
  issued: 2026-01-15
  effective: 2026-03-01
  publisher: 示例市社会工作者协会
foreword:
  proposer: 示例市禁毒办
  administrator: 示例市社会工作者协会
  drafting_units: [示例社工服务中心]
  drafters: [朱某]
scope: 本文件规定了测试用服务的要求。本文件适用于测试。
normative_references:
  statement: 本文件没有规范性引用文件。
terms:
  entries:
    - id: community-rehabilitation
      term: 社区康复
      en: community rehabilitation
      definition: 解除强制隔离戒毒后在社区依法开展的康复措施。
    - id: relapse
      term: 复吸
      definition: 戒断后再次使用毒品的行为。
chapters:
  - id: principles
    title: 服务原则
    clauses:
      - id: equity
        title: 公平
        text: 服务应平等对待每一位服务对象。
      - id: people-centred
        title: 以人为本
        text: 服务应尊重服务对象。
  - id: process
    title: 服务流程
    text: 服务按接案、预估、计划、介入、评估、结案六个环节进行。
  - id: records
    title: 服务记录
    clauses:
      - id: confidentiality
        title: 保密
        text: 服务记录应按 [[annex-forms]] 保存。
      - id: retention
        title: 保存期限
        text: 服务记录应在结案后保存五年。
annexes:
  - id: annex-forms
    nature: 规范性
    title: 服务记录表
    forms:
      - id: form-consent
        title: 知情同意书
        fields:
          - label: 服务对象签名
            type: sign
history:
  - edition: 第1版
    date: 2026-01-15
    changes: [首次发布]
  - edition: 第2版
    date: 2026-06-01
    changes: [增加服务记录一章]
"""

# The curriculum's module gains a session that teaches the moved clause; hours follow.
CURRICULUM_EDITS = [
    ("  total_hours: 6\n", "  total_hours: 8\n"),
    ("    hours: 6\n    assessment: 笔试\n", "    hours: 8\n    assessment: 笔试\n"),
    ("        hours: 6\n", "        hours: 8\n"),
    ("            title: 社区康复实务\n", "            title: 社区康复实务与个案演练\n"),
    (
        "            worksheets: [form-sign-in]\n",
        (
            "            worksheets: [form-sign-in]\n"
            "          - id: session-records\n"
            "            title: 服务记录与保密\n"
            "            hours: 2\n"
            "            format: 线下\n"
            "            methods: [研讨]\n"
            "            objectives: [掌握服务记录的保密要求]\n"
            "            covers: [base-std#confidentiality]\n"
        ),
    ),
]

EXPECTED = [
    # doc, change, kind, id, old number, new number, old parent, new parent, fields
    ("base-course", "reworded", "document", "base-course", "", "", "", "", ("meta",)),  # total_hours
    ("base-course", "added", "session", "session-records", "", "第3讲", "", "module-law", ()),
    ("base-course", "reworded", "phase", "phase-one", "第一阶段", "第一阶段", "", "", ("hours",)),
    ("base-course", "reworded", "module", "module-law", "模块1.1", "模块1.1", "phase-one", "phase-one", ("hours",)),
    ("base-course", "reworded", "session", "session-practice", "第2讲", "第2讲", "module-law", "module-law", ("title",)),
    ("base-std", "added", "term", "relapse", "", "3.2", "", "", ()),
    ("base-std", "added", "clause", "equity", "", "4.1", "", "principles", ()),
    ("base-std", "added", "chapter", "records", "", "6", "", "", ()),
    ("base-std", "added", "clause", "retention", "", "6.2", "", "records", ()),
    ("base-std", "added", "form", "form-consent", "", "表A.1", "", "annex-forms", ()),
    ("base-std", "removed", "form", "form-intake", "表A.1", "", "annex-forms", "", ()),
    ("base-std", "moved", "clause", "confidentiality", "4.2", "6.1", "principles", "records", ()),
    ("base-std", "renumbered", "clause", "people-centred", "4.1", "4.2", "principles", "principles", ()),
    ("base-std", "reworded", "term", "community-rehabilitation", "3.1", "3.1", "", "", ("definition",)),
    ("base-std", "reworded", "chapter", "process", "5", "5", "", "", ("text",)),
]


def rows(changes) -> list[tuple]:
    return [(c.doc, c.change, c.kind, c.id, c.old_number, c.new_number, c.old_parent, c.new_parent, c.fields)
            for c in changes]


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def run(root: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(root), *args])
    return code, out.getvalue(), err.getvalue()


def write_v1(root: Path) -> None:
    (root / "standards").mkdir(parents=True, exist_ok=True)
    (root / "curricula").mkdir(exist_ok=True)
    shutil.copy(BASE / "standard.yaml", root / "standards" / "base-std.yaml")
    shutil.copy(BASE / "manual.yaml", root / "standards" / "base-manual.yaml")
    shutil.copy(BASE / "curriculum.yaml", root / "curricula" / "base-course.yaml")


def write_v2(root: Path) -> None:
    (root / "standards" / "base-std.yaml").write_text(STANDARD_V2, encoding="utf-8")
    course = root / "curricula" / "base-course.yaml"
    text = course.read_text(encoding="utf-8")
    for old, new in CURRICULUM_EDITS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    course.write_text(text, encoding="utf-8")


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose first commit is the clean base library."""
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.name", "测试编辑")
    git(tmp_path, "config", "user.email", "editor@example.org")
    write_v1(tmp_path)
    commit(tmp_path, "第1版")
    return tmp_path


def test_both_editions_are_clean(repo: Path) -> None:
    assert check_library(repo).problems == []
    write_v2(repo)
    assert check_library(repo).problems == []


def test_diff_against_a_tag_lists_every_change_by_stable_id(repo: Path) -> None:
    git(repo, "tag", "v1")
    write_v2(repo)
    commit(repo, "第2版")
    code, out, err = run(repo, "diff", "v1", "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["old"] == "v1"
    got = [(c["doc"], c["change"], c["kind"], c["id"], c["old_number"], c["new_number"], c["old_parent"],
            c["new_parent"], tuple(c["fields"])) for c in report["changes"]]
    assert got == EXPECTED
    assert report["affected_sessions"] == [
        {"curriculum": "base-course", "session": "session-law", "number": "第1讲", "title": "禁毒法解读",
         "changes": ["base-std#process"]},
        {"curriculum": "base-course", "session": "session-records", "number": "第3讲", "title": "服务记录与保密",
         "changes": ["base-std#confidentiality"]},
    ]


def test_text_summary_in_chinese(repo: Path) -> None:
    git(repo, "tag", "v1")
    write_v2(repo)
    code, out, _ = run(repo, "diff")  # default: the last tag
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "比较版本 v1（旧）与工作区（新）："
    for line in [
        "base-std 测试用服务指南",
        "  新增 条 4.1 公平（equity）",
        "  删除 表单 表A.1 接案登记表（form-intake）",
        "  移动 条 4.2 → 6.1 保密（confidentiality）：从“4 服务原则”移到“6 服务记录”",
        "  编号变化 条 4.1 → 4.2 以人为本（people-centred）",
        "  文字修改 术语 3.1 社区康复（community-rehabilitation）：修改了定义",
        "  文字修改 课次 第2讲 社区康复实务与个案演练（session-practice）：修改了标题",
        "共 15 处变化：新增 6，删除 1，移动 1，编号变化 1，文字修改 6。",
        "需要培训者复核的课次（讲授的条款有变化）：",
        "  base-course 第1讲 禁毒法解读（session-law）：讲授的条款 5 文字修改",
        "  base-course 第3讲 服务记录与保密（session-records）：讲授的条款 6.1 移动",
    ]:
        assert line in lines


def test_uncommitted_changes_are_compared_with_head_by_default(repo: Path) -> None:
    write_v2(repo)
    code, out, _ = run(repo, "diff", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["old"] == "HEAD"
    assert len(report["changes"]) == len(EXPECTED)


def test_clean_tree_without_tags_is_compared_with_the_previous_commit(repo: Path) -> None:
    write_v2(repo)
    commit(repo, "第2版")
    code, out, _ = run(repo, "diff", "--format", "json")
    report = json.loads(out)
    assert (code, report["old"]) == (0, "HEAD~1")
    assert len(report["changes"]) == len(EXPECTED)
    # Against itself nothing changed.
    code, out, _ = run(repo, "diff", "HEAD")
    assert (code, out) == (0, "比较版本 HEAD（旧）与工作区（新）：\n没有变化。\n")


def test_library_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.name", "测试编辑")
    git(tmp_path, "config", "user.email", "editor@example.org")
    root = tmp_path / "handbook"
    write_v1(root)
    commit(tmp_path, "第1版")
    write_v2(root)
    code, out, _ = run(root, "diff", "HEAD", "--format", "json")
    assert code == 0
    assert len(json.loads(out)["changes"]) == len(EXPECTED)


def test_unknown_revision_and_missing_repository_exit_2(repo: Path, tmp_path_factory) -> None:
    code, out, err = run(repo, "diff", "v9")
    assert (code, out) == (2, "")
    assert "找不到 git 版本“v9”" in err
    plain = tmp_path_factory.mktemp("plain")
    write_v1(plain)
    code, _, err = run(plain, "diff", "HEAD")
    assert code == 2
    assert "不在 git 仓库中" in err


# ------------------------------------------------------------------ the pure functions

def library(tmp_path: Path, name: str, edit=None):
    root = tmp_path / name
    write_v1(root)
    if edit:
        edit(root)
    return check_library(root)


def test_reordering_siblings_moves_only_the_one_that_left_its_place(tmp_path: Path) -> None:
    def three(root: Path, order: list[str]) -> None:
        path = root / "standards" / "base-std.yaml"
        clauses = "".join(f"      - id: {c}\n        text: 第{c}条。\n" for c in order)
        text = path.read_text(encoding="utf-8")
        start = text.index("    clauses:\n") + len("    clauses:\n")
        end = text.index("  - id: process\n")
        path.write_text(text[:start] + clauses + text[end:], encoding="utf-8")

    old = library(tmp_path, "old", lambda r: three(r, ["a", "b", "c"]))
    new = library(tmp_path, "new", lambda r: three(r, ["b", "c", "a"]))
    changes = diff_libraries(old, new)
    assert changes[0].describe() == "移动 条 4.1 → 4.3（a）：同级次序改变"
    assert rows(changes) == [
        ("base-std", "moved", "clause", "a", "4.1", "4.3", "principles", "principles", ()),
        ("base-std", "renumbered", "clause", "b", "4.2", "4.1", "principles", "principles", ()),
        ("base-std", "renumbered", "clause", "c", "4.3", "4.2", "principles", "principles", ()),
    ]


def test_identical_libraries_have_no_changes_and_whole_documents_are_reported_once(tmp_path: Path) -> None:
    old = library(tmp_path, "old")
    assert diff_libraries(old, library(tmp_path, "same")) == []
    fewer = library(tmp_path, "fewer", lambda r: (r / "standards" / "base-manual.yaml").unlink())
    assert rows(diff_libraries(old, fewer)) == [
        ("base-manual", "removed", "document", "base-manual", "", "", "", "", ()),
    ]
    assert rows(diff_libraries(fewer, old)) == [
        ("base-manual", "added", "document", "base-manual", "", "", "", "", ()),
    ]


def test_renumbering_alone_does_not_flag_sessions(tmp_path: Path) -> None:
    def insert_chapter(root: Path) -> None:
        path = root / "standards" / "base-std.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("  - id: process\n", "  - id: outreach\n    title: 外展\n    text: 外展服务。\n"
                                     "  - id: process\n"), encoding="utf-8")

    old = library(tmp_path, "old")
    new = library(tmp_path, "new", insert_chapter)
    changes = diff_libraries(old, new)
    assert rows(changes) == [
        ("base-std", "added", "chapter", "outreach", "", "5", "", "", ()),
        ("base-std", "renumbered", "chapter", "process", "5", "6", "", "", ()),
    ]
    assert affected_sessions(changes, new) == []  # session-law covers process: only its number changed


def test_revision_page_lists_changes_and_flags_sessions(repo: Path) -> None:
    old = check_library(repo)
    write_v2(repo)
    new = check_library(repo)
    changes = diff_libraries(old, new)
    page = revision_markdown("base-std", changes, new, link_for=lambda e: f"{e.doc.id}.md#{e.id}", against="第1版")
    lines = page.splitlines()
    assert lines[0] == ("与第1版相比，本文件共有 10 处变化：新增 5 处，删除 1 处，移动 1 处，编号变化 1 处，文字修改 2 处。"
                        "编号由位置自动生成，链接按稳定 ID 定位。")
    assert "## 变化一览" in lines and "## 需要培训者复核的课次" in lines
    assert "| 移动 | [条 保密](base-std.md#confidentiality) | 4.2 | 6.1 | 从“4 服务原则”移到“6 服务记录” |" in lines
    assert "| 删除 | 表单 接案登记表 | 表A.1 | — |  |" in lines
    assert "| 文字修改 | [术语 社区康复](base-std.md#community-rehabilitation) | 3.1 | 3.1 | 修改了定义 |" in lines
    assert lines[-2:] == [
        "- [测试用培训项目 第1讲 禁毒法解读](base-course.md#session-law)：讲授的 5 服务流程（文字修改）",
        "- [测试用培训项目 第3讲 服务记录与保密](base-course.md#session-records)：讲授的 6.1 保密（移动）",
    ]
    # Only this document's changes; a document without changes says so.
    assert "session-practice" not in page
    assert revision_markdown("base-manual", changes, new) == "与上一版相比，本文件没有变化。\n"


def test_a_single_clean_commit_has_nothing_to_compare_with(repo: Path) -> None:
    code, out, err = run(repo, "diff")
    assert (code, out) == (2, "")
    assert "只有一次提交" in err
    assert changes_since(repo) is None


def test_changes_since_gives_the_site_the_revision_and_the_changes(repo: Path, tmp_path_factory) -> None:
    write_v2(repo)
    rev, changes = changes_since(repo)
    assert rev == "HEAD" and rows(changes) == EXPECTED
    plain = tmp_path_factory.mktemp("plain")
    write_v1(plain)
    assert changes_since(plain) is None


def test_files_the_old_revision_cannot_load_are_reported(repo: Path) -> None:
    course = repo / "curricula" / "base-course.yaml"
    course.write_text(course.read_text(encoding="utf-8").replace("hours: 3", "hours: 三", 1), encoding="utf-8")
    commit(repo, "坏的一版")
    course.write_text((BASE / "curriculum.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run(repo, "diff")
    assert code == 0
    assert "注意：版本 HEAD 有 1 个错误，未能载入的文件没有参与比较（运行 check 查看）" in err
    assert "  新增 文件 测试用培训项目（base-course）" in out.splitlines()


def test_document_text_outside_items_is_reported_on_the_document(tmp_path: Path) -> None:
    def new_scope_and_edition(root: Path) -> None:
        path = root / "standards" / "base-std.yaml"
        text = path.read_text(encoding="utf-8").replace("本文件适用于测试。", "本文件适用于测试和演示。")
        path.write_text(text + "  - edition: 第2版\n    date: 2026-06-01\n    changes: [扩大适用范围]\n", encoding="utf-8")

    old = library(tmp_path, "old")
    new = library(tmp_path, "new", new_scope_and_edition)
    changes = diff_libraries(old, new)
    assert rows(changes) == [("base-std", "reworded", "document", "base-std", "", "", "", "", ("scope",))]
    assert changes[0].describe() == "文字修改 文件 测试用服务指南（base-std）：修改了范围"
    assert affected_sessions(changes, new) == []
