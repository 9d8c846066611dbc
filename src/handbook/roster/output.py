"""The roster's PDFs, written together into one folder or not at all."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader
from markupsafe import Markup

from ..models import Curriculum
from ..pdf.render import CSS
from ..render.env import environment
from ..rules.curriculum import sessions as sessions_of
from .attendance import Record, module_type, records, scored_phases
from .read import Roster

HERE = Path(__file__).parent / "templates"
FILES = {
    "sign_in": "sign-in-sheets.pdf",
    "summary": "attendance-summary.pdf",
    "certificates": "certificates.pdf",
    "hours": "hours-records.pdf",
}


def _env() -> Environment:
    """The render layer's environment, with the roster's own templates first."""
    shared = environment()
    return shared.overlay(loader=ChoiceLoader([FileSystemLoader(str(HERE)), shared.loader]))


def documents(doc: Curriculum, roster: Roster, issued: dt.date) -> dict[str, str]:
    """Print HTML per output file. Without attendance marks only the sign-in sheets are made."""
    env = _env()
    recs = records(doc, roster)
    context = {"doc": doc, "roster": roster, "records": recs, "sessions": sessions_of(doc), "issued": issued,
               "css": Markup(CSS.read_text(encoding="utf-8")), "completed": [r for r in recs if r.completed],
               "kinds": module_type(doc), "phases": scored_phases(roster), "dates": roster.dates,
               "places": roster.places, "day": _day,
               "cert_no": lambda r: f"{issued.year}-{recs.index(r) + 1:03d}"}
    names = ["sign_in"] + (["summary", "certificates", "hours"] if roster.has_attendance else [])
    return {FILES[n]: env.get_template(f"roster_{n}.html").render(context) for n in names}


def _day(date: dt.date | None, blank: str = "　　年　　月　　日") -> str:
    return f"{date.year} 年 {date.month} 月 {date.day} 日" if date else blank


def write_all(htmls: dict[str, str], out: Path, base_url: str) -> list[Path]:
    """Lay out every PDF in a temporary folder beside ``out``, then swap it in: a failure
    leaves the previous folder as it was and no half-written file behind."""
    from ..pdf.write import write_pdf

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for name, html in htmls.items():
            write_pdf(html, tmp / name, base_url=base_url)
        old = out.with_name(f".{out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if out.exists():
            os.replace(out, old)
        os.replace(tmp, out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return [out / name for name in htmls]


def summary_line(recs: list[Record]) -> str:
    done = sum(r.completed for r in recs)
    if any(ps.passed is not None for r in recs for ps in r.scores):
        return f"{len(recs)} 名学员，{done} 人结业（出勤与考核都合格），{len(recs) - done} 人未结业"
    return f"{len(recs)} 名学员，{done} 人达到结业出勤要求"
