"""Settings from the environment (prefix TRADELANE_) with defaults that need no setup.

TRADELANE_DATABASE_URL   SQLAlchemy URL; default: SQLite in the user data directory
TRADELANE_BROKER_URL     Celery broker (redis://, amqp://); default: in-process scheduler
TRADELANE_SETTLEMENT_CURRENCY  currency quotes and reports are shown in (default USD)
TRADELANE_FX_RATES       JSON mapping currency -> value of one unit in settlement currency
TRADELANE_WEBHOOKS       JSON mapping webhook URL -> its Standard Webhooks secret ("whsec_...")
TRADELANE_MONITORING_FILE  YAML/TOML of deviation-rule windows per channel and lane
TRADELANE_CARRIER_ACCOUNTS JSON mapping catalogue carrier -> karrio booking account (see
                           tradelane.carriers.booking.accounts); other carriers book manually
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "normalise_database_url"]

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


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRADELANE_", extra="ignore")

    data_dir: Path = Field(default_factory=lambda: Path(user_data_dir("tradelane")))
    database_url: str | None = None
    broker_url: str | None = None
    settlement_currency: str = "USD"
    fx_rates: dict[str, Decimal] = Field(default_factory=lambda: dict(DEFAULT_FX_TO_USD))
    webhooks: dict[str, str] = Field(default_factory=dict)
    monitoring_file: Path | None = None
    carrier_accounts: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return normalise_database_url(self.database_url)
        return f"sqlite:///{self.data_dir / 'tradelane.db'}"
