"""One set of facts across the shipped library: each listed fact is written once, in facts.yaml,
cited as [[fact:ID]] everywhere else, printed as its value on the site and in the print HTML,
and a number typed by hand that disagrees is reported where it stands."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from handbook.facts import expand
from handbook.library import INLINE_REF
from handbook.loader import iter_strings
from handbook.pdf.render import Variant, render_print
from handbook.rules import check_library
from handbook.site.pages import render_page

from .conftest import ROOT

# The seven facts issue 18 found stated differently in different documents, and the value chosen.
LISTED = {
    "peer-abstinence-years": (3, "年"),
    "pre-service-training-hours": (40, "学时"),
    "assessment-deadline": (15, "个工作日"),
    "peer-training-hours": (56, "学时"),
    "new-worker-individual-supervision": (9, "次"),
    "contact-interval-medium-risk": (2, "周"),
    "peer-disclosure": ("是否公开本人的戒毒康复经历和身份由其本人决定，未经本人书面同意，服务机构和工作人员不得公开", ""),
}


@pytest.fixture(scope="module")
def shipped():
    return check_library(ROOT)


def no_flow(*_args) -> str:
    return ""


def test_each_listed_fact_is_defined_once_with_the_chosen_value(shipped) -> None:
    text = (ROOT / "facts.yaml").read_text(encoding="utf-8")
    for fact_id, (value, unit) in LISTED.items():
        assert len(re.findall(rf"^  - id: {fact_id}$", text, re.MULTILINE)) == 1
        fact = shipped.facts[fact_id]
        assert (fact.value, fact.unit) == (value, unit)


def test_no_shipped_document_states_a_fact_by_hand(shipped) -> None:
    """Neither a different number (W604) nor the same one (I605): every statement is a citation."""
    assert [p.format() for p in shipped.problems if p.code in ("W604", "I605")] == []
    # Independently of the rule's bookkeeping: no statement pattern matches any shipped text.
    for doc in shipped.documents:
        for _node, _name, _where, text in iter_strings(doc):
            bare = INLINE_REF.sub(" ", text)
            for fact_id in LISTED:
                fact = shipped.facts[fact_id]
                for pattern in fact.statements + fact.conflicts:
                    assert not re.search(expand(pattern), bare), (doc.id, fact_id, text)


def test_listed_facts_are_shared_by_several_documents(shipped) -> None:
    citing: dict[str, set[str]] = {}
    for doc in shipped.documents:
        for _node, _name, _where, text in iter_strings(doc):
            for ref in INLINE_REF.findall(text):
                if ref.startswith("fact:"):
                    citing.setdefault(ref[5:], set()).add(doc.id)
    for fact_id in LISTED:
        assert citing.get(fact_id), f"{fact_id} is never cited"
    assert len(citing["peer-abstinence-years"]) == 3  # standard, manual and the peer programme agree


def test_site_and_print_show_the_value_not_the_citation(shipped) -> None:
    std = shipped.document("jd-service-guide")
    page = render_page(std, shipped, flow=no_flow)
    html = render_print(std, shipped)
    for out in (page, html):
        assert "[[fact:" not in str(out)
        assert "操守保持 3 年以上" in str(out)
        assert "不少于 40 学时的岗前培训" in str(out)
        assert "每 2 周不少于 1 次" in str(out)
    programme = shipped.document("new-worker-programme")
    assert "共 9 次" in render_print(programme, shipped, Variant("trainer"))


def test_changing_a_fact_changes_every_output_and_a_hand_typed_number_is_caught(tmp_path: Path) -> None:
    for name in ("standards", "curricula"):
        shutil.copytree(ROOT / name, tmp_path / name)
    facts = (ROOT / "facts.yaml").read_text(encoding="utf-8")
    (tmp_path / "facts.yaml").write_text(
        facts.replace("  - id: peer-abstinence-years\n    value: 3", "  - id: peer-abstinence-years\n    value: 5"),
        encoding="utf-8")
    manual = tmp_path / "standards" / "jd-practice-manual.yaml"
    lines = manual.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if "id: method-story-sharing" in line)
    lines[at + 2] = lines[at + 2].replace("text: ", "text: 分享人应操守保持满 2 年。", 1)
    manual.write_text("\n".join(lines), encoding="utf-8")
    lib = check_library(tmp_path)
    std = lib.document("jd-service-guide")
    assert "操守保持 5 年以上" in render_page(std, lib, flow=no_flow).html
    assert "操守保持 5 年以上" in render_print(std, lib)
    [problem] = [p for p in lib.problems if p.code == "W604"]
    column = len(lines[at + 2]) - len(lines[at + 2].lstrip()) + len("text: 分享人应") + 1
    assert (problem.file, problem.line, problem.column) == ("standards/jd-practice-manual.yaml", at + 3, column)
    assert "[[fact:peer-abstinence-years]]" in problem.message and "应为 5 年" in problem.message


def test_facts_file_has_a_current_schema_and_validates() -> None:
    import json

    import jsonschema

    from handbook.schema import SCHEMA_DIR, facts_schema
    from handbook.yamlsource import read_source

    committed = json.loads((ROOT / SCHEMA_DIR / "facts.schema.json").read_text(encoding="utf-8"))
    assert committed == facts_schema(), "run `python build.py schema` and commit the result"
    path = ROOT / "facts.yaml"
    assert path.read_text(encoding="utf-8").splitlines()[0] == "# yaml-language-server: $schema=docs/schema/facts.schema.json"
    jsonschema.validate(read_source(path, "facts.yaml").data, facts_schema())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"facts": [{"id": "x", "value": 1, "source": "a#b", "description": "d", "statment": []}]},
                            facts_schema())


def test_check_sees_a_changed_fact_at_once(tmp_path: Path) -> None:
    """The check caches whole reports; facts.yaml is one of their inputs."""
    import contextlib
    import io

    from handbook.cli import main

    for name in ("standards", "curricula"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "facts.yaml", tmp_path / "facts.yaml")
    guide = tmp_path / "standards" / "jd-service-guide.yaml"
    guide.write_text(guide.read_text(encoding="utf-8").replace(
        "宜从操守保持 [[fact:peer-abstinence-years]]以上", "宜从操守保持满 2 年以上"), encoding="utf-8")

    def check() -> str:
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            main(["--root", str(tmp_path), "check"])
        return out.getvalue()

    assert "应为 3 年" in check() and "应为 3 年" in check()
    facts = tmp_path / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        "  - id: peer-abstinence-years\n    value: 3", "  - id: peer-abstinence-years\n    value: 4"), encoding="utf-8")
    assert "应为 4 年" in check()
