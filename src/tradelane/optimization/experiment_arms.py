"""Deterministic arms: an order's arm comes from the project's stable switch-share hash.

The hash is salted with the experiment id, so an experiment's split is independent of every
switch's moved share (which hashes the bare order id) and of other experiments.
"""

from __future__ import annotations

from collections.abc import Sequence

from tradelane.domain.errors import ValidationError
from tradelane.selection.conditions import switch_fraction

__all__ = ["arm_of"]


def arm_of(experiment_id: str, order_id: str, shares: Sequence[float]) -> int:
    """Index of the arm that takes `order_id`: arm i holds a `shares[i]` slice of [0, 1)."""
    if not shares or min(shares) < 0 or abs(sum(shares) - 1.0) > 1e-9:
        raise ValidationError(
            "arm shares must be non-negative and sum to 1", field="shares", value=list(shares)
        )
    point, edge = switch_fraction(f"{experiment_id}:{order_id}"), 0.0
    for index, share in enumerate(shares):
        edge += share
        if point < edge:
            return index
    return len(shares) - 1
