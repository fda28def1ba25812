"""The channel mix of a set of assignments: orders, cost and on-time chance per primary."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["ChannelMix", "channel_mix"]


@dataclass(frozen=True, slots=True)
class ChannelMix:
    """Assignments per primary channel (None: orders no channel could take)."""

    channel_id: str | None
    orders: int
    cost: Decimal | None  # summed, settlement currency
    mean_on_time: float | None


def channel_mix(
    rows: Iterable[tuple[str | None, Decimal | None, float | None]],
) -> list[ChannelMix]:
    """Rows of (primary, cost, on-time probability), most used channel first."""
    totals: dict[str | None, tuple[int, Decimal, float]] = {}
    for channel, cost, on_time in rows:
        count, spent, chance = totals.get(channel, (0, Decimal(0), 0.0))
        totals[channel] = (count + 1, spent + (cost or Decimal(0)), chance + (on_time or 0.0))
    ordered = sorted(totals.items(), key=lambda kv: (-kv[1][0], kv[0] or ""))
    return [
        ChannelMix(
            channel,
            count,
            None if channel is None else spent,
            None if channel is None else chance / count,
        )
        for channel, (count, spent, chance) in ordered
    ]
