"""Curriculum rules: complete session plans and hours that add up."""

from __future__ import annotations

from collections.abc import Iterator

from ..models import Curriculum
from ..library import INLINE_REF
from ..problems import (
    E_AGENDA_METHOD,
    E_AGENDA_SUM,
    E_ANSWER,
    E_HANDOUT,
    E_MODULE_SUM,
    E_OBJECTIVE_REF,
    E_PHASE_SUM,
    E_RUBRIC_SUM,
    E_TOTAL_SUM,
    E_WEIGHTS,
    W_PASS_SCORE,
    W_UNTESTED,
    Problem,
)
from ..yamlsource import Source


def _fmt(hours: float) -> str:
    return f"{hours:g}"


def module_hours(module) -> float:
    return module.hours if module.hours is not None else sum(s.hours for s in module.sessions)


def phase_hours(phase) -> float:
    return phase.hours if phase.hours is not None else sum(module_hours(m) for m in phase.modules)


def total_hours(doc: Curriculum) -> float:
    return sum(phase_hours(p) for p in doc.phases)


def sessions(doc: Curriculum) -> list:
    return [s for p in doc.phases for m in p.modules for s in m.sessions]


def objective(doc: Curriculum, ref: str):
    """``session-id/N`` -> (session, N) when that session has an N-th objective, else None."""
    sid, _, n = ref.partition("/")
    session = next((s for s in sessions(doc) if s.id == sid), None)
    if session is None or not n.isdigit() or not 1 <= int(n) <= len(session.objectives):
        return None
    return session, int(n)


def agenda_minutes(session) -> int:
    return sum(seg.minutes for seg in session.agenda if not seg.pause)


def check(doc: Curriculum, src: Source) -> Iterator[Problem]:
    """Hours that add up. (Presence, emptiness and positive hours are the fields' Needs: rules/needs.py.)

    Every level is compared with the sum of its sessions, not with the level below's declaration:
    one wrong session then shows the module, phase and programme totals it breaks, in one run.
    """
    for phase in doc.phases:
        for module in phase.modules:
            for session in module.sessions:
                yield from _agenda(doc, src, session)
            yield from _sum(src, module, session_hours(module), E_MODULE_SUM, "模块", "各课次学时之和")
        yield from _sum(src, phase, sum(session_hours(m) for m in phase.modules), E_PHASE_SUM, "阶段",
                        "各模块课次学时之和")
    yield from _assessments(doc, src)
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


def _agenda(doc: Curriculum, src: Source, session) -> Iterator[Problem]:
    if session.agenda:
        wanted = session.hours * doc.meta.minutes_per_hour
        got = agenda_minutes(session)
        if abs(got - wanted) > 1e-6:
            yield src.problem(session._path + ("agenda",), E_AGENDA_SUM,
                              f"课次“{session.title}”的教学流程共 {got} 分钟（不含休息），"
                              f"{_fmt(session.hours)} 学时应为 {wanted:g} 分钟（每学时 {doc.meta.minutes_per_hour} 分钟）")
    for seg in session.agenda:
        if seg.method and seg.method not in session.methods:
            yield src.problem(seg._path + ("method",), E_AGENDA_METHOD,
                              f"环节“{seg.activity}”的教学方法“{seg.method}”不在本课次的教学方法"
                              f"（{'、'.join(session.methods)}）中；请改用其中一种，或把它加入 methods")
    materials = [(session._path + ("materials", i), m) for i, m in enumerate(session.materials)]
    materials += [(seg._path + ("materials", i), m) for seg in session.agenda for i, m in enumerate(seg.materials)]
    forms = {f.id for f in doc.forms}
    for where, text in materials:
        for ref in INLINE_REF.findall(text):
            local = ref.removeprefix(f"{doc.id}#")
            if "#" not in local and local not in forms and _is_other_kind(doc, local):
                yield src.problem(where, E_HANDOUT, f"材料“{ref}”不是本课程的讲义或练习单（forms 中没有这个 ID）")


def _is_other_kind(doc: Curriculum, ref: str) -> bool:
    """True when ``ref`` names something of this curriculum that is not a form (a dangling
    reference is reported once, as E602)."""
    ids = {s.id for s in sessions(doc)} | {p.id for p in doc.phases} | {m.id for p in doc.phases for m in p.modules}
    return ref in ids | {i.id for i in doc.items}  # rubrics are printed sheets: a fair material


def _assessments(doc: Curriculum, src: Source) -> Iterator[Problem]:
    for item in doc.items:
        yield from _item(src, item)
        for i, ref in enumerate(item.objectives):
            if objective(doc, ref) is None:
                yield src.problem(item._path + ("objectives", i), E_OBJECTIVE_REF, f"题目“{item.id}”引用的学习目标“{ref}”不存在")
    for rubric in doc.rubrics:
        total = sum(c.weight for c in rubric.criteria)
        if abs(total - 100) > 1e-6:
            yield src.problem(rubric._path + ("criteria",), E_RUBRIC_SUM, f"评分表“{rubric.title}”各项分值合计 {_fmt(total)}，应为 100")
        for c in rubric.criteria:
            for i, ref in enumerate(c.objectives):
                if objective(doc, ref) is None:
                    yield src.problem(c._path + ("objectives", i), E_OBJECTIVE_REF, f"评分项目“{c.title}”引用的学习目标“{ref}”不存在")
    items = {i.id: i for i in doc.items}
    rubrics = {r.id: r for r in doc.rubrics}
    for phase in doc.phases:
        if not phase.components:
            if phase.pass_score is not None:  # the roster can then take only a phase total, not component scores
                yield src.problem(phase._path + ("pass_score",), W_PASS_SCORE,
                                  f"阶段“{phase.title}”写了合格分 {_fmt(phase.pass_score)} 分，但没有考核组成（components）："
                                  f"学员名单只能填一栏“{phase.title}成绩”；在 components 中列出各组成部分及其权重，总分怎么算就写清楚了")
            continue
        total = sum(c.weight for c in phase.components)
        if abs(total - 100) > 1e-6:
            yield src.problem(phase._path + ("components",), E_WEIGHTS,
                              f"阶段“{phase.title}”各考核组成部分的权重合计 {_fmt(total)}%，应为 100%")
        tested = set()
        for comp in phase.components:
            for ref in comp.items:
                tested.update(items[ref].objectives if ref in items else ())
            if comp.rubric in rubrics:
                tested.update(o for c in rubrics[comp.rubric].criteria for o in c.objectives)
        for module in phase.modules:
            for s in module.sessions:
                missing = [n for n in range(1, len(s.objectives) + 1) if f"{s.id}/{n}" not in tested]
                if missing:
                    yield src.problem(s._path + ("objectives",), W_UNTESTED,
                                      f"课次“{s.title}”的学习目标 {'、'.join(map(str, missing))} 没有阶段考核中的题目或评分项目考查"
                                      f"（在题目或评分项目的 objectives 中写 {s.id}/{missing[0]}）")


def _item(src: Source, item) -> Iterator[Problem]:
    letters = "ABCDEFGH"[: len(item.options)]
    answer = item.answer.strip().upper()
    where = item._path + ("answer",)
    if item.kind in ("单选", "多选"):
        if len(item.options) < 2:
            yield src.problem(item._path + ("options",), E_ANSWER, f"选择题“{item.id}”至少需要两个选项")
        elif not answer or any(ch not in letters for ch in answer) or len(set(answer)) != len(answer):
            yield src.problem(where, E_ANSWER, f"选择题“{item.id}”的答案“{item.answer}”应由选项字母 {'、'.join(letters)} 组成")
        elif item.kind == "单选" and len(answer) != 1:
            yield src.problem(where, E_ANSWER, f"单选题“{item.id}”只能有一个答案，实际是“{item.answer}”")
        elif item.kind == "多选" and len(answer) < 2:
            yield src.problem(where, E_ANSWER, f"多选题“{item.id}”应有两个或以上正确选项；只有一个正确选项请改为单选")
    elif item.kind == "判断":
        if answer not in ("对", "错"):
            yield src.problem(where, E_ANSWER, f"判断题“{item.id}”的答案应为“对”或“错”，实际是“{item.answer}”")
    elif not item.points:
        yield src.problem(item._path + ("points",), E_ANSWER, f"{item.kind}题“{item.id}”没有评分要点（points）")
