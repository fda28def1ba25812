"""Countries named in carriers' free-text locations ("Milan - Italy", "Lyon, FR")."""

from __future__ import annotations

import re
from functools import cache

import pycountry

from tradelane.domain.errors import ValidationError
from tradelane.domain.geo import country_code

__all__ = ["country_in_text", "optional_country"]

_SEPARATORS = re.compile(r"\s*[,\-]\s*")


@cache
def _by_name(name: str) -> str | None:
    try:
        found = pycountry.countries.lookup(name)
    except LookupError:
        return None
    return str(found.alpha_2)


def optional_country(value: object, *, field: str = "country") -> str | None:
    """An ISO alpha-2/alpha-3 code as alpha-2; None when absent or not a country code.

    A value that is not text at all (a number, a list) is a ValidationError naming `field`.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError("a country code must be text", field=field, value=value)
    if not value.strip():
        return None
    try:
        return country_code(value)
    except ValidationError:
        return None


def country_in_text(text: str | None, *, last_is_code: bool) -> str | None:
    """The country that ends a location text, or None when it names none.

    The last segment counts when it is a country name or an alpha-3 code; a two-letter last
    segment counts only when `last_is_code` (the carrier writes "City, ST, CC") because
    elsewhere it is usually a state or county ("Columbus, OH", "Feltham, SRY").
    """
    if not text:
        return None
    segments = [s for s in _SEPARATORS.split(text.strip()) if s]
    if len(segments) < 2:
        return None
    last = segments[-1]
    if len(last) == 2:
        return optional_country(last) if last_is_code else None
    if len(last) == 3 and last.isupper():
        return optional_country(last)
    return _by_name(last)
