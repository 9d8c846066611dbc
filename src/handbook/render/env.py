"""The one Jinja environment of both outputs: autoescaping, StrictUndefined.

Templates are found by prefix: the shared macros as ``macros.html``, the site's page templates as
``site/…`` and the print templates as ``pdf/…``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined
from markupsafe import Markup

from ..review.status import draft_notice
from . import gbt, labels

PACKAGE = Path(__file__).resolve().parent.parent
TEMPLATES = {"site": PACKAGE / "site" / "templates", "pdf": PACKAGE / "pdf" / "templates"}


def hours(value: float | None) -> str:
    """Hours as editors write them: 2, 1.5 (never 2.0)."""
    return "" if value is None else f"{value:g}"


def css_string(value: str) -> Markup:
    """Content as a CSS string literal, the one place content enters CSS (running headers):
    every character but letters, digits, CJK and space is a CSS escape, so no quote, newline,
    backslash or "</style>" in a title can end the string or the style sheet."""
    escaped = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in str(value))
    return Markup(f'"{escaped}"')


@cache
def environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader([
            FileSystemLoader(str(Path(__file__).parent / "templates")),
            PrefixLoader({name: FileSystemLoader(str(path)) for name, path in TEMPLATES.items()}),
        ]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["hours"] = hours
    env.filters["cssstr"] = css_string
    env.globals["gbt"] = gbt
    env.globals["labels"] = labels
    env.globals["draft_notice"] = draft_notice
    return env
