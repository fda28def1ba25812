"""A lane's door-to-door transit split into the legs its milestones mark (pure, array-friendly).

    picked_up ─origin─▶ departed_origin ─line haul─▶ arrived_destination_country
              ─customs─▶ customs_cleared ─last mile─▶ delivered

Door-to-door days follow the lognormal through the lane's p50 and p90 (selection/eta.py),
scaled by the peak uplift in a peak window. The origin leg takes its mode's handling and
departure wait (capped so the later legs keep at least MIN_REST_SHARE), and the later legs
share the rest by mode (estimates; the simulator splits its free-flow time the same way).
All legs of one parcel scale with the same draw, so a leg's quantile is its share of the
door-to-door quantile.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from tradelane.domain.catalog import Mode
from tradelane.domain.shipments import MILESTONE_RANK, Milestone
from tradelane.selection.eta import lognormal_quantile

__all__ = [
    "LEGS",
    "LEG_SHARES",
    "MIN_REST_SHARE",
    "ORIGIN_LEG_HOURS",
    "Z95",
    "Z98",
    "door_to_door_hours",
    "leg_hours",
    "legs_done",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

Z95 = 1.6448536269514722  # standard normal 95th percentile
Z98 = 2.0537489106318225  # standard normal 98th percentile
LEGS = ("origin", "line_haul", "customs", "last_mile")
# Median hours from pickup to departure from the origin: handling plus the wait for the next
# scheduled departure (estimates, DESIGN.md "Defaults": an undisturbed channel departs in 48 h).
ORIGIN_LEG_HOURS: dict[Mode, float] = {
    Mode.EXPRESS: 10.0,
    Mode.DEDICATED_AIR: 20.0,
    Mode.POSTAL: 24.0,
    Mode.DEDICATED_TRUCK: 20.0,
    Mode.DEDICATED_RAIL: 24.0,
    Mode.DEDICATED_SEA: 24.0,
    Mode.REGIONAL_HUB: 20.0,
    Mode.OVERSEAS_WAREHOUSE: 24.0,
}
# Share of the time after the origin leg: line haul, customs processing, last mile (estimates).
LEG_SHARES: dict[Mode, tuple[float, float, float]] = {
    Mode.EXPRESS: (0.35, 0.10, 0.55),
    Mode.DEDICATED_AIR: (0.40, 0.15, 0.45),
    Mode.POSTAL: (0.45, 0.15, 0.40),
    Mode.DEDICATED_TRUCK: (0.75, 0.10, 0.15),
    Mode.DEDICATED_RAIL: (0.75, 0.10, 0.15),
    Mode.DEDICATED_SEA: (0.75, 0.10, 0.15),
    Mode.REGIONAL_HUB: (0.40, 0.15, 0.45),
    Mode.OVERSEAS_WAREHOUSE: (0.0, 0.0, 1.0),
}
MIN_REST_SHARE = 0.3  # the legs after origin get at least this share of door-to-door time

_LEGS_DONE_BY_RANK = np.zeros(10, dtype=np.int64)
for _milestone, _done in (
    (Milestone.DEPARTED_ORIGIN, 1),
    (Milestone.ARRIVED_DESTINATION_COUNTRY, 2),
    (Milestone.CUSTOMS_HOLD, 2),
    (Milestone.CUSTOMS_CLEARED, 3),
    (Milestone.OUT_FOR_DELIVERY, 3),
    (Milestone.DELIVERED, 4),
):
    _LEGS_DONE_BY_RANK[MILESTONE_RANK[_milestone]] = _done


def legs_done(status_rank: npt.ArrayLike) -> IntArray:
    """How many of the four legs a parcel at `status_rank` has completed (0..4)."""
    ranks = np.clip(np.asarray(status_rank, dtype=np.int64), 0, len(_LEGS_DONE_BY_RANK) - 1)
    return _LEGS_DONE_BY_RANK[ranks]


def door_to_door_hours(
    p50_days: npt.ArrayLike,
    p90_days: npt.ArrayLike,
    *,
    z: npt.ArrayLike = 0.0,
    peak_factor: npt.ArrayLike = 1.0,
) -> FloatArray:
    """Door-to-door hours at standard-normal quantile `z` (0: median, Z95: p95)."""
    days = lognormal_quantile(p50_days, p90_days, z)
    return np.asarray(24.0 * days * np.asarray(peak_factor, dtype=np.float64))


def leg_hours(
    total_hours: npt.ArrayLike, origin_hours: npt.ArrayLike, shares: FloatArray
) -> FloatArray:
    """(n, 4) hours per leg for door-to-door `total_hours` (n,), median origin leg
    `origin_hours` (n,) and later-leg `shares` (n, 3)."""
    total = np.atleast_1d(np.asarray(total_hours, dtype=np.float64))
    origin = np.minimum(np.asarray(origin_hours, dtype=np.float64), (1 - MIN_REST_SHARE) * total)
    rest = total - origin
    later = np.atleast_2d(shares) * rest[:, None]
    return np.column_stack([origin, later])
