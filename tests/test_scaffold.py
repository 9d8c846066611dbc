"""``build.py new``: skeletons that pass ``check`` with only placeholder warnings."""

from __future__ import annotations

import contextlib
import io
import itertools
import re
from pathlib import Path

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup

from handbook.cli import main
from handbook.models import KINDS
from handbook.rules import check_library

from .conftest import write_base_library


def run(root: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(root), *args])
    return code, out.getvalue(), err.getvalue()


def codes(check_output: str) -> list[str]:
    return [line.split(" ")[1] for line in check_output.splitlines()]


@pytest.mark.parametrize("kind", ["standard", "manual", "curriculum"])
def test_skeleton_passes_check_with_only_placeholder_warnings(tmp_path: Path, kind: str) -> None:
    root = write_base_library(tmp_path)
    code, out, _ = run(root, "new", kind, "new-doc")
    assert code == 0
    folder = "curricula" if kind == "curriculum" else "standards"
    path = root / folder / "new-doc.yaml"
    assert f"已创建 {folder}/new-doc.yaml" in out

    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema=../docs/schema/{kind}.schema.json"
    data = yaml.safe_load(text)
    assert (data["kind"], data["id"]) == (kind, "new-doc")
    # Every required top-level element is written out, not left to defaults.
    required = {name for name, f in KINDS[kind].model_fields.items() if f.is_required()}
    assert required <= set(data)

    code, out, err = run(root, "check")
    assert code == 0, out
    assert "0 个错误" in err
    lines = out.splitlines()
    assert lines and all(line.startswith(f"{folder}/new-doc.yaml:") for line in lines)
    assert set(codes(out)) == {"W101"}
    assert all("【待填写】" in line for line in lines)
    # Strict mode makes the unfilled placeholders fail, so nothing half-written gets published.
    assert run(root, "check", "--strict")[0] == 1


def test_manual_cites_the_first_standard_of_the_library(tmp_path: Path) -> None:
    root = write_base_library(tmp_path)
    assert run(root, "new", "manual", "new-manual")[0] == 0
    data = yaml.safe_load((root / "standards" / "new-manual.yaml").read_text(encoding="utf-8"))
    assert data["meta"]["standard"] == "base-std"


def test_manual_without_any_standard_passes_with_a_warning_to_fill_it_in(tmp_path: Path) -> None:
    assert run(tmp_path, "new", "manual", "lonely-manual")[0] == 0
    data = yaml.safe_load((tmp_path / "standards" / "lonely-manual.yaml").read_text(encoding="utf-8"))
    assert data["meta"]["standard"] == "lonely-manual"
    code, out, _ = run(tmp_path, "check")
    assert code == 0
    assert set(codes(out)) == {"W101"}
    assert "手册依据的标准（standard）尚未填写" in out


def test_filling_every_placeholder_silences_the_warnings(tmp_path: Path) -> None:
    root = write_base_library(tmp_path)
    run(root, "new", "curriculum", "filled")
    path = root / "curricula" / "filled.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("【待填写】", ""), encoding="utf-8")
    assert run(root, "check") == (0, "", "检查了 4 个文件：0 个错误，0 个警告，0 条提示。\n")


def test_refuses_to_overwrite_an_existing_file(tmp_path: Path) -> None:
    root = write_base_library(tmp_path)
    before = (root / "standards" / "base-std.yaml").read_bytes()
    code, out, err = run(root, "new", "standard", "base-std")
    assert (code, out) == (1, "")
    assert "standards/base-std.yaml 已经存在，没有覆盖" in err
    assert (root / "standards" / "base-std.yaml").read_bytes() == before


def test_refuses_a_document_id_already_used_by_another_file(tmp_path: Path) -> None:
    root = write_base_library(tmp_path)
    code, _, err = run(root, "new", "curriculum", "base-std")
    assert code == 1
    assert "standards/base-std.yaml" in err
    assert not (root / "curricula" / "base-std.yaml").exists()


@pytest.mark.parametrize("bad", ["Bad_Id", "中文", "dot.ted", "trail-", "two--dashes", "has space"])
def test_refuses_an_invalid_id(tmp_path: Path, bad: str) -> None:
    code, out, err = run(tmp_path, "new", "standard", bad)
    assert (code, out) == (2, "")
    assert "格式错误" in err
    assert not (tmp_path / "standards").exists() or not any((tmp_path / "standards").iterdir())


# ------------------------------------------------------------------ the 如何编辑 page

HOW_TO = Path(__file__).resolve().parent.parent / "docs" / "how-to-edit.md"
CORPUS = Path(__file__).parent / "corpus"
PROBLEM_LINE = re.compile(r"^(?P<file>[\w./-]+\.yaml):\d+:\d+: [EWI]\d{3} .+$")


def prose_and_code(text: str) -> tuple[list[str], list[str]]:
    prose, code, fenced = [], [], False
    for line in text.splitlines():
        if line.strip().startswith("```"):
            fenced = not fenced
        elif fenced:
            code.append(line.strip())
        else:
            prose.append(line)
    return prose, code


def test_how_to_edit_headings_start_at_one_and_skip_no_level() -> None:
    # Rendered with the site's Markdown extensions: a code fence the renderer does not see as
    # code would turn a "# ..." comment into a heading.
    html = markdown.markdown(HOW_TO.read_text(encoding="utf-8"),
                             extensions=["fenced_code", "tables", "attr_list", "md_in_html", "toc", "admonition"])
    headings = BeautifulSoup(html, "html.parser").find_all(re.compile(r"^h[1-6]$"))
    levels = [int(h.name[1]) for h in headings]
    assert headings[0].get_text() == "如何编辑"
    assert levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    fences = re.findall(r"^\s*```", HOW_TO.read_text(encoding="utf-8"), re.MULTILINE)
    assert len(BeautifulSoup(html, "html.parser").find_all("pre")) == len(fences) // 2


def test_how_to_edit_quotes_error_lines_the_tools_really_print(tmp_path: Path) -> None:
    _, code = prose_and_code(HOW_TO.read_text(encoding="utf-8"))
    quoted = [line for line in code if PROBLEM_LINE.match(line)]
    corpus = "".join(p.read_text(encoding="utf-8") for p in CORPUS.glob("*.expected")).splitlines()
    from_corpus = [line for line in quoted if not line.startswith("standards/")]
    assert len(from_corpus) >= 2 and all(line in corpus for line in from_corpus)
    # The placeholder warning quoted for a new standard is what `new` + `check` print.
    from_new = [line for line in quoted if line.startswith("standards/") and " W101 " in line]
    doc_id = Path(from_new[0].split(":")[0]).stem
    assert run(tmp_path, "new", "standard", doc_id)[0] == 0
    _, out, _ = run(tmp_path, "check")
    assert from_new and all(line in out.splitlines() for line in from_new)


def test_how_to_edit_commands_and_references_work(root: Path) -> None:
    text = HOW_TO.read_text(encoding="utf-8")
    for command in ("check", "serve", "new", "diff", "rules"):
        assert f"python build.py {command}" in text
    assert run(root, "serve", "--help")[1].count("--only") >= 1
    lib = check_library(root)
    refs = set(re.findall(r"\[\[([^\[\]\s]+)\]\]", text))
    assert "jd-service-guide#method-crisis" in refs
    documented = {ref for ref in refs if "#" in ref}
    assert documented and all(ref in lib.entries for ref in documented)
    assert "6.9 危机干预" in text and lib.entries["jd-service-guide#method-crisis"].label == "6.9 危机干预"


def test_how_to_edit_images_exist_and_the_preview_shows_the_quoted_reference(root: Path) -> None:
    text = HOW_TO.read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", text)
    assert images and all((HOW_TO.parent / image).is_file() for image in images)
    # The caption explains a reference the sample standard really contains.
    assert "[[annex-risk-assessment]]" in text
    assert "[[annex-risk-assessment]]" in (root / "standards" / "jd-service-guide.yaml").read_text(encoding="utf-8")
