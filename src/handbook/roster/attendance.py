"""Hours per participant from the attendance marks, and the completion rule."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Curriculum, Session
from ..rules.curriculum import sessions as sessions_of
from .read import Participant, Roster


@dataclass
class Record:
    participant: Participant
    attended: list[Session]
    hours: float
    required: float  # the programme's total hours
    by_type: dict[str, float]  # 公需 / 专业 -> hours attended
    completed: bool

    @property
    def percent(self) -> float:
        return 100 * self.hours / self.required if self.required else 0.0


def module_type(doc: Curriculum) -> dict[str, str]:
    return {s.id: m.type for p in doc.phases for m in p.modules for s in m.sessions}


def records(doc: Curriculum, roster: Roster) -> list[Record]:
    required = sum(s.hours for s in sessions_of(doc))
    kinds = module_type(doc)
    result = []
    for p in roster.participants:
        attended = [s for s in sessions_of(doc) if p.attended.get(s.id)]
        hours = sum(s.hours for s in attended)
        by_type = {"公需": 0.0, "专业": 0.0}
        for s in attended:
            by_type[kinds[s.id]] += s.hours
        completed = roster.has_attendance and hours + 1e-9 >= required * doc.meta.attendance_rule / 100
        result.append(Record(p, attended, hours, required, by_type, completed))
    return result
