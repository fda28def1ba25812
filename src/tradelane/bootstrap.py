"""The composition root: builds engine, unit of work and clock from Settings. No I/O at import."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from tradelane.clock import Clock, SystemClock
from tradelane.config import Settings
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
        migrate(self.engine)


def build(settings: Settings | None = None, *, clock: Clock | None = None) -> Tradelane:
    settings = settings or Settings()
    engine = make_engine(settings.resolved_database_url)
    return Tradelane(settings=settings, engine=engine, clock=clock or SystemClock())
