"""Revised ETA: when a parcel should now arrive, from its last milestone and its lane's legs.

    remaining(k)  = hours of the legs after the first k           (legs: monitoring/legs.py)
    revised ETA   = max(last milestone + remaining(done), now + remaining(done + 1))
    at risk       = revised ETA > promise

A parcel that has done `done` legs should arrive `remaining(done)` after its last milestone;
one already overdue for its next milestone cannot arrive before it reaches that milestone,
at best right `now`, and then still needs the legs after it. Out for delivery leaves only the
van's lead time. A delivered parcel's ETA is its delivery. Times are hours on any common
axis (hours since an epoch, or simulated hours); every argument broadcasts, so one call
answers a million parcels.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from tradelane.domain.shipments import MILESTONE_RANK, Milestone

__all__ = ["OUT_FOR_DELIVERY_LEAD_HOURS", "promise_at_risk", "remaining_hours", "revised_eta_hours"]

FloatArray = npt.NDArray[np.float64]

OUT_FOR_DELIVERY_LEAD_HOURS = 6.0  # van loaded to delivery (estimate)
_OUT_FOR_DELIVERY = MILESTONE_RANK[Milestone.OUT_FOR_DELIVERY]


def remaining_hours(legs_hours: npt.ArrayLike, done: npt.ArrayLike) -> FloatArray:
    """Hours of the legs after the first `done` (0..4) of each parcel's (n, 4) `legs_hours`."""
    legs = np.atleast_2d(np.asarray(legs_hours, dtype=np.float64))
    after = np.cumsum(legs[:, ::-1], axis=1)[:, ::-1]  # after[:, k] = sum of legs k..3
    after = np.column_stack([after, np.zeros(len(legs))])
    k = np.clip(np.asarray(done, dtype=np.int64), 0, 4)
    k = np.broadcast_to(k, (len(legs),))
    return np.asarray(after[np.arange(len(legs)), k])


def revised_eta_hours(
    *,
    legs_hours: npt.ArrayLike,
    done: npt.ArrayLike,
    status_rank: npt.ArrayLike,
    milestone_h: npt.ArrayLike,
    now_h: npt.ArrayLike,
) -> FloatArray:
    """Revised arrival per parcel (see the module formula), in the hours of `milestone_h`.

    `legs_hours` (n, 4) are the lane's leg hours at the quantile wanted (median for the
    ETA); `done` the legs completed (`legs.legs_done(status_rank)`); `milestone_h` the time
    of the last milestone reached (pickup or label time before the first leg).
    """
    milestone = np.asarray(milestone_h, dtype=np.float64)
    now = np.asarray(now_h, dtype=np.float64)
    k = np.asarray(done, dtype=np.int64)
    on_schedule = milestone + remaining_hours(legs_hours, k)
    overdue = now + remaining_hours(legs_hours, k + 1)
    eta = np.maximum(on_schedule, np.where(k >= 4, on_schedule, overdue))
    loaded = np.asarray(status_rank) == _OUT_FOR_DELIVERY
    van = np.maximum(milestone + OUT_FOR_DELIVERY_LEAD_HOURS, now)
    return np.asarray(np.where(loaded & (k < 4), van, eta))


def promise_at_risk(eta_h: npt.ArrayLike, promised_h: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Whether the revised ETA lies past the promise (no promise: never at risk)."""
    promised = np.asarray(promised_h, dtype=np.float64)
    return np.asarray(~np.isnan(promised) & (np.asarray(eta_h, dtype=np.float64) > promised))
