"""Hours per participant from the attendance marks, phase scores, and the completion rule:
the attendance rule, and a pass in every phase with a 合格分 when the roster carries scores."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Curriculum, Phase, Session
from ..rules.curriculum import sessions as sessions_of
from .read import Participant, Roster


@dataclass
class PhaseScore:
    phase: Phase
    score: float | None  # out of 100, components weighted in; None when not given
    missing: str = ""  # 未录入 / 缺考 when score is None

    @property
    def passed(self) -> bool | None:
        """None where the phase sets no 合格分."""
        if self.phase.pass_score is None:
            return None
        return self.score is not None and self.score + 1e-9 >= self.phase.pass_score

    @property
    def shown(self) -> str:
        return self.missing if self.score is None else f"{round(self.score, 1):g}"


@dataclass
class Record:
    participant: Participant
    attended: list[Session]
    hours: float
    required: float  # the programme's total hours
    by_type: dict[str, float]  # 公需 / 专业 -> hours attended
    attendance_met: bool
    scores: list[PhaseScore] = field(default_factory=list)  # phases the roster has scores for
    reasons: list[str] = field(default_factory=list)  # why not 结业

    @property
    def percent(self) -> float:
        return 100 * self.hours / self.required if self.required else 0.0

    @property
    def completed(self) -> bool:
        return self.attendance_met and not self.reasons


def module_type(doc: Curriculum) -> dict[str, str]:
    return {s.id: m.type for p in doc.phases for m in p.modules for s in m.sessions}


def scored_phases(roster: Roster) -> list[Phase]:
    seen: list[Phase] = []
    for column in roster.score_columns.values():
        if not any(column.phase is p for p in seen):
            seen.append(column.phase)
    return seen


def phase_score(phase: Phase, roster: Roster, p: Participant) -> PhaseScore:
    mine = {c: col for c, col in roster.score_columns.items() if col.phase is phase}
    total = next((c for c, col in mine.items() if col.component is None), None)
    parts = [total] if total is not None else list(mine)
    missing = [p.scores[c] for c in parts if isinstance(p.scores[c], str)]
    if missing:
        return PhaseScore(phase, None, "缺考" if "缺考" in missing else "未录入")
    if total is not None:
        return PhaseScore(phase, p.scores[total])
    return PhaseScore(phase, sum(p.scores[c] * mine[c].component.weight / 100 for c in parts))


def records(doc: Curriculum, roster: Roster) -> list[Record]:
    required = sum(s.hours for s in sessions_of(doc))
    kinds = module_type(doc)
    rule = doc.meta.attendance_rule
    phases = scored_phases(roster)
    result = []
    for p in roster.participants:
        attended = [s for s in sessions_of(doc) if p.attended.get(s.id)]
        hours = sum(s.hours for s in attended)
        by_type = {"公需": 0.0, "专业": 0.0}
        for s in attended:
            by_type[kinds[s.id]] += s.hours
        met = roster.has_attendance and hours + 1e-9 >= required * rule / 100
        r = Record(p, attended, hours, required, by_type, met, [phase_score(ph, roster, p) for ph in phases])
        if roster.has_attendance and not met:
            r.reasons.append(f"出勤率 {r.percent:.1f}%（须 {rule:g}%）".replace(".0%", "%"))
        for ps in r.scores:
            if ps.passed is False:
                r.reasons.append(f"{ps.phase.title}{ps.missing}" if ps.score is None else
                                 f"{ps.phase.title} {ps.shown} 分（须 {ps.phase.pass_score:g} 分）")
        result.append(r)
    return result
