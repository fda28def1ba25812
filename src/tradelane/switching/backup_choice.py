"""The backup a switch names, chosen when it switches by re-scoring the eligible channels.

    eligible  a channel with a lane to the same country, from the same origin (so parcels
              waiting at the hub can move too), not an overseas warehouse (stock-bound), not
              sharing the switch's cause, its own lane not troubled
    score     on-time chance − PRICE_WEIGHT · extra price share + CAPACITY_WEIGHT · capacity left
      on-time chance  P(transit <= the switched lane's p90), lognormal through the candidate
                      lane's p50/p90 (as the profiles say now, peak-uplifted)
      extra price     a reference parcel's price over the switched channel's, as a share
                      (only between cards in one currency; otherwise unknown: 0)
      capacity left   1 − parcels taken over in the last 24 h / daily capacity, in [0, 1]

Weights and the reference parcel are estimates. No eligible channel: no named backup (each
order then goes to its own best backup within the same price ratio).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from tradelane.domain.catalog import Catalogue, Channel, Mode
from tradelane.selection.pricing import fuel_factor, tier_price
from tradelane.switching.health import LaneHealth, LaneProfile
from tradelane.switching.states import LaneKey

__all__ = ["BackupChoice", "choose_backup"]

PRICE_WEIGHT = 0.5  # estimate
CAPACITY_WEIGHT = 0.2  # estimate
REFERENCE_KG = 0.5  # a small parcel, the bulk of cross-border e-commerce: estimate
Z90 = 1.2815515655446004


@dataclass(frozen=True)
class BackupChoice:
    channel_id: str
    score: float
    on_time_chance: float
    extra_price_share: float
    capacity_left: float

    def as_record(self) -> dict[str, object]:
        return {
            "channel_id": self.channel_id,
            "score": round(self.score, 3),
            "on_time_chance": round(self.on_time_chance, 3),
            "extra_price_share": round(self.extra_price_share, 3),
            "capacity_left": round(self.capacity_left, 3),
        }


def _on_time_chance(profile: LaneProfile, within_hours: float) -> float:
    sigma = max(math.log(profile.p90_hours / profile.p50_hours) / Z90, 1e-6)
    z = (math.log(within_hours) - math.log(profile.p50_hours)) / sigma
    return 0.5 * math.erfc(-z / math.sqrt(2))


def _reference_price(channel: Channel, country: str) -> float | None:
    lane = channel.lane_for(country)
    tier = None if lane is None else channel.rate_card.tier_for(lane.zone, REFERENCE_KG)
    return None if tier is None else tier_price(tier, REFERENCE_KG) * fuel_factor(channel)


def _extra_price_share(
    candidate: Channel, primary: Channel, mine: float | None, country: str
) -> float:
    """`mine`: the primary's reference price to `country` (priced once per switch)."""
    if candidate.rate_card.currency != primary.rate_card.currency:
        return 0.0
    theirs = _reference_price(candidate, country)
    if not mine or theirs is None:
        return 0.0
    return max(0.0, theirs / mine - 1.0)


def choose_backup(
    key: LaneKey,
    *,
    catalogue: Catalogue,
    profiles: Mapping[LaneKey, LaneProfile],
    health: Mapping[LaneKey, LaneHealth],
    excluded: Collection[str],
    troubled: Collection[LaneKey],
    max_price_ratio: float = 2.0,
) -> BackupChoice | None:
    """The best eligible backup for the switched lane `key`, or None."""
    channels = {c.id: c for c in catalogue.channels}
    primary, switched = channels.get(key[0]), profiles.get(key)
    if primary is None or switched is None:
        return None
    best: BackupChoice | None = None
    mine = _reference_price(primary, key[1])
    for channel in catalogue.channels:
        lane_key = (channel.id, key[1])
        profile = profiles.get(lane_key)
        if (
            profile is None
            or channel.id == primary.id
            or channel.id in excluded
            or lane_key in troubled
            or channel.origin != primary.origin
            or channel.mode is Mode.OVERSEAS_WAREHOUSE
        ):
            continue
        lane = health.get(lane_key)
        used = (lane.capacity_used if lane else 0.0) or 0.0
        on_time = _on_time_chance(profile, switched.p90_hours)
        left = min(1.0, max(0.0, 1.0 - used))
        if best is not None and on_time + CAPACITY_WEIGHT * left <= best.score:
            continue  # even at no extra price it would not score higher: not priced
        choice = _scored(channel, primary, mine, on_time, left, key[1])
        if choice.extra_price_share > max_price_ratio - 1.0:
            continue
        if best is None or choice.score > best.score:
            best = choice
    return best


def _scored(
    channel: Channel,
    primary: Channel,
    mine: float | None,
    on_time: float,
    left: float,
    country: str,
) -> BackupChoice:
    extra = _extra_price_share(channel, primary, mine, country)
    score = on_time - PRICE_WEIGHT * extra + CAPACITY_WEIGHT * left
    return BackupChoice(channel.id, score, on_time, extra, left)
