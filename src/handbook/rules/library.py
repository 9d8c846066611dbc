"""Library-wide rules: every reference, structured or inline, resolves to the right kind of item."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ..facts import FACTS_FILE
from ..facts import PREFIX as FACT_PREFIX
from ..library import Library
from ..problems import E_DANGLING, Problem

_KIND_NAMES = {
    "document": "文件", "chapter": "章", "clause": "条", "annex": "附录", "term": "术语", "form": "表单",
    "procedure": "程序", "method": "方法", "case": "案例", "phase": "阶段", "module": "模块", "session": "课次",
    "item": "题目", "rubric": "评分表",
}


def check(lib: Library) -> Iterator[Problem]:
    """E602: each reference of the graph finds its target, and a target of the kind its field allows."""
    yield from check_facts(lib)
    for ref in lib.graph.references:
        doc = ref.source.doc
        src = lib.sources[doc.id]
        where, written = ref.written.path, ref.written.ref
        cause = lib.unusable_file(written) if ref.target is None else ""
        if cause:
            yield Problem(src.file, *src.where(where), E_DANGLING, f"引用“{written}”无法检查：{cause} 未能载入", cause=cause)
        elif ref.target is None:
            near = lib.suggest(written, doc)
            hint = f"，是否想写“{near}”？" if near else ""
            yield src.problem(where, E_DANGLING, f"引用“{written}”找不到对应的条目{hint}")
        elif ref.allowed is not None and ref.target.kind not in ref.allowed:
            wanted = "、".join(sorted(_KIND_NAMES[k] for k in ref.allowed))
            yield src.problem(where, E_DANGLING, f"引用“{written}”指向{_KIND_NAMES[ref.target.kind]}，此处应引用{wanted}")


def check_facts(lib: Library) -> Iterator[Problem]:
    """E602 for facts: each [[fact:ID]] names a fact of facts.yaml; each fact's source and hours exist."""
    for ref in lib.graph.facts:
        written = ref.written.ref
        if lib.fact(written) is not None:
            continue
        wanted = written[len(FACT_PREFIX):]
        near = difflib.get_close_matches(wanted, list(lib.facts), n=1, cutoff=0.6)
        if near:
            hint = f"，是否想写“{FACT_PREFIX}{near[0]}”？"
        elif lib.facts:
            hint = f"。{FACTS_FILE} 中的事实：{'、'.join(lib.facts)}"
        else:
            hint = f"：项目根目录下没有 {FACTS_FILE}"
        src = lib.sources[ref.source.doc.id]
        yield src.problem_at(ref.written.path, f"[[{written}]]", E_DANGLING, f"引用的事实“{wanted}”找不到{hint}")
    src = lib.facts_source
    if src is None:
        return
    for fact in lib.facts.values():
        for name, refs, allowed in (("source", [fact.source], None), ("hours", fact.hours, {"document", "phase", "module", "session"})):
            for i, ref in enumerate(refs):
                if ref.split("#")[0] not in lib.sources:
                    continue  # checking a few files: the fact's document is not among them
                where = fact._path + ((name,) if name == "source" else (name, i))
                entry = lib.entries.get(ref)
                if entry is None:
                    near = difflib.get_close_matches(ref, list(lib.entries), n=1, cutoff=0.6)
                    hint = f"，是否想写“{near[0]}”？" if near else "（请写“文件ID#条目ID”）"
                    yield src.problem(where, E_DANGLING, f"事实“{fact.id}”的 {name} 引用“{ref}”找不到对应的条目{hint}")
                elif allowed is not None and entry.kind not in allowed:
                    wanted = "、".join(sorted(_KIND_NAMES[k] for k in allowed))
                    yield src.problem(where, E_DANGLING,
                                      f"事实“{fact.id}”的 {name} 引用“{ref}”指向{_KIND_NAMES[entry.kind]}，此处应引用{wanted}")
