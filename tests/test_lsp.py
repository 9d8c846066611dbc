"""The editor as editors use it: npm yaml-language-server (VS Code's YAML extension) over stdio.

It is started with a Chinese locale, as VS Code with the Chinese language pack starts it, and opens
files with each kind of mistake. Every diagnostic must be Chinese, sit on the line where `check`
reports the same problem, and the type, pattern and choice messages must read as `check` words them.
The pinned server (tests/lsp/package.json) is installed by `scripts/setup.sh --test`, or here.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from handbook import models
from handbook.rules import check_library
from handbook.schema import SCHEMA_DIR, write_schemas

from .conftest import write_base_library
from .lsp_client import LanguageServer, install

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs node (on CI: Debian's nodejs)")

SCHEMA_MISTAKES = """\
# yaml-language-server: $schema=../docs/schema/curriculum.schema.json
kind: curriculum
id: Base_Course
sample: yes
meta:
  title: 测试用培训项目
  organiser: 示例市禁毒办
  audience: 新入职禁毒社工
  delivery: 网上
  total_hours: 6
supervision: 内主外辅
phases:
  - id: phase-one
    title: 岗前培训
    hours: 6
    assessment: 笔试
    modules:
      - id: module-law
        titel: 法律法规
        hours: 6
        sessions:
          - id: session-law
            title: 禁毒法解读
            hours: 三
            format: 线下
            methods: [讲授]
            objectives: [说明社区戒毒的期限]
          - id: session-practice
            hours: 3
            format: 线上
            methods: [案例分析]
            objectives: [掌握社区康复流程]
"""

NEED_MISTAKES = """\
# yaml-language-server: $schema=../docs/schema/curriculum.schema.json
kind: curriculum
id: base-course
sample: true
meta:
  title: 测试用培训项目
  organiser: 示例市禁毒办
  audience: 新入职禁毒社工
  delivery: 混合
phases:
  - id: phase-one
    title: 岗前培训
    assessment: "  "
    modules:
      - id: module-law
        title: 法律法规
        sessions:
          - id: session-law
            title: 禁毒法解读
            hours: 0
            methods: []
            objectives: []
"""

ENGLISH = re.compile(r"[A-Za-z]{3,}")
FIELD_NAMES = {name for model in vars(models).values() if isinstance(model, type) and issubclass(model, models.Node)
               for name in model.model_fields}


def english_outside_names(message: str, line: str = "") -> list[str]:
    """English words in a message, leaving out quoted names and values, the words the editor typed on
    that line (an unknown field's name), and YYYY-MM-DD."""
    text = re.sub(r"“[^”]*”|\"[^\"]*\"|（[a-z_]+）|YYYY-MM-DD|true 或 false|case-intake", "", message)
    return [word for word in ENGLISH.findall(text) if word not in line and word not in FIELD_NAMES]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_base_library(tmp_path_factory.mktemp("lsp"))
    write_schemas(root)
    assert (root / SCHEMA_DIR / "curriculum.schema.json").is_file()
    return root


@pytest.fixture(scope="module")
def server(project: Path):
    install()
    ls = LanguageServer(project)
    yield ls
    ls.close()


def diagnose(server: LanguageServer, project: Path, name: str, text: str) -> tuple[list[dict], list]:
    path = project / "curricula" / name
    path.write_text(text, encoding="utf-8")
    server.open(path)
    found = server.diagnostics(path)
    problems = [p for p in check_library(project, [path, project / "standards" / "base-std.yaml"]).problems
                if p.file == f"curricula/{name}"]
    return found, problems


def by_line(diagnostics: list[dict]) -> dict[int, list[str]]:
    lines: dict[int, list[str]] = {}
    for d in diagnostics:
        lines.setdefault(d["range"]["start"]["line"] + 1, []).append(d["message"])
    return lines


def test_type_pattern_choice_and_missing_field_read_as_check_says_them(server, project: Path) -> None:
    found, problems = diagnose(server, project, "schema-mistakes.yaml", SCHEMA_MISTAKES)
    editor = by_line(found)
    checker = {p.line: p for p in problems}
    assert sorted(editor) == sorted(checker), (editor, [p.format() for p in problems])
    for line, messages in editor.items():
        assert len(messages) == 1, messages
        assert not english_outside_names(messages[0], SCHEMA_MISTAKES.splitlines()[line - 1]), messages[0]
    assert editor[3] == ["“id”格式错误：只能用小写字母、数字和连字符（如 case-intake），引用其他文件写“文件ID#条目ID”"]
    assert editor[4] == ["“sample”应为true 或 false"]
    assert editor[9] == ["“delivery”的取值无效，可选：线上、线下、混合"]
    assert editor[11] == ["“supervision”应为映射（键: 值）"]
    assert editor[24] == ["“hours”应为数字：学时写阿拉伯数字，如 2 或 1.5"]
    assert editor[28] == ["缺少必填字段“title”（课次名称）"]
    assert editor[19][0].startswith("属性 titel")  # unknown field: the server's own Chinese
    # The same words as check: check's message is the editor's plus the value it found.
    for line, messages in editor.items():
        if line != 19:
            assert without_value(checker[line].message) == messages[0]


def without_value(message: str) -> str:
    """A check message without the value it quotes (the editor's message cannot know it)."""
    message = re.sub(r"，实际是(文字“[^”]*”|数字 [\d.]+|真假值 \S+|空值|列表|映射)", "", message)
    message = re.sub(r"的值“[^”]*”", "", message)
    return re.sub(r"的取值(文字“[^”]*”|数字 [\d.]+)", "的取值", message)


def test_completeness_rules_are_marked_where_check_reports_them(server, project: Path) -> None:
    found, problems = diagnose(server, project, "need-mistakes.yaml", NEED_MISTAKES)
    editor = by_line(found)
    checker: dict[int, list[str]] = {}
    for p in problems:
        checker.setdefault(p.line, []).append(p.code)
    assert sorted(editor) == sorted(checker), (editor, [p.format() for p in problems])
    for messages in editor.values():
        for message in messages:
            assert not english_outside_names(message), message
    assert checker[2] == ["E508"] and editor[2] == ["未声明督导模式，请填写 supervision.model（如“内主外辅、协同互助”）"]
    assert checker[13] == ["E507"] and editor[13] == ["阶段没有填写考核方式（assessment）"]
    assert checker[20] == ["E502"] and editor[20] == ["值低于最小（不包含）限制 0。"]
    assert checker[21] == ["E503"] and editor[21] == ["数组项数不足。应为 1 项或更多。"]
    assert checker[22] == ["E501"] and editor[22] == ["数组项数不足。应为 1 项或更多。"]
    assert checker[18] == ["E503"] and editor[18] == ["课次没有注明形式（format）"]
    # Where the editor can say it in check's words, it does: check's message names the item, that is all.
    for p in problems:
        for message in editor[p.line]:
            if message.startswith(("未声明", "课次没有", "阶段没有")):
                assert re.sub(r"“[^”]*”", "", p.message) == re.sub(r"“[^”]*”", "", message)


def test_hover_has_a_chinese_title_and_the_session_snippet_passes_check(server, project: Path) -> None:
    path = project / "curricula" / "base-course.yaml"
    text = path.read_text(encoding="utf-8")
    if not text.startswith("# yaml-language-server"):
        text = "# yaml-language-server: $schema=../docs/schema/curriculum.schema.json\n" + text
        path.write_text(text, encoding="utf-8")
    server.open(path, text)
    server.diagnostics(path)
    lines = text.splitlines()
    row = next(i for i, line in enumerate(lines) if line.strip().startswith("format:"))
    hover = server.request("textDocument/hover", {"textDocument": {"uri": path.as_uri()},
                                                  "position": {"line": row, "character": lines[row].index("format") + 1}})
    shown = hover["contents"]["value"]
    assert "形式" in shown and "Format" not in shown and "||" not in shown, shown
    # Completion on a new session item offers the snippet; filled in, check accepts it.
    sessions = next(i for i, line in enumerate(lines) if line.strip() == "sessions:")
    indent = " " * (len(lines[sessions + 1]) - len(lines[sessions + 1].lstrip()))
    lines.insert(sessions + 1, f"{indent}- ")
    edited = "\n".join(lines) + "\n"
    server.notify("textDocument/didChange", {"textDocument": {"uri": path.as_uri(), "version": 2},
                                             "contentChanges": [{"text": edited}]})
    result = server.request("textDocument/completion", {"textDocument": {"uri": path.as_uri()},
                                                        "position": {"line": sessions + 1, "character": len(indent) + 2}})
    items = result["items"] if isinstance(result, dict) else result
    snippet = next(item for item in items if item["label"] == "新课次")
    body = re.sub(r"\$\{\d+:([^}]*)\}|\$\d+", r"\1", snippet["insertText"])
    body = body.replace("\n", "\n" + indent)  # as the editor indents a multi-line completion
    lines[sessions + 1] = f"{indent}- {body}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = check_library(project, [path, project / "standards" / "base-std.yaml"]).problems
    assert "hours: 0" not in body and "null" not in body
    assert {p.code for p in problems if p.severity == "error"} <= {"E504", "E505", "E506"}  # the sums it now adds to
    assert any(p.code == "W101" for p in problems)  # 【待填写】 left for the editor, as `new` does
