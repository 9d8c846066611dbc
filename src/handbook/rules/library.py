"""Library-wide rules: every reference, structured or inline, resolves to the right kind of item."""

from __future__ import annotations

from collections.abc import Iterator

from ..library import INLINE_REF, Library
from ..loader import iter_strings
from ..models import Manual
from ..problems import E_DANGLING, Problem

PROVISIONS = {"chapter", "clause", "annex", "term"}
# Structured reference fields and the kinds of entry each may point at.
REF_FIELDS: dict[str, set[str]] = {
    "implements": PROVISIONS,
    "covers": PROVISIONS,
    "worksheets": {"form"},
    "record": {"form"},
}
_KIND_NAMES = {
    "document": "文件", "chapter": "章", "clause": "条", "annex": "附录", "term": "术语", "form": "表单",
    "procedure": "程序", "method": "方法", "case": "案例", "phase": "阶段", "module": "模块", "session": "课次",
}


def check(lib: Library) -> Iterator[Problem]:
    for doc in lib.documents:
        src = lib.sources[doc.id]
        if isinstance(doc, Manual):
            yield from _resolve(lib, doc, src, doc.meta.standard, doc.meta._path + ("standard",), {"document"})
        for _node, name, where, text in iter_strings(doc):
            if name in REF_FIELDS:
                yield from _resolve(lib, doc, src, text, where, REF_FIELDS[name])
            else:
                for ref in INLINE_REF.findall(text):
                    yield from _resolve(lib, doc, src, ref, where, None)


def _resolve(lib, doc, src, ref: str, where: tuple, allowed: set[str] | None) -> Iterator[Problem]:
    entry = lib.resolve(ref, doc)
    cause = lib.unusable_file(ref) if entry is None else ""
    if cause:
        yield Problem(src.file, *src.where(where), E_DANGLING, f"引用“{ref}”无法检查：{cause} 未能载入", cause=cause)
    elif entry is None:
        near = lib.suggest(ref, doc)
        hint = f"，是否想写“{near}”？" if near else ""
        yield src.problem(where, E_DANGLING, f"引用“{ref}”找不到对应的条目{hint}")
    elif allowed is not None and entry.kind not in allowed:
        wanted = "、".join(sorted(_KIND_NAMES[k] for k in allowed))
        yield src.problem(where, E_DANGLING, f"引用“{ref}”指向{_KIND_NAMES[entry.kind]}，此处应引用{wanted}")
