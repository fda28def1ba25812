"""A unit of work in memory for service tests: alerts and the outbox as lists, commits
counted, and changes kept only when committed (leaving without commit rolls back)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import TracebackType
from typing import Self

from tradelane.domain.errors import Conflict, NotFound
from tradelane.monitoring.alerts import Alert, AlertEvent, AlertState, Resolution
from tradelane.monitoring.rules import RuleId


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
class FakeUnitOfWork:
    """Committed state lives in `alerts` / `outbox`; an open unit works on copies."""

    alerts: FakeAlerts = field(default_factory=FakeAlerts)
    outbox: FakeOutbox = field(default_factory=FakeOutbox)
    commits: int = 0
    _saved: tuple[FakeAlerts, FakeOutbox] | None = None

    def __enter__(self) -> Self:
        self._saved = (copy.deepcopy(self.alerts), copy.deepcopy(self.outbox))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._saved is not None:  # not committed: back to the state at entry
            self.alerts, self.outbox = self._saved
        self._saved = None

    def commit(self) -> None:
        self.commits += 1
        self._saved = (copy.deepcopy(self.alerts), copy.deepcopy(self.outbox))
