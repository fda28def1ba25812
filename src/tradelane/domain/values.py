"""Field values as users write them: plain numbers and text the store can hold.

`PlainNumber` is a before-validator: text must be a plain decimal number (`12`, `-0.5`,
`1.2e3`), so `1_0`, `0x10`, `NaN` and `Infinity` are "not a number"; floats must be finite.
`StoredText` refuses control characters (NUL and the other C0/C1 codes), which PostgreSQL
cannot store and no address or SKU contains.
"""

from __future__ import annotations

import math
import re
import unicodedata

from pydantic import AfterValidator, BeforeValidator

__all__ = ["PlainNumber", "StoredText", "plain_number", "stored_text"]

_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def plain_number(value: object) -> object:
    """`value` unchanged when it is a plain number; ValueError naming the problem otherwise."""
    if isinstance(value, bool):
        raise ValueError("not a number (a true/false value)")
    if isinstance(value, str):
        text = value.strip()
        if not _PLAIN.fullmatch(text):
            raise ValueError("not a number")
        return text
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("not a finite number")
    return value


def stored_text(value: str) -> str:
    """`value` unchanged unless it holds a control character (ValueError naming it)."""
    for char in value:
        if unicodedata.category(char) == "Cc":
            raise ValueError(f"contains the control character U+{ord(char):04X}")
    return value


PlainNumber = BeforeValidator(plain_number)
StoredText = AfterValidator(stored_text)
