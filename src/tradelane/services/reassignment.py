"""Re-assignment by the backups already stored with each order's assignment.

The selection engine's re-assignment (eligibility, capacity, failure modes re-checked) plugs
into the same `Reassigner` port; this one needs nothing but the stored assignment: each order
moves to the switch's named backup, or else to its first stored backup other than the channel
it leaves. Orders without such a backup stay.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from tradelane.store.uow import UnitOfWork
from tradelane.switching.states import ActiveSwitch

__all__ = ["reassign_to_stored_backups"]


def reassign_to_stored_backups(
    order_ids: Sequence[str], *, away_from: ActiveSwitch, uow: UnitOfWork, now: datetime
) -> Mapping[str, str]:
    """A `Reassigner`: writes through `uow`, never commits."""
    moves: dict[str, str] = {}
    for order_id, backups in uow.reassignments.backups_of(order_ids).items():
        ranked = [away_from.backup_channel_id] if away_from.backup_channel_id else backups
        target = next((c for c in ranked if c and c != away_from.channel_id), None)
        if target is not None:
            moves[order_id] = target
    reason = f"switch #{away_from.switch_id}: {away_from.channel_id} -> backup ({away_from.kind})"
    uow.reassignments.move(moves, reason=reason, now=now)
    return moves
