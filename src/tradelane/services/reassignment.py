"""Re-assignment by the backups already stored with each order's assignment.

The application's re-assignment (promise_reassignment.py: each order re-quoted and re-decided
by the simulator's rule) plugs into the same `Reassigner` port and falls back to this one for
orders it cannot quote; this one needs nothing but the stored assignment: each order
moves to the switch's named backup, or else to its first stored backup other than the channel
it leaves. A backup at an overseas warehouse is taken only while the warehouse still has the
order's units available (on hand less reservations, drawn down move by move), so a switch never
oversells a warehouse. Orders without such a backup stay.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from tradelane.selection.conditions import stock_shortfalls, take_units
from tradelane.selection.facts import sku_units
from tradelane.store.uow import UnitOfWork
from tradelane.switching.states import ActiveSwitch

__all__ = ["reassign_to_stored_backups"]


def reassign_to_stored_backups(
    order_ids: Sequence[str], *, away_from: ActiveSwitch, uow: UnitOfWork, now: datetime
) -> Mapping[str, str]:
    """A `Reassigner`: writes through `uow`, never commits."""
    moves: dict[str, str] = {}
    stored = uow.catalogues.latest()
    channels = [] if stored is None else stored.catalogue.channels
    warehouse_of = {ch.id: ch.warehouse for ch in channels if ch.warehouse is not None}
    stock = uow.inventory.available(warehouse_of) if warehouse_of else {}
    units = uow.assignments.units_of(list(order_ids)) if warehouse_of else {}
    for order_id, backups in uow.reassignments.backups_of(order_ids).items():
        ranked = [away_from.backup_channel_id] if away_from.backup_channel_id else backups
        skus, counts = sku_units(units.get(order_id, []))
        for target in (c for c in ranked if c and c != away_from.channel_id):
            warehouse = warehouse_of.get(target)
            if warehouse is not None:
                if stock_shortfalls(stock.get(warehouse, {}), skus, counts):
                    continue
                take_units(stock, warehouse, skus, counts)
            moves[order_id] = target
            break
    reason = f"switch #{away_from.switch_id}: {away_from.channel_id} -> backup ({away_from.kind})"
    uow.reassignments.move(moves, reason=reason, now=now)
    return moves
