"""Curriculum rules: complete session plans and hours that add up."""

from __future__ import annotations

from collections.abc import Iterator

from ..models import Curriculum
from ..problems import E_MODULE_SUM, E_PHASE_SUM, E_TOTAL_SUM, Problem
from ..yamlsource import Source


def _fmt(hours: float) -> str:
    return f"{hours:g}"


def module_hours(module) -> float:
    return module.hours if module.hours is not None else sum(s.hours for s in module.sessions)


def phase_hours(phase) -> float:
    return phase.hours if phase.hours is not None else sum(module_hours(m) for m in phase.modules)


def total_hours(doc: Curriculum) -> float:
    return sum(phase_hours(p) for p in doc.phases)


def check(doc: Curriculum, src: Source) -> Iterator[Problem]:
    """Hours that add up. (Presence, emptiness and positive hours are the fields' Needs: rules/needs.py.)

    Every level is compared with the sum of its sessions, not with the level below's declaration:
    one wrong session then shows the module, phase and programme totals it breaks, in one run.
    """
    for phase in doc.phases:
        for module in phase.modules:
            yield from _sum(src, module, session_hours(module), E_MODULE_SUM, "模块", "各课次学时之和")
        yield from _sum(src, phase, sum(session_hours(m) for m in phase.modules), E_PHASE_SUM, "阶段",
                        "各模块课次学时之和")
    meta = doc.meta
    if meta.total_hours is not None:
        computed = sum(session_hours(m) for p in doc.phases for m in p.modules)
        if abs(computed - meta.total_hours) > 1e-6:
            yield src.problem(meta._path + ("total_hours",), E_TOTAL_SUM,
                              f"声明总学时 {_fmt(meta.total_hours)}，各阶段课次学时之和为 {_fmt(computed)}")


def session_hours(module) -> float:
    return sum(s.hours for s in module.sessions)


def _sum(src: Source, node, computed: float, code: str, what: str, parts: str) -> Iterator[Problem]:
    if node.hours is None or node.hours <= 0:  # not positive: reported by its Need
        return
    if abs(computed - node.hours) > 1e-6:
        yield src.problem(node._path + ("hours",), code,
                          f"{what}“{node.title}”声明 {_fmt(node.hours)} 学时，{parts}为 {_fmt(computed)}")
