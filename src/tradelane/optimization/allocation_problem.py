"""The allocation problem on lane-level aggregates, as arrays.

    lanes L × channels C × days D
    volume[l, d]        forecast parcels of lane l on day d
    eligible[l, c]      channel c can carry lane l's typical parcel
    price[l, c]         price per parcel (settlement currency; ignored where not eligible)
    on_time[l, c, d]    P(on time) of a parcel of lane l on channel c handed over on day d
    capacity[c, d]      parcels channel c can take on day d, shared by every lane
    min_on_time[l]      floor of the lane's expected on-time rate, every day
    late_penalty[l]     cost of one late parcel on lane l (expected late parcels × penalty)
    channel_cap         most of a lane's daily volume one channel may take (share)
    carrier_cap         most of a lane's daily volume one carrier's channels may take together
    warm[l, c]          pre-arranged backup: keeps at least `warm_share` of the lane's volume

Every constraint holds per day, so the horizon's program is block-diagonal by day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

from tradelane.domain.errors import ValidationError

__all__ = ["AllocationProblem", "FloatArray"]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def _check_shape(name: str, array: NDArray[np.generic], shape: tuple[int, ...]) -> None:
    if array.shape != shape:
        raise ValidationError(f"{name} must have shape {shape}", field=name, value=array.shape)


def _check_range(name: str, array: FloatArray, low: float, high: float) -> None:
    if array.size and (not np.all(np.isfinite(array)) or array.min() < low or array.max() > high):
        bad = array[~np.isfinite(array) | (array < low) | (array > high)][0]
        raise ValidationError(f"{name} must be within [{low}, {high}]", field=name, value=bad)


@dataclass(frozen=True)
class AllocationProblem:
    lanes: tuple[str, ...]
    channels: tuple[str, ...]
    carriers: tuple[str, ...]  # carrier of each channel
    days: tuple[date, ...]
    volume: FloatArray
    eligible: BoolArray
    price: FloatArray
    on_time: FloatArray
    capacity: FloatArray
    min_on_time: FloatArray
    late_penalty: FloatArray
    warm: BoolArray
    channel_cap: float = 1.0
    carrier_cap: float = 1.0
    warm_share: float = 0.0

    def __post_init__(self) -> None:
        lanes, channels, days = len(self.lanes), len(self.channels), len(self.days)
        if len(self.carriers) != channels:
            raise ValidationError("one carrier per channel", field="carriers", value=self.carriers)
        _check_shape("volume", self.volume, (lanes, days))
        _check_shape("eligible", self.eligible, (lanes, channels))
        _check_shape("price", self.price, (lanes, channels))
        _check_shape("on_time", self.on_time, (lanes, channels, days))
        _check_shape("capacity", self.capacity, (channels, days))
        _check_shape("min_on_time", self.min_on_time, (lanes,))
        _check_shape("late_penalty", self.late_penalty, (lanes,))
        _check_shape("warm", self.warm, (lanes, channels))
        _check_range("volume", self.volume, 0.0, np.inf)
        _check_range("capacity", self.capacity, 0.0, np.inf)
        _check_range("on_time", self.on_time, 0.0, 1.0)
        _check_range("min_on_time", self.min_on_time, 0.0, 1.0)
        _check_range("late_penalty", self.late_penalty, 0.0, np.inf)
        _check_range("price", np.where(self.eligible, self.price, 0.0), 0.0, np.inf)
        for name in ("channel_cap", "carrier_cap", "warm_share"):
            _check_range(name, np.array([getattr(self, name)]), 0.0, 1.0)
        if np.any(self.warm & ~self.eligible):
            lane, channel = np.argwhere(self.warm & ~self.eligible)[0]
            raise ValidationError(
                "a warm backup must be eligible on its lane",
                field="warm",
                value=f"{self.channels[channel]} on {self.lanes[lane]}",
            )

    @property
    def pairs(self) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """(lane index, channel index) of every eligible pair, lane-major."""
        lanes, channels = np.nonzero(self.eligible)
        return lanes, channels

    def unit_cost(self, day: int) -> FloatArray:
        """Cost per parcel of every eligible pair on `day`: price + P(late) × penalty."""
        lanes, channels = self.pairs
        late = 1.0 - self.on_time[lanes, channels, day]
        cost: FloatArray = self.price[lanes, channels] + late * self.late_penalty[lanes]
        return cost
