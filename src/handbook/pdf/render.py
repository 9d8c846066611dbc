"""Print HTML for one PDF: a pure function of a document, the library and a variant.

``render_print`` builds the body from Jinja2 templates, then reads the headings it produced
(``data-toc``) back to write the 目次, so the contents always mirror the headings and the
bookmarks (WeasyPrint bookmarks every h1–h6).
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from ..library import Entry, Library
from ..models import Curriculum, Document, Form, FormField, Manual, Session, Standard
from ..render import headings
from ..render.context import Context
from ..render.env import environment
from ..render.places import page_url  # noqa: F401  (build.py prints it on the cover)
from ..rules.curriculum import module_hours, phase_hours

CSS = Path(__file__).parent / "print.css"

# The faces every element names, so fontconfig never falls back to the JP face of the collection.
SANS = '"Noto Sans CJK SC"'
SERIF = '"Noto Serif CJK SC"'


@dataclass(frozen=True)
class Variant:
    """Which PDF of a document: ``handbook`` (standard, manual), ``trainer`` or ``workbook``
    (curriculum), optionally limited to one phase."""

    kind: str = "handbook"
    phase: str | None = None

    def subtitle(self) -> str:
        return {"handbook": "", "trainer": "培训者手册", "workbook": "学员手册"}[self.kind]


def variants(doc: Document) -> list[Variant]:
    if not isinstance(doc, Curriculum):
        return [Variant()]
    phases = [None, *(p.id for p in doc.phases)]
    return [Variant(kind, phase) for phase in phases for kind in ("trainer", "workbook")]


def pdf_name(doc: Document, variant: Variant) -> str:
    parts = [doc.id, variant.phase, None if variant.kind == "handbook" else variant.kind]
    return "-".join(p for p in parts if p) + ".pdf"


# ------------------------------------------------------------------------- links


class PrintLinker:
    """A reference links to its anchor when the target is printed in this PDF; otherwise it is text."""

    def __init__(self, doc: Document, anchors: set[str]):
        self.doc, self.anchors = doc, anchors

    def url(self, entry: Entry) -> str | None:
        return f"#{entry.id}" if entry.doc is self.doc and entry.id in self.anchors else None


# ------------------------------------------------------------------------- forms made in code


def sign_in_sheet(session: Session, rows: int = 20) -> dict:
    return {
        "title": f"{session.number} {session.title} 签到表",
        "columns": ["序号", "姓名", "单位 / 社区", "联系电话", "签到时间", "签名"],
        "widths": [8, 16, 26, 18, 14, 18],
        "rows": [[str(i), "", "", "", "", ""] for i in range(1, rows + 1)],
    }


def evaluation_form(sessions: list[Session]) -> Form:
    fields = [
        FormField(label=f"{s.number} {s.title}", type="check", options=["很满意", "满意", "一般", "不满意"])
        for s in sessions
    ]
    fields += [
        FormField(label="对培训组织的评价", type="check", options=["很满意", "满意", "一般", "不满意"]),
        FormField(label="收获最大的内容", type="lines", lines=4),
        FormField(label="希望改进的地方", type="lines", lines=4),
        FormField(label="今后希望学习的主题", type="lines", lines=3),
        FormField(label="填写日期", type="date"),
    ]
    return Form(id="course-evaluation", title="课程评估表", purpose="请在每一讲对应的选项前打“√”，匿名填写。", fields=fields)


# ------------------------------------------------------------------------- views per kind


def _standard_view(doc: Standard) -> dict:
    return {"running": doc.cover.code}


def _curriculum_view(doc: Curriculum, variant: Variant, lib: Library) -> dict:
    phases = [p for p in doc.phases if variant.phase in (None, p.id)]
    sessions = [s for p in phases for m in p.modules for s in m.sessions]
    # Worksheets are printed once, in the workbook, where a session first uses them; every
    # session that uses one points at its page.
    printed: dict[str, str] = {}  # entry key -> anchor
    worksheets: dict[str, list[tuple[str, Entry]]] = {}  # session id -> worksheets printed there
    uses: dict[str, list[tuple[str, Entry]]] = {}  # session id -> every worksheet it uses
    for s in sessions:
        worksheets[s.id], uses[s.id] = [], []
        for ref in s.worksheets:
            entry = lib.resolve(ref, doc)
            if entry is None:
                continue
            if entry.key not in printed:
                printed[entry.key] = entry.id if entry.doc is doc else f"ws-{entry.doc.id}-{entry.id}"
                worksheets[s.id].append((printed[entry.key], entry))
            uses[s.id].append((printed[entry.key], entry))
    # The whole programme's workbook also prints the forms no session names; a phase's does not.
    unused = [] if variant.phase else [f for f in doc.forms if f"{doc.id}#{f.id}" not in printed]
    return {
        "phases": phases,
        "sessions": sessions,
        "worksheets": worksheets,
        "uses": uses,
        "unused_forms": unused,
        "evaluation": evaluation_form(sessions),
        "phase_hours": phase_hours,
        "module_hours": module_hours,
        "hours": sum(phase_hours(p) for p in phases),
        "only_phase": phases[0] if variant.phase else None,
        "running": f"{doc.title} {variant.subtitle()}",
    }


def _anchors(doc: Document, variant: Variant, lib: Library, view: dict) -> set[str]:
    if not isinstance(doc, Curriculum):
        return {e.id for e in lib.entries_of(doc) if e.item is not doc}
    ids = set()
    for phase in view["phases"]:
        ids.add(phase.id)
        for module in phase.modules:
            ids.add(module.id)
            ids.update(s.id for s in module.sessions)
    if variant.kind == "workbook":
        ids.update(anchor for pairs in view["worksheets"].values() for anchor, _ in pairs)
        ids.update(f.id for f in view["unused_forms"])
    return ids


def contents(body: str) -> list[tuple[int, str, str]]:
    """(level, id, text) of the headings marked data-toc: the 目次 mirrors the headings."""
    return [(h.level, h.id, h.text) for h in headings.read(body, marked_only=True)[0]]


# ------------------------------------------------------------------------- entry point


def qr_data_uri(url: str) -> str:
    import qrcode
    import qrcode.image.svg

    img = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=1)
    buf = io.BytesIO()
    img.save(buf)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


def render_print(doc: Document, lib: Library, variant: Variant | None = None, *, url: str | None = None) -> str:
    """The complete print HTML (cover, 目次, body) for one PDF of ``doc``; ``url`` is its online
    page, printed on the cover with a QR code."""
    variant = variant or Variant()
    if isinstance(doc, Curriculum):
        view = _curriculum_view(doc, variant, lib)
        template = variant.kind
    elif isinstance(doc, Standard):
        view, template = _standard_view(doc), "standard"
    elif isinstance(doc, Manual):
        view, template = {"running": doc.title}, "manual"
    else:  # pragma: no cover - the model has three kinds
        raise TypeError(type(doc))
    ctx = Context("print", lib, doc, PrintLinker(doc, _anchors(doc, variant, lib, view)))
    author = {"standard": lambda: doc.cover.publisher, "manual": lambda: doc.meta.publisher,
              "curriculum": lambda: doc.meta.organiser}[doc.kind]()
    context = {"author": author,
        "doc": doc, "lib": lib, "variant": variant, "ctx": ctx, "sign_in_sheet": sign_in_sheet,
        "qr": qr_data_uri(url) if url else None, "url": url, "css": Markup(CSS.read_text(encoding="utf-8")),
        **view,
    }
    env = environment()
    body = env.get_template(f"pdf/{template}.html").render(context)
    return env.get_template("pdf/page.html").render(context, body=Markup(body), toc=contents(body))
