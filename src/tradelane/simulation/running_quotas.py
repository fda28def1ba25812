"""Allocation ratios kept over a stream of batches (the simulator routes orders hour by hour).

For a lane (destination country) that has had `seen` orders before this batch and gets `n`
now, a channel with ratio r may take up to ceil(r x (seen + n)) - taken orders of the batch,
where `taken` counts the lane's orders it took before. The allowance is handed to selection
as the per-batch quota share allowance / n (caps.py rounds it back to the allowance), so
ratios hold over the whole run, not only inside one batch.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping

from tradelane.selection.caps import ROUNDING

__all__ = ["RunningQuotas"]


class RunningQuotas:
    def __init__(self, ratios: Mapping[tuple[str, str], float]) -> None:
        self.ratios = dict(ratios)
        self.seen: Counter[str] = Counter()
        self.taken: Counter[tuple[str, str]] = Counter()

    def for_batch(self, lane_orders: Mapping[str, int]) -> dict[tuple[str, str], float]:
        """(country, channel id) -> quota share for a batch with lane_orders[country] orders."""
        quotas = {}
        for (country, channel_id), ratio in self.ratios.items():
            n = lane_orders.get(country, 0)
            if n:
                most = math.ceil(ratio * (self.seen[country] + n) - ROUNDING)
                allowance = max(most - self.taken[(country, channel_id)], 0)
                quotas[(country, channel_id)] = min(allowance / n, 1.0)
        return quotas

    def record(self, lane_orders: Mapping[str, int], primaries: Iterable[tuple[str, str]]) -> None:
        """Count a routed batch: its orders per lane and each (country, primary channel)."""
        self.seen.update(lane_orders)
        self.taken.update(primaries)
