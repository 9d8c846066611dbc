"""Library-wide rules: every reference, structured or inline, resolves to the right kind of item."""

from __future__ import annotations

from collections.abc import Iterator

from ..library import Library
from ..problems import E_DANGLING, Problem

_KIND_NAMES = {
    "document": "文件", "chapter": "章", "clause": "条", "annex": "附录", "term": "术语", "form": "表单",
    "procedure": "程序", "method": "方法", "case": "案例", "phase": "阶段", "module": "模块", "session": "课次",
}


def check(lib: Library) -> Iterator[Problem]:
    """E602: each reference of the graph finds its target, and a target of the kind its field allows."""
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
