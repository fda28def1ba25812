"""Hand-written fakes for switching tests (no mock.patch of our own code)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from tradelane.store.uow import UnitOfWork
from tradelane.switching.states import ActiveSwitch


class RecordingReassigner:
    """Stands in for the selection engine: moves each order to the switch's backup (or to
    `backup`), except the ids in `stuck`, and records every call."""

    def __init__(self, backup: str = "yun-line-cn", *, stuck: frozenset[str] = frozenset()):
        self.backup = backup
        self.stuck = stuck
        self.calls: list[tuple[tuple[str, ...], int, datetime]] = []

    def __call__(
        self, order_ids: Sequence[str], *, away_from: ActiveSwitch, uow: UnitOfWork, now: datetime
    ) -> Mapping[str, str]:
        self.calls.append((tuple(order_ids), away_from.switch_id, now))
        target = away_from.backup_channel_id or self.backup
        moves = {order_id: target for order_id in order_ids if order_id not in self.stuck}
        uow.reassignments.move(
            moves, reason=f"test reassigner, switch {away_from.switch_id}", now=now
        )
        return moves

    @property
    def moved_ids(self) -> list[str]:
        return sorted(
            order_id for ids, _, _ in self.calls for order_id in ids if order_id not in self.stuck
        )
