"""Share caps and allocation quotas: how many of a lane's orders in one batch a channel takes.

A lane here is the destination country. For a batch sending N orders to a country:

    channel cap   each channel serving it takes at most ceil(share_caps.channel x N)
    carrier cap   the channels of one carrier together take at most ceil(share_caps.carrier x N)
                  (both only when N >= share_caps.min_lane_orders)
    quota         a stored allocation ratio r for (country, channel) lets the channel take at
                  most ceil(r x N), whatever N (ratios come from `tradelane allocate`)

Each bound is a `Pool`: parcels a set of channels may still take as primaries on the lane.
Both engines refuse a channel once any of its pools is used up, exactly as daily capacity;
`PoolLedger` is the scalar engine's running count, the batch engine counts the same pools
as arrays (batch_limits.py).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from tradelane.domain.catalog import Catalogue
from tradelane.selection.policy import Policy

__all__ = ["Pool", "PoolLedger", "lane_pools"]

ROUNDING = 1e-9  # share x N that is an integer up to float error is that integer


@dataclass(frozen=True, slots=True)
class Pool:
    country: str
    channel_ids: tuple[str, ...]
    limit: int
    reason: str  # the refusal once the pool is used up


def _most(share: float, orders: int) -> int:
    return math.ceil(share * orders - ROUNDING)


def _cap_pools(catalogue: Catalogue, policy: Policy, country: str, orders: int) -> list[Pool]:
    caps = policy.share_caps
    if orders < caps.min_lane_orders:
        return []
    serving = [ch for ch in catalogue.channels if any(ln.country == country for ln in ch.lanes)]
    pools = []
    if caps.channel is not None:
        reason = f"share cap reached: {caps.channel:.0%} of {orders} orders to {country}"
        pools += [Pool(country, (ch.id,), _most(caps.channel, orders), reason) for ch in serving]
    if caps.carrier is not None:
        by_carrier: dict[str, list[str]] = defaultdict(list)
        for ch in serving:
            by_carrier[ch.carrier].append(ch.id)
        reason = f"carrier share cap reached: {caps.carrier:.0%} of {orders} orders to {country}"
        limit = _most(caps.carrier, orders)
        pools += [Pool(country, tuple(ids), limit, reason) for ids in by_carrier.values()]
    return pools


def lane_pools(
    catalogue: Catalogue,
    policy: Policy,
    quotas: Mapping[tuple[str, str], float],
    orders: Mapping[str, int],
) -> list[Pool]:
    """The pools of a batch sending orders[country] orders to each country."""
    pools = []
    for country, count in sorted(orders.items()):
        pools += _cap_pools(catalogue, policy, country, count)
    for (country, channel_id), share in sorted(quotas.items()):
        count = orders.get(country, 0)
        if count:
            reason = f"allocation quota reached: {share:.0%} of {count} orders to {country}"
            pools.append(Pool(country, (channel_id,), _most(share, count), reason))
    return pools


class PoolLedger:
    """Parcels left in each pool while the scalar engine decides orders one by one."""

    def __init__(self, pools: list[Pool]) -> None:
        self.pools = pools
        self.left = [pool.limit for pool in pools]
        self._of: dict[tuple[str, str], list[int]] = defaultdict(list)
        for index, pool in enumerate(pools):
            for channel_id in pool.channel_ids:
                self._of[(pool.country, channel_id)].append(index)

    def refusals(self, channel_id: str, country: str) -> list[str]:
        found = self._of.get((country, channel_id), ())
        return [self.pools[i].reason for i in found if self.left[i] <= 0]

    def take(self, channel_id: str, country: str, parcels: int = 1) -> None:
        for index in self._of.get((country, channel_id), ()):
            self.left[index] -= parcels
