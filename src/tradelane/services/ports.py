"""Ports: what services need from parts wired in by the composition root (Protocols)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from tradelane.carriers.formats.parsed import ParsedTracking
from tradelane.domain.catalog import Catalogue, Channel
from tradelane.domain.money import Money
from tradelane.domain.orders import Order
from tradelane.monitoring.alerts import Alert, AlertEvent, AlertState, Resolution
from tradelane.monitoring.rules import RuleId
from tradelane.store.key_repository import StoredKey
from tradelane.store.repositories import StoredCatalogue
from tradelane.store.uow import UnitOfWork
from tradelane.switching.states import ActiveSwitch

__all__ = [
    "AlertOutbox",
    "AlertStore",
    "AlertWork",
    "Booking",
    "BookingRequest",
    "CarrierBooking",
    "CarrierBookings",
    "CatalogueStore",
    "CatalogueWork",
    "KeyStore",
    "KeyWork",
    "OrderStore",
    "OrderWork",
    "Reassigner",
    "TrackingSource",
    "Transaction",
]


class Reassigner(Protocol):
    """Re-assign orders that are not yet handed over, moving them off a switched channel.

    Called inside the caller's open unit of work: it writes through `uow` (supersedes the
    current assignment, stores the new one with cause "switch") and never commits, so the
    switch, the re-assignments and the notices land in one transaction. Returns order id ->
    new primary channel id for the orders it moved; an order with no eligible backup is left
    out of the result and stays where it is.
    """

    def __call__(
        self, order_ids: Sequence[str], *, away_from: ActiveSwitch, uow: UnitOfWork, now: datetime
    ) -> Mapping[str, str]: ...


@dataclass(frozen=True)
class BookingRequest:
    """Book one order's parcel on one channel. `quoted_cost` is the channel's rate for the
    order (settlement currency) when known; `tracking_number` one the user already has."""

    order: Order
    channel: Channel
    quoted_cost: Money | None
    at: datetime
    tracking_number: str | None = None


@dataclass(frozen=True)
class Booking:
    """What the carrier (or the seller, for a manual line) answered: the parcel's number."""

    tracking_number: str
    label_cost: Money | None
    booked_via: str  # "manual", "karrio:<carrier>"
    label: bytes | None = None  # the label document when the carrier returned one
    label_format: str = "pdf"  # file type of `label`: pdf, zpl, png


class CarrierBooking(Protocol):
    """Book a parcel with a carrier; raises a TradelaneError naming the carrier's refusal.

    Called outside any open unit of work (it may talk to the network); the caller records
    the hand-off of a successful booking in its own transaction.
    """

    def book(self, request: BookingRequest) -> Booking: ...


class CarrierBookings(Protocol):
    """Which CarrierBooking books parcels of a channel (karrio where configured, else manual)."""

    def __call__(self, channel: Channel) -> CarrierBooking: ...


class TrackingSource(Protocol):
    """A carrier's tracking API for one account: a request for up to `numbers_per_request`
    numbers, no more often than every `min_interval_s`. Raises a TradelaneError when the
    carrier cannot be reached or refuses the request."""

    numbers_per_request: int
    min_interval_s: float

    def track(self, numbers: Sequence[str]) -> ParsedTracking: ...


class AlertStore(Protocol):
    """The alerts a person works on (store/alert_repository.py is the SQL one)."""

    def get(self, alert_id: int) -> Alert: ...

    def find(
        self, *, states: Sequence[AlertState] = (), rule: RuleId | None = None, limit: int = 100
    ) -> list[Alert]: ...

    def count_by_state(self) -> dict[AlertState, int]: ...

    def set_state(
        self,
        alert_id: int,
        state: AlertState,
        *,
        expected: AlertState,
        now: datetime,
        resolution: Resolution = Resolution.MANUAL,
    ) -> None: ...


class AlertOutbox(Protocol):
    """Queues one message per alert and destination, in the caller's transaction."""

    def add_alert_events(
        self,
        event: AlertEvent,
        *,
        destinations: Sequence[str],
        now: datetime,
        alert_ids: Sequence[int] | None = None,
    ) -> int: ...


class Transaction(Protocol):
    """A unit of work: open it with `with`; what is not committed when it closes is rolled
    back. store/uow.py is the SQL one; tests/fake_uow.py one in memory."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...


class AlertWork(Transaction, Protocol):
    """The unit of work of the alert use cases."""

    @property
    def alerts(self) -> AlertStore: ...

    @property
    def outbox(self) -> AlertOutbox: ...


class OrderStore(Protocol):
    """Orders as stored: which ids are taken, and adding validated orders."""

    def existing_ids(self, order_ids: Sequence[str]) -> set[str]: ...

    def add_many(self, batch: Sequence[Order], *, now: datetime) -> None: ...


class OrderWork(Transaction, Protocol):
    """The unit of work of the order import."""

    @property
    def orders(self) -> OrderStore: ...


class KeyStore(Protocol):
    """API keys and tenants as stored (store/key_repository.py is the SQL one)."""

    def ensure_tenant(self, tenant_id: str, *, now: datetime) -> None: ...

    def add(self, key: StoredKey) -> None: ...

    def find(self, key_id: str) -> StoredKey | None: ...

    def all(self, *, tenant_id: str | None = None) -> list[StoredKey]: ...

    def revoke(self, key_id: str, *, now: datetime) -> StoredKey: ...


class KeyWork(Transaction, Protocol):
    """The unit of work of the API key use cases."""

    @property
    def keys(self) -> KeyStore: ...


class CatalogueStore(Protocol):
    """Catalogue versions as stored: add one, read the tenant's active (latest) one."""

    def add(self, catalogue: Catalogue, *, source: str, now: datetime) -> int: ...

    def latest(self) -> StoredCatalogue | None: ...


class CatalogueWork(Transaction, Protocol):
    """The unit of work of installing and reading catalogues."""

    @property
    def catalogues(self) -> CatalogueStore: ...
