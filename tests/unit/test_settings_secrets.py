"""Secrets in settings are never shown: not in repr, not in printed URLs."""

from __future__ import annotations

import pytest

from tradelane.config import Settings, redact_url

SECRET = "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"


def test_the_settings_repr_shows_no_password_and_no_webhook_secret() -> None:
    settings = Settings(
        database_url="postgresql://app:hunter2@db.internal/tradelane",
        broker_url="redis://:brokerpw@cache:6379/0",
        webhooks={"https://seller.example/hook": SECRET},
    )
    shown = repr(settings) + str(settings)
    assert "hunter2" not in shown and "brokerpw" not in shown and SECRET not in shown


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql+psycopg://app:hunter2@db:5432/t", "postgresql+psycopg://app:***@db:5432/t"),
        ("redis://:pw@cache:6379/0", "redis://:***@cache:6379/0"),
        ("amqp://guest@broker//", "amqp://guest@broker//"),
        ("https://h.example/x?token=abc&a=1", "https://h.example/x?token=***&a=1"),
        ("sqlite:////var/lib/tradelane/tradelane.db", "sqlite:////var/lib/tradelane/tradelane.db"),
    ],
)
def test_a_url_is_shown_with_its_password_and_secret_query_values_hidden(
    url: str, shown: str
) -> None:
    assert redact_url(url) == shown
