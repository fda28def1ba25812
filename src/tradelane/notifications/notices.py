"""Customer notices rendered from the packaged Jinja2 templates, in the buyer's language.

    render_notice(NoticeKind.DELAY, country="DE", order_id=..., tracking_number=..., eta=...)

Templates live in `tradelane/data/templates/<language>/<kind>.j2`: the text is the body, and a
`{% set subject %}` at the top holds the subject line. The language follows the destination
country (German for DE/AT/CH, ...) and falls back to English. Undefined template variables
are errors, never blank text.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

__all__ = ["LANGUAGES", "Notice", "NoticeKind", "language_for", "render_notice"]

LANGUAGES = ("en", "de", "es", "fr", "zh", "pt")
_LANGUAGE_OF_COUNTRY = {
    **dict.fromkeys(["DE", "AT", "CH", "LI"], "de"),
    **dict.fromkeys(["FR", "BE", "LU", "MC"], "fr"),
    **dict.fromkeys(
        ["ES", "MX", "AR", "CL", "CO", "PE", "EC", "UY", "PY", "BO", "VE", "CR", "PA", "GT", "DO"],
        "es",
    ),
    **dict.fromkeys(["BR", "PT"], "pt"),
    **dict.fromkeys(["CN", "TW", "HK", "MO"], "zh"),  # simplified Chinese text for all four
}


class NoticeKind(StrEnum):
    BACKUP_CHANNEL = "backup_channel"  # the order ships via a backup channel
    DELAY = "delay"  # delay detected, new ETA
    CUSTOMS_HOLD = "customs_hold"  # the parcel waits in customs


@dataclass(frozen=True)
class Notice:
    kind: NoticeKind
    language: str
    subject: str
    body: str


def language_for(country: str) -> str:
    """The notice language for a destination country (ISO alpha-2); English otherwise."""
    return _LANGUAGE_OF_COUNTRY.get(country.upper(), "en")


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("tradelane", "data/templates"),
        undefined=StrictUndefined,
        autoescape=False,  # plain-text messages, never HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # packaged templates do not change under a running process
    )


def render_notice(kind: NoticeKind, *, country: str, **context: Any) -> Notice:
    """Render `kind` for a buyer in `country`; jinja2.UndefinedError if a variable is missing."""
    language = language_for(country)
    template = _environment().get_template(f"{language}/{kind.value}.j2")
    rendered = template.make_module(context)  # one pass: the body, and `subject` set inside
    return Notice(
        kind=kind,
        language=language,
        subject=str(getattr(rendered, "subject", "")).strip(),
        body=str(rendered).strip(),
    )
