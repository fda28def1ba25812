"""A unit of work in memory for service tests: orders, alerts and the outbox as plain
collections, API keys and catalogues, commits counted, and changes kept only when committed
(leaving without commit rolls back). It satisfies the ports of services/ports.py (AlertWork,
OrderWork, KeyWork, CatalogueWork)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import TracebackType
from typing import Self

from tradelane.domain.catalog import Catalogue
from tradelane.domain.errors import Conflict, NotFound
from tradelane.domain.orders import Order
from tradelane.monitoring.alerts import Alert, AlertEvent, AlertState, Resolution
from tradelane.monitoring.rules import RuleId
from tradelane.store.key_repository import StoredKey
from tradelane.store.repositories import StoredCatalogue


@dataclass
class FakeAlerts:
    rows: dict[int, Alert] = field(default_factory=dict)

    def get(self, alert_id: int) -> Alert:
        if alert_id not in self.rows:
            raise NotFound("alert", alert_id)
        return self.rows[alert_id]

    def find(
        self, *, states: Sequence[AlertState] = (), rule: RuleId | None = None, limit: int = 100
    ) -> list[Alert]:
        found = [
            a
            for a in sorted(self.rows.values(), key=lambda a: -a.id)
            if (not states or a.state in states) and (rule is None or a.rule is rule)
        ]
        return found[:limit]

    def count_by_state(self) -> dict[AlertState, int]:
        counts: dict[AlertState, int] = {}
        for alert in self.rows.values():
            counts[alert.state] = counts.get(alert.state, 0) + 1
        return counts

    def set_state(
        self,
        alert_id: int,
        state: AlertState,
        *,
        expected: AlertState,
        now: datetime,
        resolution: Resolution = Resolution.MANUAL,
    ) -> None:
        current = self.get(alert_id)
        if current.state is not expected:
            raise Conflict(f"alert {alert_id} changed meanwhile")
        changes: dict[str, object] = {"state": state}
        if state is AlertState.ACKNOWLEDGED:
            changes["acknowledged_at"] = now
        if state is AlertState.RESOLVED:
            changes |= {"resolved_at": now, "resolution": resolution}
        self.rows[alert_id] = replace(current, **changes)  # type: ignore[arg-type]


@dataclass
class FakeOutbox:
    messages: list[tuple[AlertEvent, str, int]] = field(default_factory=list)

    def add_alert_events(
        self,
        event: AlertEvent,
        *,
        destinations: Sequence[str],
        now: datetime,
        alert_ids: Sequence[int] | None = None,
    ) -> int:
        added = [(event, d, a) for a in alert_ids or () for d in destinations]
        self.messages += added
        return len(added)


@dataclass
class FakeOrders:
    rows: dict[str, Order] = field(default_factory=dict)

    def existing_ids(self, order_ids: Sequence[str]) -> set[str]:
        return {i for i in order_ids if i in self.rows}

    def add_many(self, batch: Sequence[Order], *, now: datetime) -> None:
        for order in batch:
            if order.order_id in self.rows:
                raise Conflict(f"order {order.order_id} already stored")
            self.rows[order.order_id] = order


@dataclass
class FakeKeys:
    tenants: set[str] = field(default_factory=set)
    rows: dict[str, StoredKey] = field(default_factory=dict)

    def ensure_tenant(self, tenant_id: str, *, now: datetime) -> None:
        self.tenants.add(tenant_id)

    def add(self, key: StoredKey) -> None:
        if key.key_id in self.rows:
            raise Conflict(f"key {key.key_id} already stored")
        self.rows[key.key_id] = key

    def find(self, key_id: str) -> StoredKey | None:
        return self.rows.get(key_id)

    def all(self, *, tenant_id: str | None = None) -> list[StoredKey]:
        keys = sorted(self.rows.values(), key=lambda k: (k.tenant_id, k.created_at))
        return [k for k in keys if tenant_id is None or k.tenant_id == tenant_id]

    def revoke(self, key_id: str, *, now: datetime) -> StoredKey:
        if key_id not in self.rows:
            raise NotFound("API key", key_id)
        if self.rows[key_id].revoked_at is None:
            self.rows[key_id] = replace(self.rows[key_id], revoked_at=now)
        return self.rows[key_id]


@dataclass
class FakeCatalogues:
    versions: list[StoredCatalogue] = field(default_factory=list)

    def add(self, catalogue: Catalogue, *, source: str, now: datetime) -> int:
        version_id = len(self.versions) + 1
        self.versions.append(StoredCatalogue(version_id, catalogue, now, source))
        return version_id

    def latest(self) -> StoredCatalogue | None:
        return self.versions[-1] if self.versions else None


_STORES = ("alerts", "outbox", "orders", "keys", "catalogues")


@dataclass
class FakeUnitOfWork:
    """Committed state lives in the stores; an open unit works on copies."""

    alerts: FakeAlerts = field(default_factory=FakeAlerts)
    outbox: FakeOutbox = field(default_factory=FakeOutbox)
    orders: FakeOrders = field(default_factory=FakeOrders)
    keys: FakeKeys = field(default_factory=FakeKeys)
    catalogues: FakeCatalogues = field(default_factory=FakeCatalogues)
    commits: int = 0
    _saved: dict[str, object] | None = None

    def _snapshot(self) -> dict[str, object]:
        return {name: copy.deepcopy(getattr(self, name)) for name in _STORES}

    def __enter__(self) -> Self:
        self._saved = self._snapshot()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._saved is not None:  # back to the state of the last commit (or the entry)
            for name, store in self._saved.items():
                setattr(self, name, store)
        self._saved = None

    def commit(self) -> None:
        self.commits += 1
        self._saved = self._snapshot()
