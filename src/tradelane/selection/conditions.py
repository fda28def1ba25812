"""What the selection engine is told about the network beyond the catalogue.

Everything here is a plain value handed in by the caller (a service reads it from the store,
the simulator from its model, a test builds it): channel health per lane, active switches,
remaining capacity today, overseas-warehouse stock, peak windows and the FX table.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from tradelane.domain.catalog import Lane, TransitProfile
from tradelane.domain.errors import ValidationError

__all__ = [
    "AMPLE_UNITS",
    "ActiveSwitch",
    "ChannelState",
    "FxTable",
    "NetworkConditions",
    "PeakWindow",
    "stock_shortfalls",
    "switch_fraction",
    "take_units",
]


class ChannelState(StrEnum):
    """Health of a channel on one lane, as switching decides it (DESIGN.md vocabulary)."""

    HEALTHY = "healthy"
    DEGRADED = "degraded"
    FAILED = "failed"  # cannot carry new orders on this lane
    RECOVERING = "recovering"


@dataclass(frozen=True)
class ActiveSwitch:
    """Move `share` of new orders off `channel_id` on `country` (None: every lane).

    An order is in the moved share when `switch_fraction(order_id) < share`, so the same order
    is always treated the same way. `backup_channel_id` None means: the best other channel.
    """

    channel_id: str
    country: str | None
    share: float
    backup_channel_id: str | None = None

    def __post_init__(self) -> None:
        if not 0 < self.share <= 1:
            raise ValidationError("switch share must be in (0, 1]", field="share", value=self.share)

    def covers(self, channel_id: str, country: str) -> bool:
        return channel_id == self.channel_id and self.country in (None, country)


def switch_fraction(order_id: str) -> float:
    """A stable number in [0, 1) per order id (CRC-32 of its UTF-8 bytes / 2**32)."""
    return zlib.crc32(order_id.encode("utf-8")) / 4_294_967_296


@dataclass(frozen=True)
class PeakWindow:
    """A dated period of high volume or low capacity; both ends inclusive."""

    name: str
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError(
                "peak window ends before it starts",
                field="end",
                value=f"{self.start}..{self.end}",
                where=f"peak {self.name}",
            )

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class FxTable:
    """`rates[currency]` is the value of one unit in a common base (USD in config.py)."""

    rates: Mapping[str, Decimal]
    settlement: str

    def __post_init__(self) -> None:
        self.ratio(self.settlement)

    def converts(self, currency: str) -> bool:
        """True when amounts in `currency` can be turned into the settlement currency."""
        return currency in self.rates and self.rates[currency] > 0

    def ratio(self, currency: str) -> float:
        """Settlement-currency value of one unit of `currency`; ValidationError when unknown."""
        for code in (currency, self.settlement):
            if not self.converts(code):
                raise ValidationError(
                    "currency missing from the FX table (set TRADELANE_FX_RATES)",
                    field="currency",
                    value=code,
                    where="FX table",
                )
        return float(self.rates[currency] / self.rates[self.settlement])

    def to_settlement(self, amount: float, currency: str) -> float:
        return amount * self.ratio(currency)


AMPLE_UNITS = 1 << 40  # a count no run draws down: for callers that know only which SKUs are held


@dataclass(frozen=True)
class NetworkConditions:
    """The state of the network an assignment run sees.

    channel_states   (channel_id, country) -> state; absent means healthy
    switches         active switches, applied in this order
    capacity_left    channel_id -> parcels it can still take today; a channel absent from the
                     mapping has its full `daily_capacity`; None means capacity is not limited
    inventory        warehouse code -> SKU -> units that can still be promised there (on hand
                     less units reserved by orders assigned to it); a SKU with 0 units, or
                     absent, is not stocked. Each order assigned to the warehouse draws its
                     units down, so later orders in the same run see what is left.
    peak_windows     periods in which lanes' peak uplift applies (by the order's UTC date)
    quotas           (country, channel_id) -> stored allocation share of the lane's orders
                     (caps.py); absent pairs have no quota
    transit_overrides (channel_id, country) -> transit profile predicted from history, used
                     instead of the lane's catalogue profile (only lanes where the prediction
                     beat the profile on held-out shipments); `eta_source` names the model
    """

    channel_states: Mapping[tuple[str, str], ChannelState] = field(default_factory=dict)
    switches: Sequence[ActiveSwitch] = ()
    capacity_left: Mapping[str, int] | None = None
    inventory: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    peak_windows: Sequence[PeakWindow] = ()
    quotas: Mapping[tuple[str, str], float] = field(default_factory=dict)
    transit_overrides: Mapping[tuple[str, str], TransitProfile] = field(default_factory=dict)
    eta_source: str = "ETA model"

    def transit(self, channel_id: str, lane: Lane) -> TransitProfile:
        """The transit profile selection uses on a lane: predicted, else the catalogue's."""
        return self.transit_overrides.get((channel_id, lane.country), lane.transit)

    def eta_basis(self, channel_id: str, country: str) -> str:
        """Which ETA a channel's figures on a lane come from, for explanations."""
        if (channel_id, country) in self.transit_overrides:
            return f"ETA from {self.eta_source} (it beat the lane profile on held-out history)"
        return "ETA from the lane's transit profile"

    def state(self, channel_id: str, country: str) -> ChannelState:
        return self.channel_states.get((channel_id, country), ChannelState.HEALTHY)

    def in_peak(self, day: date) -> bool:
        return any(window.contains(day) for window in self.peak_windows)

    def stocked(self, warehouse: str, skus: Sequence[str]) -> bool:
        """The warehouse holds at least one unit of every SKU at the start of the run."""
        return not self.not_stocked(warehouse, skus)

    def not_stocked(self, warehouse: str, skus: Sequence[str]) -> list[str]:
        held = self.inventory.get(warehouse, {})
        return sorted({sku for sku in skus if held.get(sku, 0) <= 0})


def take_units(
    stock: dict[str, dict[str, int]], warehouse: str, skus: Sequence[str], units: Sequence[int]
) -> None:
    """Draw an order's units of each SKU from `stock[warehouse]`, in place."""
    held = stock.setdefault(warehouse, {})
    for sku, count in zip(skus, units, strict=True):
        held[sku] = held.get(sku, 0) - count


def stock_shortfalls(
    held: Mapping[str, int], skus: Sequence[str], units: Sequence[int]
) -> list[str]:
    """'2 of A left, needs 3' for each SKU the order needs more units of than `held` has."""
    return [
        f"{held.get(sku, 0):,} of {sku} left, needs {need:,}"
        for sku, need in zip(skus, units, strict=True)
        if need > held.get(sku, 0)
    ]
