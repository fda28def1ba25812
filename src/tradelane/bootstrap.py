"""The composition root: builds engine, unit of work and clock from Settings. No I/O at import.

A database URL that cannot be used, or a database that cannot be reached, is a one-line
tradelane error naming the URL with its password hidden, never a driver traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    InterfaceError,
    NoSuchModuleError,
    OperationalError,
)

from tradelane.clock import Clock, SystemClock
from tradelane.config import Settings, redact_url
from tradelane.domain.errors import Unavailable, ValidationError
from tradelane.selection.conditions import FxTable
from tradelane.store.engine import make_engine
from tradelane.store.migrate import migrate
from tradelane.store.uow import UnitOfWork

__all__ = ["Tradelane", "build"]


@dataclass
class Tradelane:
    settings: Settings
    engine: Engine
    clock: Clock = field(default_factory=SystemClock)

    @property
    def fx(self) -> FxTable:
        """The configured FX table (TRADELANE_FX_RATES, TRADELANE_SETTLEMENT_CURRENCY)."""
        return FxTable(self.settings.fx_rates, self.settings.settlement_currency)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine)

    def migrate(self) -> None:
        """Create or upgrade the schema; Unavailable when the database cannot be reached."""
        try:
            migrate(self.engine)
        except (OperationalError, InterfaceError) as exc:
            raise Unavailable(_unreachable(self.engine, exc)) from None


def build(settings: Settings | None = None, *, clock: Clock | None = None) -> Tradelane:
    settings = settings or Settings()
    url = settings.resolved_database_url
    try:
        engine = make_engine(url)
    except (ArgumentError, NoSuchModuleError) as exc:
        reason = str(exc).replace(url, redact_url(url)).splitlines()[0]
        raise ValidationError(
            f"is not a usable database URL ({reason})", field="TRADELANE_DATABASE_URL"
        ) from None
    return Tradelane(settings=settings, engine=engine, clock=clock or SystemClock())


def _unreachable(engine: Engine, exc: DBAPIError) -> str:
    url = engine.url
    shown = url.render_as_string(hide_password=True)
    detail = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc).__name__
    if url.password:
        detail = detail.replace(str(url.password), "***")
    return f"cannot reach the database at {shown}: {detail}"
