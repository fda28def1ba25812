"""The tracking numbers still moving (not delivered, returned or lost), per carrier."""

from __future__ import annotations

from sqlalchemy import Connection, select

from tradelane.store.tables import shipments

__all__ = ["ActiveShipments"]


class ActiveShipments:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def by_carrier(self, carriers: list[str]) -> dict[str, list[str]]:
        """carrier -> its active tracking numbers (sorted), for the carriers named."""
        t = shipments
        rows = self._c.execute(
            select(t.c.carrier, t.c.tracking_number)
            .where(t.c.is_active.is_(True), t.c.carrier.in_(carriers))
            .order_by(t.c.carrier, t.c.tracking_number)
        )
        found: dict[str, list[str]] = {}
        for carrier, number in rows:
            found.setdefault(carrier, []).append(number)
        return found
