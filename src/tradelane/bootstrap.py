"""The composition root: builds engine, unit of work, clock and carrier bookings from Settings.
No I/O at import."""

from __future__ import annotations

from dataclasses import dataclass, field

import pydantic
from sqlalchemy import Engine

from tradelane.carriers.booking.accounts import KarrioAccount
from tradelane.carriers.booking.desk import BookingDesk
from tradelane.carriers.booking.transport import HttpxTransport, Transport
from tradelane.clock import Clock, SystemClock
from tradelane.config import Settings
from tradelane.files.errors import from_pydantic
from tradelane.store.engine import make_engine
from tradelane.store.migrate import migrate
from tradelane.store.uow import UnitOfWork

__all__ = ["Tradelane", "build"]


@dataclass
class Tradelane:
    settings: Settings
    engine: Engine
    clock: Clock = field(default_factory=SystemClock)
    transport: Transport = field(default_factory=HttpxTransport)  # carrier APIs go through it

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine)

    def migrate(self) -> None:
        migrate(self.engine)

    def bookings(self) -> BookingDesk:
        """Booking adapters per carrier; ValidationError naming the account path when
        TRADELANE_CARRIER_ACCOUNTS is malformed."""
        accounts = {}
        for carrier, document in self.settings.carrier_accounts.items():
            try:
                accounts[carrier] = KarrioAccount.model_validate(document)
            except pydantic.ValidationError as exc:
                where = "TRADELANE_CARRIER_ACCOUNTS"
                raise from_pydantic(exc, where=where, prefix=[carrier])[0] from None
        return BookingDesk(accounts, transport=self.transport)


def build(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    transport: Transport | None = None,
) -> Tradelane:
    settings = settings or Settings()
    engine = make_engine(settings.resolved_database_url)
    return Tradelane(
        settings=settings,
        engine=engine,
        clock=clock or SystemClock(),
        transport=transport or HttpxTransport(),
    )
