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

import re
from html.parser import HTMLParser

from markupsafe import Markup

from ..figures import picture as figure_picture
from ..library import INLINE_REF, Entry, Library
from ..models import Curriculum, Document, Manual, Standard
from ..render import headings  # noqa: F401
from ..render.context import Context
from ..render.env import environment
from ..render.places import page_url  # noqa: F401  (build.py prints it on the cover)
from ..rules.curriculum import module_hours, phase_hours
from .. import coursework

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
        return {"handbook": "", "trainer": "培训者手册", "workbook": "学员手册", "exam": "试卷"}[self.kind]


def variants(doc: Document) -> list[Variant]:
    if not isinstance(doc, Curriculum):
        return [Variant()]
    phases = [None, *(p.id for p in doc.phases)]
    found = [Variant(kind, phase) for phase in phases for kind in ("trainer", "workbook")]
    # One exam PDF per programme: every phase's papers, for participants (answers are in the trainer guide).
    return found + ([Variant("exam")] if coursework.papers(doc, doc.phases) else [])


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
        handouts = [r for m in [*s.materials, *(x for seg in s.agenda for x in seg.materials)] for r in INLINE_REF.findall(m)]
        for ref in dict.fromkeys([*s.worksheets, *handouts]):
            entry = lib.resolve(ref, doc)
            if entry is None or entry.kind != "form":
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
        "agendas": {s.id: coursework.agenda_rows(s) for s in sessions},
        "papers": coursework.papers(doc, phases),
        "pre_post": coursework.pre_post_items(doc) if not variant.phase else [],
        "rubrics": coursework.rubrics_of(doc, phases),
        "chain": coursework.chain(doc, lib, phases if variant.phase else None),
        "letters": coursework.LETTERS,
        "objective_label": coursework.objective_label,
        "answer_text": coursework.answer_text,
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
    if variant.kind == "exam":  # the paper prints no sessions or forms to link to
        return ids
    if variant.kind == "trainer":
        ids.update(r.id for r in view["rubrics"])
    for phase in view["phases"]:
        ids.add(phase.id)
        for module in phase.modules:
            ids.add(module.id)
            ids.update(s.id for s in module.sessions)
    if variant.kind == "workbook":
        ids.update(anchor for pairs in view["worksheets"].values() for anchor, _ in pairs)
        ids.update(f.id for f in view["unused_forms"])
    return ids


# ------------------------------------------------------------------------- contents from headings


class _Headings(HTMLParser):
    """Collect (level, id, text) of headings marked data-toc."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[int, str, str]] = []
        self.listed: list[tuple[str, str, str]] = []
        self._open: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-toc-label" in attrs:  # a figure or table listed in the 目次 (after the headings)
            self.listed.append((attrs.get("data-toc", ""), attrs.get("id", ""), attrs["data-toc-label"]))
            return
        if re.fullmatch(r"h[1-6]", tag) and "data-toc" in attrs:
            self._open = [int(attrs["data-toc"]), attrs.get("id", ""), [], tag]

    def handle_data(self, data):
        if self._open:
            self._open[2].append(data)

    def handle_endtag(self, tag):
        if self._open and tag == self._open[3]:
            level, anchor, parts, _ = self._open
            self.found.append((level, anchor, re.sub(r"\s+", " ", "".join(parts)).strip()))
            self._open = None


def contents(body: str) -> list[tuple[int | str, str, str]]:
    """The 目次: headings in order, then (GB/T 1.1—2020 8.2) the figures, then the tables."""
    parser = _Headings()
    parser.feed(body)
    figures = [e for e in parser.listed if e[0] == "figure"]
    tables = [e for e in parser.listed if e[0] == "table"]
    return parser.found + figures + tables


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
    source = lib.sources.get(doc.id)
    ctx.picture = lambda figure: Markup(figure_picture(figure, source.path if source else None))  # noqa: E731
    context = {"author": author, "picture": ctx.picture,
        "doc": doc, "lib": lib, "variant": variant, "ctx": ctx, "tx": ctx,
        "qr": qr_data_uri(url) if url else None, "url": url, "css": Markup(CSS.read_text(encoding="utf-8")),
        **view,
    }
    env = environment()
    body = env.get_template(f"pdf/{template}.html").render(context)
    return env.get_template("pdf/page.html").render(context, body=Markup(body), toc=contents(body))
