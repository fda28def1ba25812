"""Parse one JSON document from text, with every way it can fail named.

Beyond syntax errors: `NaN`/`Infinity` (not JSON), integers longer than Python converts
(4,300 digits) and nesting too deep for the parser all become ValidationError at `where`.
"""

from __future__ import annotations

import json
from typing import Any

from tradelane.domain.errors import ValidationError

__all__ = ["parse_json"]

SHOWN_CHARS = 80


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json(text: str | bytes, *, where: str) -> Any:
    """The document in `text`; ValidationError ("not valid JSON: ...") otherwise."""
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        problem = f"{exc.msg} (at character {exc.pos})"
    except RecursionError:
        problem = "nested too deeply"
    except ValueError as exc:  # over-long integers, NaN/Infinity
        problem = str(exc).split(";")[0]
    shown = text[:SHOWN_CHARS]
    value = shown.decode("utf-8", "replace") if isinstance(shown, bytes) else shown
    raise ValidationError(f"not valid JSON: {problem}", where=where, value=value)
