"""Channel health per channel × lane, measured from stored shipments with set-based SQL.

    catalogue lanes ─▶ a lane table of this measurement: per lane, the hand-over times before
                       which a parcel is past its p50 / p90 transit (now − p50/p90 hours,
                       peak-uplifted)
    shipments in flight ⋈ lanes  GROUP BY lane ─▶ counts and sums (stall and pickup samples,
      the pickup, departure, arrival and clearance flows, ...; store/lane_health_sql.py)
    shipments past p90 ⋈ lanes  GROUP BY lane, delay bucket ─▶ the overdue histogram
    current assignments without a shipment  GROUP BY channel, country ─▶ unshipped backlog
        ─▶ LaneFigures ─▶ switching.health.lane_health ─▶ LaneHealth per lane

Three grouped queries, whatever the number of lanes: no Python loop over shipments. Shipments
on lanes the catalogue does not know are left out.
"Handed over in the last 24 h" counts parcels still in flight (cross-border parcels are rarely
delivered within a day of hand-over).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, Table, func, select, text

from tradelane.domain.catalog import Catalogue
from tradelane.store.bulk import insert_many
from tradelane.store.lane_health_sql import (
    IN_FLIGHT_FIGURES,
    in_flight_query,
    lane_profiles_table,
    overdue_query,
)
from tradelane.store.parcels import not_handed_over
from tradelane.store.tables import assignments, orders
from tradelane.store.tenancy import same_order, tenant_owns
from tradelane.store.uow import UnitOfWork
from tradelane.switching.health import (
    DELAY_BUCKETS,
    Flow,
    LaneFigures,
    LaneHealth,
    LaneProfile,
    StallWindow,
    awaiting_clearance_before,
    lane_health,
    lane_profiles,
    normal_delay_hours,
)
from tradelane.switching.peaks import PeakEvent
from tradelane.switching.states import LaneKey

__all__ = ["channel_health", "measure_lanes"]

AGGREGATION_WORK_MEM = "64MB"
DEFAULT_STALL_WINDOW = StallWindow()


def channel_health(
    *,
    uow: UnitOfWork,
    catalogue: Catalogue,
    now: datetime,
    active_peaks: Sequence[PeakEvent] = (),
    stall: StallWindow = DEFAULT_STALL_WINDOW,
) -> dict[LaneKey, LaneHealth]:
    """Health of every catalogue lane at `now`. Commits (nothing lasting): on SQLite a rollback
    would undo only the temporary table's removal, not its creation."""
    profiles = lane_profiles(catalogue, active_peaks=active_peaks)
    with uow:
        health = measure_lanes(uow.connection, profiles, now=now, stall=stall)
        uow.commit()
    return health


def measure_lanes(
    connection: Connection,
    profiles: Mapping[LaneKey, LaneProfile],
    *,
    now: datetime,
    stall: StallWindow = DEFAULT_STALL_WINDOW,
) -> dict[LaneKey, LaneHealth]:
    """Health of every profiled lane, inside the caller's transaction."""
    with _lane_table(connection, profiles, now=now, stall=stall) as lanes:
        with _planned(connection, one_pass=True):
            figures = connection.execute(in_flight_query(now, stall, lanes)).all()
        with _planned(connection, one_pass=False):
            overdue = connection.execute(overdue_query(lanes)).all()
    sums = _LaneSums(len(profiles), figures, overdue)
    unshipped = _unshipped(connection)
    return _assemble(profiles, sums, unshipped)


@contextmanager
def _lane_table(
    connection: Connection,
    profiles: Mapping[LaneKey, LaneProfile],
    *,
    now: datetime,
    stall: StallWindow,
) -> Iterator[Table]:
    """The lane profiles of one measurement in a table of its own, dropped afterwards; lanes
    are numbered in the profiles' order. On PostgreSQL an unlogged table named for this
    measurement (a temporary table would keep the parcels' scan out of parallel workers),
    analysed so the planner hashes the lanes; elsewhere a temporary table."""
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        table = lane_profiles_table(f"tl_lane_profiles_{uuid4().hex}", prefixes=["UNLOGGED"])
    else:
        table = lane_profiles_table("tl_lane_profiles", prefixes=["TEMPORARY"])
    table.create(connection, checkfirst=False)
    try:
        rows = [
            {
                "channel_id": p.channel_id,
                "country": p.country,
                "lane_no": number,
                "past_p50_before": now - timedelta(hours=p.p50_hours),
                "past_p90_before": now - timedelta(hours=p.p90_hours),
                "awaiting_clearance_before": awaiting_clearance_before(p, now, stall),
            }
            for number, p in enumerate(profiles.values())
        ]
        insert_many(connection, table, rows)
        if postgres:
            connection.execute(text(f'ANALYZE "{table.name}"'))
        yield table
    finally:
        table.drop(connection, checkfirst=False)


class _LaneSums:
    """The in-flight figures of every lane by lane number: one array per figure
    (IN_FLIGHT_FIGURES) and the overdue histogram, lanes x DELAY_BUCKETS."""

    def __init__(
        self, lanes: int, figures: Sequence[Sequence[Any]], overdue: Sequence[Sequence[Any]]
    ) -> None:
        self.totals = np.zeros((lanes, len(IN_FLIGHT_FIGURES)))
        if figures:
            data = _array(figures, 1 + len(IN_FLIGHT_FIGURES))
            self.totals[data[:, 0].astype(np.intp)] = data[:, 1:]  # one row per lane
        self.histogram = np.zeros((lanes, DELAY_BUCKETS), dtype=np.int64)
        if overdue:
            counts = _array(overdue, 3).astype(np.int64)
            self.histogram[counts[:, 0], counts[:, 1]] = counts[:, 2]  # one row per bucket

    def figure(self, name: str) -> NDArray[np.float64]:
        return self.totals[:, IN_FLIGHT_FIGURES.index(name)]


def _array(rows: Sequence[Sequence[Any]], width: int) -> NDArray[np.float64]:
    flat = (value for row in rows for value in row)  # much faster than asarray of Rows
    return np.fromiter(flat, dtype=np.float64, count=len(rows) * width).reshape(-1, width)


@contextmanager
def _planned(connection: Connection, *, one_pass: bool) -> Iterator[None]:
    """On PostgreSQL, room for the lanes' groups in memory (a hash aggregate) and no JIT
    (compiling costs more than it saves here); with `one_pass`, steer the query to a single
    pass: a hash join of the parcels with the (small) lane table, in parallel workers where
    the server has them. Left alone, the planner walks the (is_active, channel_id) index once
    per lane and re-reads each channel's parcels once per country (measured 70 s instead of
    about 1 s for a million parcels), or sorts every parcel to merge-join it. Without it, the
    overdue count walks the in-flight lane index once per lane. Settings are restored right
    after."""
    if connection.dialect.name != "postgresql":
        yield
        return
    settings = {"work_mem": f"'{AGGREGATION_WORK_MEM}'", "jit": "off"}
    if one_pass:
        settings |= {"enable_nestloop": "off", "enable_sort": "off"}
    for setting, value in settings.items():
        connection.execute(text(f"SET LOCAL {setting} = {value}"))
    try:
        yield
    finally:
        for setting in settings:
            connection.execute(text(f"SET LOCAL {setting} TO DEFAULT"))


def _unshipped(connection: Connection) -> dict[LaneKey, int]:
    query = (
        select(assignments.c.primary_channel_id, orders.c.country, func.count())
        .join(orders, same_order(orders, assignments))
        .where(
            assignments.c.superseded_at.is_(None),
            assignments.c.primary_channel_id.is_not(None),
            not_handed_over(),
            tenant_owns(orders.c.tenant_id),  # the tenant's own backlog
        )
        .group_by(assignments.c.primary_channel_id, orders.c.country)
    )
    return {(channel, country): int(count) for channel, country, count in connection.execute(query)}


def _assemble(
    profiles: Mapping[LaneKey, LaneProfile], sums: _LaneSums, unshipped: Mapping[LaneKey, int]
) -> dict[LaneKey, LaneHealth]:
    """Every lane's figures, with its channel's (summed over the channel's lanes: one origin
    hub) and the network's, into LaneHealth."""
    keys = list(profiles)
    channel_no = _numbered([key[0] for key in keys])
    channels = int(channel_no.max()) + 1 if keys else 0
    waiting = np.array([unshipped.get(key, 0) for key in keys], dtype=np.float64)

    def per_channel(values: NDArray[np.float64]) -> list[int]:
        summed = np.bincount(channel_no, weights=values, minlength=channels)
        return summed[channel_no].astype(np.int64).tolist()  # type: ignore[no-any-return]

    def lane(name: str) -> list[int]:
        return sums.figure(name).astype(np.int64).tolist()  # type: ignore[no-any-return]

    f = {name: lane(name) for name in IN_FLIGHT_FIGURES if name != "clearance_hours"}
    clearance_hours = sums.figure("clearance_hours").tolist()
    channel = {
        name: per_channel(sums.figure(name))
        for name in (
            "handed_over_24h",
            "stall_sample",
            "stalled_at_origin",
            "pickup_sample",
            "not_picked_up",
            "pickups_recent",
            "pickups_reference",
            "departures_recent",
            "departures_reference",
        )
    }
    backlog = per_channel(waiting + sums.figure("picked_not_departed"))
    network_exceptions = int(sums.figure("exceptions").sum())
    network_in_flight = int(sums.figure("in_flight").sum())
    histograms = sums.histogram.tolist()
    normal_delay = normal_delay_hours(
        [p.p50_hours for p in profiles.values()], [p.p90_hours for p in profiles.values()]
    ).tolist()
    health: dict[LaneKey, LaneHealth] = {}
    for i, (key, profile) in enumerate(profiles.items()):
        figures = LaneFigures(
            channel_id=key[0],
            country=key[1],
            in_flight=f["in_flight"][i],
            past_p50=f["past_p50"][i],
            overdue_histogram=tuple(histograms[i]),
            unshipped=unshipped.get(key, 0),
            picked_not_departed=f["picked_not_departed"][i],
            stall_sample=f["stall_sample"][i],
            stalled_at_origin=f["stalled_at_origin"][i],
            pickup_sample=f["pickup_sample"][i],
            not_picked_up=f["not_picked_up"][i],
            arrived=f["arrived"][i],
            clearance_hours_total=clearance_hours[i],
            in_customs=f["in_customs"][i],
            exceptions=f["exceptions"][i],
            network_exceptions=network_exceptions,
            network_in_flight=network_in_flight,
            handed_over_24h=f["handed_over_24h"][i],
            channel_backlog=backlog[i],
            channel_handed_over_24h=channel["handed_over_24h"][i],
            channel_stall_sample=channel["stall_sample"][i],
            channel_stalled_at_origin=channel["stalled_at_origin"][i],
            channel_pickup_sample=channel["pickup_sample"][i],
            channel_not_picked_up=channel["not_picked_up"][i],
            pickups=Flow(f["pickups_recent"][i], f["pickups_reference"][i]),
            departures=Flow(f["departures_recent"][i], f["departures_reference"][i]),
            channel_pickups=Flow(channel["pickups_recent"][i], channel["pickups_reference"][i]),
            channel_departures=Flow(
                channel["departures_recent"][i], channel["departures_reference"][i]
            ),
            arrivals=Flow(f["arrivals_recent"][i], f["arrivals_reference"][i]),
            clearances=Flow(f["clearances_recent"][i], f["clearances_reference"][i]),
            awaiting_arrival=f["awaiting_arrival"][i],
            awaiting_clearance=f["awaiting_clearance"][i],
            daily_capacity=profile.daily_capacity,
            normal_delay_hours=normal_delay[i],
        )
        health[key] = lane_health(figures)
    return health


def _numbered(names: Sequence[str]) -> NDArray[np.intp]:
    """Each name's number, in order of first appearance."""
    numbers: dict[str, int] = {}
    return np.array([numbers.setdefault(n, len(numbers)) for n in names], dtype=np.intp)
