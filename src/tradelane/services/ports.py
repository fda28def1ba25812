"""Ports: what services need from parts wired in by the composition root (Protocols)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from tradelane.store.uow import UnitOfWork
from tradelane.switching.states import ActiveSwitch

__all__ = ["Reassigner"]


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
