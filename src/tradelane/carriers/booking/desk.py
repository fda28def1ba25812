"""Which booking adapter books a channel's parcels: karrio for carriers with an account,
the manual line for every other carrier."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from tradelane.carriers.booking.accounts import KarrioAccount
from tradelane.carriers.booking.manual import ManualBooking
from tradelane.carriers.booking.transport import Transport
from tradelane.domain.catalog import Channel
from tradelane.services.ports import CarrierBooking

if TYPE_CHECKING:
    from tradelane.carriers.booking.karrio_booking import KarrioBooking

__all__ = ["BookingDesk"]


class BookingDesk:
    """Builds one adapter per carrier account on first use: loading karrio takes seconds, so
    commands that book nothing through it never pay for it."""

    def __init__(self, accounts: Mapping[str, KarrioAccount], *, transport: Transport) -> None:
        self._accounts = dict(accounts)
        self._transport = transport
        self._karrio: dict[str, KarrioBooking] = {}
        self._manual = ManualBooking()

    def __call__(self, channel: Channel) -> CarrierBooking:
        account = self._accounts.get(channel.carrier)
        if account is None:
            return self._manual
        if channel.carrier not in self._karrio:
            from tradelane.carriers.booking.karrio_booking import KarrioBooking  # karrio is slow

            self._karrio[channel.carrier] = KarrioBooking(account, transport=self._transport)
        return self._karrio[channel.carrier]
