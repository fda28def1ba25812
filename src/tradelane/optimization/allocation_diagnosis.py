"""Why a day's allocation is infeasible: the elastic program and the constraints it relaxes.

Every constraint of the day gets a slack column in parcels (the pair columns are split so the
channel caps and warm minimums can give way too):

    y = z + over_cap - under_warm,  z within its bounds
    minimise  Σ slack parcels  (a lane with no room at all costs `UNPLACED_WEIGHT` per parcel)

The slacks that stay above zero name the constraint families, lanes, channels and carriers
that must give way, and by how many parcels, for the day to be feasible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import scipy.sparse as sp

from tradelane.optimization.allocation_rows import DayRows
from tradelane.optimization.highs_lp import WarmSolver

__all__ = ["BindingConstraint", "binding_constraints"]

UNPLACED_WEIGHT = 10.0
SLACK_TOLERANCE = 1e-6


@dataclass(frozen=True, slots=True)
class BindingConstraint:
    family: str  # capacity, on_time, channel_cap, carrier_cap, warm_backup, unplaced
    day: date
    lane: str | None
    subject: str | None  # the channel or carrier concerned
    slack_parcels: float

    def describe(self) -> str:
        where = " ".join(part for part in (self.subject, self.lane and f"on {self.lane}") if part)
        return f"{self.family} {where} {self.day}: needs {self.slack_parcels:.1f} parcels slack"


def binding_constraints(rows: DayRows, day: int) -> list[BindingConstraint]:
    """The slack the elastic program needs on `day`, largest first."""
    p = rows.problem
    n_lanes, n_channels, pairs = len(p.lanes), len(p.channels), rows.n_cols
    base = rows.matrix(day)
    identity = sp.identity(rows.n_rows, format="csc")
    lane_rows = identity[:, :n_lanes]
    capacity_rows = identity[:, n_lanes : n_lanes + n_channels]
    on_time_rows = identity[:, n_lanes + n_channels : 2 * n_lanes + n_channels]
    carrier_rows = identity[:, 2 * n_lanes + n_channels :]
    matrix = sp.hstack(
        [base, base, -base, lane_rows, -capacity_rows, on_time_rows, -carrier_rows], format="csc"
    )
    lower, upper = rows.col_bounds(day)
    slack_count = matrix.shape[1] - pairs
    col_lower = np.concatenate([lower, np.zeros(matrix.shape[1] - pairs)])
    col_upper = np.concatenate(
        [upper, np.full(pairs, np.inf), lower, np.full(slack_count - 2 * pairs, np.inf)]
    )
    cost = np.concatenate([np.zeros(pairs), np.ones(slack_count)])
    cost[3 * pairs : 3 * pairs + n_lanes] = UNPLACED_WEIGHT
    solution = WarmSolver().solve(cost, matrix, rows.row_bounds(day), (col_lower, col_upper))
    if not solution.optimal:
        return []
    return _named(rows, day, solution.x[pairs:])


def _named(rows: DayRows, day: int, slack: np.ndarray) -> list[BindingConstraint]:
    p = rows.problem
    lanes, channels = p.pairs
    pairs, n_lanes, n_channels = rows.n_cols, len(p.lanes), len(p.channels)
    carriers = sorted(set(p.carriers))
    group_carrier = {
        int(g): p.carriers[int(c)] for g, c in zip(rows.group, channels, strict=True) if g >= 0
    }
    named: list[tuple[str, str | None, str | None]] = [
        *(
            ("channel_cap", p.lanes[lane], p.channels[ch])
            for lane, ch in zip(lanes, channels, strict=True)
        ),
        *(
            ("warm_backup", p.lanes[lane], p.channels[ch])
            for lane, ch in zip(lanes, channels, strict=True)
        ),
        *(("unplaced", lane, None) for lane in p.lanes),
        *(("capacity", None, channel) for channel in p.channels),
        *(("on_time", lane, None) for lane in p.lanes),
        *(
            ("carrier_cap", p.lanes[int(lane)], group_carrier.get(g, carriers[0]))
            for g, lane in enumerate(rows.group_lane)
        ),
    ]
    assert len(named) == slack.size == 2 * pairs + 2 * n_lanes + n_channels + rows.group_lane.size
    found = [
        BindingConstraint(family, p.days[day], lane, subject, float(amount))
        for (family, lane, subject), amount in zip(named, slack, strict=True)
        if amount > SLACK_TOLERANCE
    ]
    return sorted(found, key=lambda b: -b.slack_parcels)
