"""The read side the API and the dashboard show: the tenant's orders, alerts and switches a
page at a time by cursor, one order with its current assignment, and whether a row is the
tenant's. Every read is scoped by the application's tenant (store/tenant_views.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from tradelane.application.base import ApplicationBase
from tradelane.domain.errors import NotFound
from tradelane.domain.orders import Order
from tradelane.monitoring.alerts import Alert, AlertState
from tradelane.selection.decision import AssignmentRecord
from tradelane.switching.states import SwitchRecord

__all__ = ["OrderWithAssignment", "Paged", "QueryUseCases"]

Row = TypeVar("Row")
Key = TypeVar("Key")


@dataclass(frozen=True)
class Paged(Generic[Row, Key]):
    """One page of rows; `next_after` is the key the next page continues after (None: this
    page is the last)."""

    items: list[Row]
    next_after: Key | None


@dataclass(frozen=True)
class OrderWithAssignment:
    order: Order
    assignment: AssignmentRecord | None  # None before the order is assigned


class QueryUseCases(ApplicationBase):
    def order_page(self, *, after: str | None, limit: int) -> Paged[Order, str]:
        """The tenant's orders in id order, those after order id `after` (None: the first)."""
        with self.uow() as uow:
            ids = uow.views.order_ids_after(after, limit=limit + 1)
            page = uow.orders.get_many(ids[:limit])
        more = len(ids) > limit
        return Paged(page, page[-1].order_id if more else None)

    def order_with_assignment(self, order_id: str) -> OrderWithAssignment:
        """One of the tenant's orders and its current assignment; NotFound otherwise."""
        with self.uow() as uow:
            if not uow.views.owns_order(order_id):
                raise NotFound("order", order_id)
            return OrderWithAssignment(uow.orders.get(order_id), uow.assignments.current(order_id))

    def alert_page(
        self, *, before: int | None, limit: int, states: Sequence[AlertState]
    ) -> Paged[Alert, int]:
        """The alerts of the tenant's parcels newest first, in `states`, those below alert id
        `before` (None: from the newest)."""
        wanted = [state.value for state in states]
        with self.uow() as uow:
            ids = uow.views.owned_alert_ids(before=before, limit=limit + 1, states=wanted)
            page = [uow.alerts.get(alert_id) for alert_id in ids[:limit]]
        more = len(ids) > limit
        return Paged(page, page[-1].id if more else None)

    def alert(self, alert_id: int) -> Alert:
        """An alert of one of the tenant's parcels; NotFound otherwise."""
        with self.uow() as uow:
            if not uow.views.owned_alert_ids(before=None, limit=1, alert_id=alert_id):
                raise NotFound("alert", alert_id)
            return uow.alerts.get(alert_id)

    def switch_page(
        self, *, before: int | None, limit: int, open_only: bool = False
    ) -> Paged[SwitchRecord, int]:
        """The tenant's switches newest first, those below switch id `before` (None: from the
        newest); `open_only` drops the ended ones from the page, not from the paging."""
        with self.uow() as uow:
            ids = uow.views.owned_switch_ids(before=before, limit=limit + 1)
            records = [uow.switches.get(switch_id) for switch_id in ids[:limit]]
        shown = [r for r in records if r.is_open or not open_only]
        more = len(ids) > limit
        return Paged(shown, records[-1].switch_id if more else None)

    def owns_order(self, order_id: str) -> bool:
        with self.uow() as uow:
            return uow.views.owns_order(order_id)

    def owns_shipment(self, tracking_number: str) -> bool:
        """Whether the parcel's order is the tenant's."""
        with self.uow() as uow:
            return uow.views.owns_shipment(tracking_number)

    def owns_alert(self, alert_id: int) -> bool:
        """Whether the alert's parcel is the tenant's."""
        with self.uow() as uow:
            return bool(uow.views.owned_alert_ids(before=None, limit=1, alert_id=alert_id))

    def owns_switch(self, switch_id: int) -> bool:
        with self.uow() as uow:
            return bool(uow.views.owned_switch_ids(before=None, limit=1, switch_id=switch_id))
