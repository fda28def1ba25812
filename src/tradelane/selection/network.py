"""The catalogue, policy and conditions laid out as arrays for the batch engine.

Built once per batch:
- per channel: limits, accepted goods, pricing constants, carrier / mode / air-type codes;
- per lane (every lane of every channel): ETA tables on-time[peak, promise days] and
  lateness[peak, promise days], taken from eta.py for the promise days the batch uses;
- per destination group: orders whose destinations get the same lane (and remote flag) on
  every channel share a group, so inside a group each channel is one lane with constants.
  A group also carries its state penalties, failed channels and the diversity bonuses
  (mode, air type, clearance port) between every pair of channels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tradelane.domain.catalog import Lane, Mode
from tradelane.domain.geo import Market, market_of
from tradelane.selection.backups import clearance_ports, ports_differ
from tradelane.selection.conditions import ChannelState
from tradelane.selection.eligibility import value_limit
from tradelane.selection.engine import Selector
from tradelane.selection.eta import eta_quote
from tradelane.selection.facts import goods_mask
from tradelane.selection.order_batch import MAX_PROMISE_DAYS, OrderBatch
from tradelane.selection.pricing import fuel_factor

__all__ = ["MODES", "Group", "Network"]

MODES = tuple(Mode)
MARKETS = tuple(Market)
INF = float("inf")


@dataclass(frozen=True, eq=False)
class Group:
    """Destinations that see the same lane on every channel. Arrays run over `channels`,
    the channels with a lane there (ascending catalogue positions)."""

    country: str
    market: int
    channels: NDArray[np.int64]
    local: NDArray[np.int64]  # per catalogue channel: index in `channels`, -1 if absent
    lane: NDArray[np.int64]  # global lane index
    remote: NDArray[np.bool_]
    penalty: NDArray[np.float64]  # policy penalty of the channel's state on the lane
    failed: NDArray[np.bool_]
    diversity: NDArray[np.float64]  # [candidate, primary]: mode + air type + port bonus
    lane_of: dict[int, int]  # catalogue position -> global lane index (for explanations)
    penalty_of: dict[int, float]  # catalogue position -> state penalty


def _limit(value: float | None) -> float:
    return INF if value is None else value


class Network:
    def __init__(self, selector: Selector, batch: OrderBatch) -> None:
        self.selector = selector
        channels = selector.catalogue.channels
        self.channels = channels
        self.lanes: list[tuple[int, Lane]] = [
            (c, lane) for c, ch in enumerate(channels) for lane in ch.lanes
        ]
        self._lane_id = {(c, k): i for i, (c, k) in enumerate(self._lane_keys())}
        self._zoned = {
            (c, lane.country)
            for c, ch in enumerate(channels)
            for lane in ch.lanes
            if lane.postcodes or lane.remote_postcodes
        }
        self._lane_cache: dict[tuple[int, str, str | None], tuple[int, bool]] = {}
        self._channel_columns(selector)
        self.tiers = [channels[c].rate_card.zones[lane.zone] for c, lane in self.lanes]
        self.warehouses = sorted({ch.warehouse for ch in channels if ch.warehouse})
        self.warehouse = np.array(
            [self.warehouses.index(ch.warehouse) if ch.warehouse else -1 for ch in channels]
        )
        self._eta_tables(selector, batch)
        self._groups(selector, batch)

    def _lane_keys(self) -> list[tuple[int, int]]:
        return [(c, k) for c, ch in enumerate(self.channels) for k in range(len(ch.lanes))]

    def _channel_columns(self, selector: Selector) -> None:
        chs = self.channels
        self.accept = np.array([goods_mask(ch.accepts) for ch in chs], dtype=np.int64)
        self.max_weight = np.array([ch.limits.max_weight_kg for ch in chs])
        self.max_side = np.array([_limit(ch.limits.max_side_cm) for ch in chs])
        self.max_girth = np.array([_limit(ch.limits.max_length_plus_girth_cm) for ch in chs])
        self.max_sides = np.array([_limit(ch.limits.max_sum_of_sides_cm) for ch in chs])
        self.max_value = np.array([_limit(value_limit(ch, selector.fx)) for ch in chs])
        self.divisor = np.array([ch.rate_card.volumetric_divisor_cm3_per_kg for ch in chs])
        self.increment = np.array([ch.rate_card.rounding_increment_kg for ch in chs])
        self.fuel = np.array([fuel_factor(ch) for ch in chs])
        self.surcharge = np.array([float(ch.rate_card.remote_area_surcharge) for ch in chs])
        self.fx_ratio = np.array([selector.fx.ratio(ch.rate_card.currency) for ch in chs])
        carriers = sorted({ch.carrier for ch in chs})
        self.carrier = np.array([carriers.index(ch.carrier) for ch in chs], dtype=np.int32)
        self.mode = np.array([MODES.index(ch.mode) for ch in chs], dtype=np.int32)
        self.position = {ch.id: c for c, ch in enumerate(chs)}

    def _eta_tables(self, selector: Selector, batch: OrderBatch) -> None:
        """Per lane and ETA slot (peak * slots + promise days), for the batch's promises:
        on_time = P(on time), miss = 1 - on_time, late_days = expected late days,
        lateness = late cost per day × late days."""
        slots = MAX_PROMISE_DAYS + 1
        promises = np.unique(batch.promised_days) if len(batch) else np.array([], np.int16)
        shape = (len(self.lanes), 2 * slots)
        self.on_time, self.miss = np.zeros(shape), np.zeros(shape)
        self.late_days, self.lateness = np.zeros(shape), np.zeros(shape)
        per_day = selector.policy.late_cost_per_day
        for i, (c, lane) in enumerate(self.lanes):
            transit = selector.conditions.transit(self.channels[c].id, lane)
            for peak in (False, True):
                for days in promises.tolist():
                    eta = eta_quote(transit, days, peak=peak)
                    self.on_time[i, peak * slots + days] = eta.on_time_probability
                    self.miss[i, peak * slots + days] = 1.0 - eta.on_time_probability
                    self.late_days[i, peak * slots + days] = eta.expected_late_days
                    self.lateness[i, peak * slots + days] = per_day * eta.expected_late_days
        self.slots = slots

    def _groups(self, selector: Selector, batch: OrderBatch) -> None:
        signatures: dict[tuple[object, ...], int] = {}
        self.groups: list[Group] = []
        group_of = []
        for country, postcode in batch.locations:
            lanes, remote = self._lanes_at(country, postcode)
            key = (country, *lanes, *remote)
            if key not in signatures:
                signatures[key] = len(self.groups)
                self.groups.append(self._group(selector, country, lanes, remote))
            group_of.append(signatures[key])
        self.group_of_location = np.array(group_of, dtype=np.int32)

    def _lanes_at(self, country: str, postcode: str | None) -> tuple[list[int], list[bool]]:
        lanes, remote = [], []
        for c in range(len(self.channels)):
            lane, is_remote = self._lane_of(c, country, postcode)
            lanes.append(lane)
            remote.append(is_remote)
        return lanes, remote

    def _lane_of(self, c: int, country: str, postcode: str | None) -> tuple[int, bool]:
        """(global lane index or -1, remote) as Channel.lane_for and Lane.is_remote say."""
        key = (c, country, postcode if (c, country) in self._zoned else None)
        found = self._lane_cache.get(key)
        if found is None:
            ch = self.channels[c]
            k = next((k for k, ln in enumerate(ch.lanes) if ln.covers(country, postcode)), None)
            found = (
                (-1, False)
                if k is None
                else (self._lane_id[(c, k)], ch.lanes[k].is_remote(postcode))
            )
            self._lane_cache[key] = found
        return found

    def _group(
        self, selector: Selector, country: str, lanes: list[int], remote: list[bool]
    ) -> Group:
        policy, conditions = selector.policy, selector.conditions
        served = [c for c, lane in enumerate(lanes) if lane >= 0]
        local = np.full(len(self.channels), -1, dtype=np.int64)
        local[served] = np.arange(len(served))
        states = [conditions.state(self.channels[c].id, country) for c in served]
        return Group(
            country=country,
            market=MARKETS.index(market_of(country)),
            channels=np.array(served, dtype=np.int64),
            local=local,
            lane=np.array([lanes[c] for c in served], dtype=np.int64),
            remote=np.array([remote[c] for c in served], dtype=np.bool_),
            penalty=np.array([policy.penalty(s) for s in states]),
            failed=np.array([s is ChannelState.FAILED for s in states], dtype=np.bool_),
            diversity=self._diversity(served, lanes),
            lane_of={c: lanes[c] for c in served},
            penalty_of={c: policy.penalty(s) for c, s in zip(served, states, strict=True)},
        )

    def _diversity(self, served: list[int], lanes: list[int]) -> NDArray[np.float64]:
        """[candidate, primary]: (mode + air type) + port bonus, summed as backups.py does."""
        w = self.selector.policy.diversification
        chs = [self.channels[c] for c in served]
        ports = [clearance_ports(self.channels[c], self.lanes[lanes[c]][1]) for c in served]
        bonus = np.zeros((len(served), len(served)))
        for p, primary in enumerate(chs):
            for c, other in enumerate(chs):
                mode = w.other_mode if other.mode != primary.mode else 0.0
                air = w.other_air_type if other.air_type != primary.air_type else 0.0
                port = w.other_clearance_port if ports_differ(ports[p], ports[c]) else 0.0
                bonus[c, p] = mode + air + port
        return bonus
