"""Settings from the environment (prefix TRADELANE_) with defaults that need no setup.

TRADELANE_DATABASE_URL   SQLAlchemy URL; default: SQLite in the user data directory
TRADELANE_BROKER_URL     Celery broker (redis://, amqp://); default: in-process scheduler
TRADELANE_SETTLEMENT_CURRENCY  currency quotes and reports are shown in (default USD)
TRADELANE_FX_RATES       JSON mapping currency -> value of one unit in settlement currency
TRADELANE_WEBHOOKS       JSON mapping webhook URL -> its Standard Webhooks secret ("whsec_...")
TRADELANE_MONITORING_FILE  YAML/TOML of deviation-rule windows per channel and lane
TRADELANE_AFTERSHIP_WEBHOOK_SECRET  AfterShip webhook secret(s) of /webhooks/tracking/aftership
TRADELANE_17TRACK_API_KEY  17TRACK API key(s) that sign POST /webhooks/tracking/17track
TRADELANE_TRACKING_WEBHOOK_SECRET  Standard Webhooks secret(s) ("whsec_...") of the generic feed
                           (each of the three: two, comma-separated, while a secret is rotated)
TRADELANE_WEBHOOK_BATCH    inbound webhooks committed together at most (default 200; 1 = one
                           commit per request)
TRADELANE_QUEUE            the broker queue of this deployment's tasks (default tradelane)
TRADELANE_TICK_INTERVAL_S  seconds between two scheduled ticks (poll, sweep, switching, outbox;
                           default 300)
TRADELANE_TASK_TIME_LIMIT_S  a worker task is killed after this many seconds (default 900)
TRADELANE_VISIBILITY_TIMEOUT_S  seconds after which Redis hands an unacknowledged task to
                           another worker (default 3600; must exceed the task time limit)
TRADELANE_CARRIER_ACCOUNTS JSON mapping catalogue carrier -> karrio booking account (see
                           tradelane.carriers.booking.accounts); other carriers book manually

A malformed variable is a ValidationError naming it; the values of secret-bearing variables
(database and broker URLs, webhook secrets, carrier accounts) are never shown, in errors or
in `repr`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field
from pydantic import ValidationError as PydanticValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

from tradelane.domain.errors import ValidationError

__all__ = ["ENV_PREFIX", "Settings", "normalise_database_url", "redact_url"]

ENV_PREFIX = "TRADELANE_"
SECRET_FIELDS = frozenset(
    {
        "database_url",
        "broker_url",
        "webhooks",
        "carrier_accounts",
        "aftership_webhook_secret",
        "seventeen_track_api_key",
        "tracking_webhook_secret",
    }
)
REDACTED = "***"
_SECRET_QUERY = re.compile(r"((?:password|passwd|pwd|secret|token|api_?key)=)[^&]*", re.IGNORECASE)

# Illustrative FX (USD per unit, late 2026 order of magnitude): replace with your treasury's table.
DEFAULT_FX_TO_USD = {
    "USD": Decimal("1"),
    "EUR": Decimal("1.08"),
    "GBP": Decimal("1.27"),
    "CNY": Decimal("0.139"),
    "CAD": Decimal("0.72"),
    "AUD": Decimal("0.65"),
    "BRL": Decimal("0.18"),
    "MXN": Decimal("0.055"),
    "SGD": Decimal("0.74"),
}


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs given without a driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def redact_url(url: str) -> str:
    """`url` with the password in its user info and secret query values replaced by ***."""
    netloc = urlsplit(url).netloc
    userinfo, at, host = netloc.rpartition("@")
    if at and ":" in userinfo:
        url = url.replace(netloc, f"{userinfo.partition(':')[0]}:{REDACTED}@{host}", 1)
    head, mark, query = url.partition("?")
    return head + mark + _SECRET_QUERY.sub(rf"\g<1>{REDACTED}", query)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    data_dir: Path = Field(default_factory=lambda: Path(user_data_dir("tradelane")))
    database_url: str | None = Field(default=None, repr=False)
    broker_url: str | None = Field(default=None, repr=False)
    settlement_currency: str = "USD"
    fx_rates: dict[str, Decimal] = Field(default_factory=lambda: dict(DEFAULT_FX_TO_USD))
    webhooks: dict[str, str] = Field(default_factory=dict, repr=False)
    monitoring_file: Path | None = None
    carrier_accounts: dict[str, dict[str, Any]] = Field(default_factory=dict, repr=False)
    aftership_webhook_secret: str = Field(default="", repr=False)
    seventeen_track_api_key: str = Field(
        default="",
        repr=False,
        validation_alias=AliasChoices("TRADELANE_17TRACK_API_KEY", "seventeen_track_api_key"),
    )
    tracking_webhook_secret: str = Field(default="", repr=False)
    webhook_batch: int = Field(default=200, ge=1, le=10_000)
    queue: str = Field(default="tradelane", pattern=r"^[A-Za-z0-9_.-]{1,100}$")
    tick_interval_s: int = Field(default=300, ge=1, le=86_400)
    task_time_limit_s: int = Field(default=900, ge=1, le=86_400)
    visibility_timeout_s: int = Field(default=3600, ge=1, le=7 * 86_400)

    def __init__(self, **values: Any) -> None:
        """Read the environment; a malformed variable is a ValidationError naming it."""
        try:
            super().__init__(**values)
        except SettingsError as exc:
            raise _unparsable(exc) from None
        except PydanticValidationError as exc:
            raise _invalid(exc) from None

    def webhook_secrets(self, setting: str) -> list[str]:
        """The secrets of one inbound webhook setting (its variable name), in order."""
        field = setting.removeprefix(ENV_PREFIX).lower().replace("17track", "seventeen_track")
        return [part for part in re.split(r"[,\s]+", str(getattr(self, field))) if part]

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return normalise_database_url(self.database_url)
        return f"sqlite:///{self.data_dir / 'tradelane.db'}"


def _variable(field: str) -> str:
    return f"{ENV_PREFIX}{field.upper()}"


def _unparsable(exc: SettingsError) -> ValidationError:
    """pydantic-settings only says `error parsing value for field "x" from source …`."""
    found = re.search(r'field "([a-z_]+)"', str(exc))
    field = found.group(1) if found else ""
    shape = (
        "a JSON object"
        if field in {"fx_rates", "webhooks", "carrier_accounts"}
        else "a valid value"
    )
    return ValidationError(f"is not {shape}", field=_variable(field) if field else "settings")


def _invalid(exc: PydanticValidationError) -> ValidationError:
    error = exc.errors()[0]
    location = [str(part) for part in error["loc"]]
    field = location[0] if location else ""
    inner = f" at {'.'.join(location[1:])!r}" if len(location) > 1 else ""
    if field in SECRET_FIELDS:
        return ValidationError(f"{error['msg']}{inner}", field=_variable(field))
    return ValidationError(
        f"{error['msg']}{inner}", field=_variable(field), value=error.get("input")
    )
