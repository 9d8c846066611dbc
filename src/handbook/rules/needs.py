"""Completeness stated on the model's fields (``Need`` in models.py): present, not empty, positive.

The same statements become the JSON Schema's required, minItems, pattern and exclusiveMinimum
(schema.py), so the editor and ``check`` refuse the same things.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from ..loader import walk
from ..models import Need, Node, marks
from ..problems import Problem
from ..yamlsource import Source


@cache
def needs_of(model: type[Node]) -> tuple[tuple[str, Need], ...]:
    return tuple((name, need) for name, field in model.model_fields.items() for need in marks(field, Need))


def check(doc: Node, src: Source) -> Iterator[Problem]:
    for node, path in walk(doc, ()):
        for name, need in needs_of(type(node)):
            value = getattr(node, name)
            if need.broken(value):
                message = need.message.format(noun=node.noun, title=getattr(node, "title", ""), value=value,
                                              count=len(value) if isinstance(value, list) else 0)
                yield src.problem(path + (name,), need.code, message)
