"""The infrastructure a process runs on: settings, engine, clock, carrier transport.

Built by the composition root (bootstrap.py); the application object (application/) binds
the use cases on top of it. No I/O at import.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pydantic
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from tradelane.carriers.booking.accounts import KarrioAccount
from tradelane.carriers.booking.desk import BookingDesk
from tradelane.carriers.booking.transport import HttpxTransport, Transport
from tradelane.carriers.polling.endpoints import TRACKING_ENDPOINTS
from tradelane.clock import Clock, SystemClock
from tradelane.config import Settings
from tradelane.domain.errors import Unavailable, ValidationError
from tradelane.files.errors import from_pydantic
from tradelane.selection.conditions import FxTable
from tradelane.services.ports import TrackingSource
from tradelane.store.migrate import migrate
from tradelane.store.tenancy import DEFAULT_TENANT
from tradelane.store.uow import UnitOfWork

__all__ = ["Tradelane"]


@dataclass
class Tradelane:
    settings: Settings
    engine: Engine
    clock: Clock = field(default_factory=SystemClock)
    transport: Transport = field(default_factory=HttpxTransport)  # carrier APIs go through it
    tenant: str = DEFAULT_TENANT  # whose rows this process reads and writes

    @property
    def fx(self) -> FxTable:
        """The configured FX table (TRADELANE_FX_RATES, TRADELANE_SETTLEMENT_CURRENCY)."""
        return FxTable(self.settings.fx_rates, self.settings.settlement_currency)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine, tenant=self.tenant)

    def migrate(self) -> None:
        """Create or upgrade the schema; Unavailable when the database cannot be reached."""
        try:
            migrate(self.engine)
        except (OperationalError, InterfaceError) as exc:
            raise Unavailable(_unreachable(self.engine, exc)) from None

    def _accounts(self) -> dict[str, KarrioAccount]:
        """ValidationError naming the account path when TRADELANE_CARRIER_ACCOUNTS is
        malformed (never its values: they hold credentials)."""
        accounts = {}
        for carrier, document in self.settings.carrier_accounts.items():
            try:
                accounts[carrier] = KarrioAccount.model_validate(document)
            except pydantic.ValidationError as exc:
                first = from_pydantic(exc, where="TRADELANE_CARRIER_ACCOUNTS", prefix=[carrier])[0]
                raise ValidationError(first.message, field=first.field, where=first.where) from None
        return accounts

    def bookings(self) -> BookingDesk:
        """Booking adapters per carrier (karrio where an account is configured)."""
        return BookingDesk(self._accounts(), transport=self.transport)

    def tracking_sources(self) -> dict[str, TrackingSource]:
        """A karrio tracker per carrier account whose karrio carrier can be polled."""
        from tradelane.carriers.polling.karrio_tracking import KarrioTracker  # karrio is slow

        return {
            carrier: KarrioTracker(account, transport=self.transport)
            for carrier, account in self._accounts().items()
            if account.karrio_carrier in TRACKING_ENDPOINTS
        }


def _unreachable(engine: Engine, exc: DBAPIError) -> str:
    url = engine.url
    shown = url.render_as_string(hide_password=True)
    detail = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc).__name__
    if url.password:
        detail = detail.replace(str(url.password), "***")
    return f"cannot reach the database at {shown}: {detail}"
