"""Tracking formats: one sub-package per source, each a pure parser plus a readable code table.

`parse_tracking(payload, format=..., assume_tz=...)` dispatches by format name (FORMATS).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, tzinfo
from importlib import import_module

from tradelane.carriers.formats.parsed import ParsedTracking
from tradelane.domain.errors import ValidationError

__all__ = ["FORMATS", "SHAPE_ERRORS", "parse_tracking"]

# What reading a document of the wrong shape raises (a list where an object belongs, a number
# where text does): a payload error, never a crash. Tradelane's own errors pass through.
SHAPE_ERRORS = (AttributeError, TypeError, KeyError, IndexError, ValueError, RecursionError)

# format name -> module whose `parse(payload, *, assume_tz)` reads it (imported on first use:
# the karrio carrier packages are large).
FORMATS: dict[str, str] = {
    "dhl_express": "tradelane.carriers.formats.dhl_express.parse",
    "mydhl": "tradelane.carriers.formats.mydhl.parse",
    "fedex": "tradelane.carriers.formats.fedex.parse",
    "ups": "tradelane.carriers.formats.ups.parse",
    "dhl_universal": "tradelane.carriers.formats.dhl_universal.parse",
    "landmark": "tradelane.carriers.formats.landmark.parse",
    "asendia": "tradelane.carriers.formats.asendia.parse",
    "usps_international": "tradelane.carriers.formats.usps_international.parse",
    "aftership": "tradelane.carriers.formats.aftership.parse",
    "17track": "tradelane.carriers.formats.seventeen_track.parse",
    "yunexpress": "tradelane.carriers.formats.yunexpress.parse",
    "cainiao": "tradelane.carriers.formats.cainiao.parse",
    "4px": "tradelane.carriers.formats.fourpx.parse",
    "yanwen": "tradelane.carriers.formats.yanwen.parse",
    "chinapost": "tradelane.carriers.formats.chinapost.parse",
    "generic": "tradelane.carriers.formats.generic.parse",
    "csv": "tradelane.carriers.formats.csv.parse",
}


def parse_tracking(
    payload: str | bytes, *, format: str, assume_tz: tzinfo = UTC, where: str = ""
) -> ParsedTracking:
    """Parse one payload; ValidationError names the format when it is unknown.

    `assume_tz` is the zone of carrier times that carry no offset (DHL Express XML, Landmark).
    A document whose shape is not the format's is a ValidationError naming the format.
    """
    if format not in FORMATS:
        raise ValidationError(
            f"unknown tracking format (known: {', '.join(FORMATS)})", field="format", value=format
        )
    parser: Callable[..., ParsedTracking] = import_module(FORMATS[format]).parse
    where = where or format
    try:
        return parser(payload, assume_tz=assume_tz, where=where)
    except SHAPE_ERRORS as exc:
        raise ValidationError(
            f"not a readable {format} payload: {type(exc).__name__}: {exc}"[:300],
            field="payload",
            where=where,
        ) from exc
