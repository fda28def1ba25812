"""Customer notices rendered from the packaged Jinja2 templates, in the buyer's language.

    render_notice(NoticeKind.DELAY, country="DE", order_id=..., tracking_number=..., eta=...)
    notice_event(NoticeKind.DELAY, country="DE", order_id=..., cause=delay_cause("no_arrival"), ...)

When a buyer hears from us (issue: notices with precision): only when the parcel's revised ETA
has moved past the promise (`delay`, `customs_hold`) or the parcel was moved to another
channel (`rerouted`, `backup_channel`), and once per cause: the store keeps one row per
(order, cause) and never writes a second notice for it. A delay's cause is the deviation rule
that showed it, a move's cause the re-route or switch record.

Templates live in `tradelane/data/templates/<language>/<kind>.j2`: the text is the body, and a
`{% set subject %}` at the top holds the subject line. The language follows the destination
country (German for DE/AT/CH, ...) and falls back to English. Undefined template variables
are errors, never blank text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

__all__ = [
    "CUSTOMER_TOPIC",
    "LANGUAGES",
    "Notice",
    "NoticeKind",
    "by_day",
    "delay_cause",
    "delay_kind",
    "language_for",
    "notice_event",
    "render_notice",
    "reroute_cause",
    "switch_cause",
]

CUSTOMER_TOPIC = "customer.notice"

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
    REROUTED = "rerouted"  # a parcel already handed over moves to another channel


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


def delay_cause(rule: str) -> str:
    """The cause of a delay notice: the deviation rule that showed the delay."""
    return f"delay:{rule}"


def reroute_cause(reroute_id: int) -> str:
    return f"reroute:{reroute_id}"


def switch_cause(switch_id: int) -> str:
    """The cause of a notice a switch sent: the switch record."""
    return f"switch:{switch_id}"


def delay_kind(rule: str) -> NoticeKind:
    """The template for a delay shown by `rule`: customs' own for a customs hold."""
    return NoticeKind.CUSTOMS_HOLD if rule == "customs_hold" else NoticeKind.DELAY


def by_day(moment: datetime) -> date:
    """The first calendar day (UTC) by whose end `moment` has passed: "delivered by" that day."""
    day = moment.date()
    return day if moment.time() == time() else day + timedelta(days=1)


def notice_event(
    kind: NoticeKind, *, order_id: str, country: str, cause: str, **context: Any
) -> tuple[str, dict[str, Any]]:
    """The outbox event (topic, data) of one rendered notice; string and integer context
    (tracking number, ETA, switch id...) travels along."""
    notice = render_notice(kind, country=country, order_id=order_id, **context)
    return CUSTOMER_TOPIC, {
        "kind": kind.value,
        "language": notice.language,
        "subject": notice.subject,
        "body": notice.body,
        "order_id": order_id,
        "country": country,
        "cause": cause,
        **{k: v for k, v in context.items() if isinstance(v, str | int)},
    }
