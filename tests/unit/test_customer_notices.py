"""Customer notice templates render in every language, chosen from the destination country."""

from __future__ import annotations

import pytest
from jinja2 import UndefinedError

from tradelane.notifications.notices import LANGUAGES, NoticeKind, language_for, render_notice

COUNTRY_OF = {"en": "US", "de": "DE", "es": "MX", "fr": "FR", "zh": "CN", "pt": "BR"}
CONTEXT = {
    "order_id": "ORD-77",
    "tracking_number": "LX123456789CN",
    "channel_name": "YunExpress Global Direct line",
    "eta": "2026-12-03",
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(NoticeKind))
def test_every_notice_renders_in_every_language(language: str, kind: NoticeKind) -> None:
    notice = render_notice(kind, country=COUNTRY_OF[language], **CONTEXT)
    assert notice.language == language
    assert "ORD-77" in notice.body
    assert notice.subject and "\n" not in notice.subject
    assert "{{" not in notice.body and "{%" not in notice.body
    if kind in (NoticeKind.DELAY, NoticeKind.CUSTOMS_HOLD):
        assert "LX123456789CN" in notice.subject and "2026-12-03" in notice.body
    if kind is NoticeKind.REROUTED:
        assert "LX123456789CN" in notice.body and "2026-12-03" in notice.body


def test_languages_differ_so_no_template_was_copied_untranslated() -> None:
    bodies = {
        language: render_notice(NoticeKind.DELAY, country=country, **CONTEXT).body
        for language, country in COUNTRY_OF.items()
    }
    assert len(set(bodies.values())) == len(LANGUAGES)


@pytest.mark.parametrize(
    ("country", "language"),
    [
        ("AT", "de"),
        ("CH", "de"),
        ("BE", "fr"),
        ("ES", "es"),
        ("AR", "es"),
        ("PT", "pt"),
        ("TW", "zh"),
        ("GB", "en"),
        ("JP", "en"),
        ("us", "en"),
    ],
)
def test_language_follows_the_destination_country_with_english_fallback(
    country: str, language: str
) -> None:
    assert language_for(country) == language


def test_backup_notice_without_an_eta_leaves_the_line_out() -> None:
    notice = render_notice(
        NoticeKind.BACKUP_CHANNEL, country="DE", order_id="ORD-1", channel_name="X", eta=None
    )
    assert "Voraussichtliche Zustellung" not in notice.body
    assert "X" in notice.subject


def test_a_missing_variable_is_an_error_not_blank_text() -> None:
    with pytest.raises(UndefinedError):
        render_notice(NoticeKind.DELAY, country="US", order_id="ORD-1")
