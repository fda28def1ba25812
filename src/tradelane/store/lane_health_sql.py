"""The grouped passes over shipments in flight that lane health is measured from (SQL).

Parcels in flight are joined to a table of lane profiles (per lane, the hand-over times before
which a parcel is past its p50 / p90 transit), filled for one measurement:

    in_flight_query   per lane: lane_no, then the figures named in IN_FLIGHT_FIGURES, in that
                      order (all numbers, never NULL); counts use FILTER, so every figure of
                      every lane comes from one scan
    overdue_query     per (lane, delay bucket) of the parcels past p90: lane_no, bucket, count

Grouping the figures per lane alone (a few groups per worker) lets PostgreSQL aggregate in
parallel workers; the delay buckets, counted apart over the overdue parcels only, would
otherwise multiply the groups by the buckets and keep the aggregation in one process.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.sql.expression import ColumnElement, Select

from tradelane.store.parcels import not_departed_origin
from tradelane.store.sql_time import hours_between, whole_part
from tradelane.store.tables import shipments
from tradelane.store.tenancy import tenant_owns
from tradelane.store.types import UTCDateTime
from tradelane.switching.health import DELAY_BUCKET_HOURS, DELAY_BUCKETS, StallWindow

__all__ = ["IN_FLIGHT_FIGURES", "in_flight_query", "lane_profiles_table", "overdue_query"]

IN_FLIGHT_FIGURES = (
    "in_flight",
    "past_p50",
    "handed_over_24h",
    "picked_not_departed",
    "stall_sample",
    "stalled_at_origin",
    "exceptions",
    "arrived",
    "clearance_hours",
    "in_customs",
    "pickup_sample",
    "not_picked_up",
    "pickups_recent",
    "pickups_reference",
    "departures_recent",
    "departures_reference",
    "arrivals_recent",
    "arrivals_reference",
    "clearances_recent",
    "clearances_reference",
    "awaiting_arrival",
    "awaiting_clearance",
)  # in_flight_query's columns after lane_no, in order


def lane_profiles_table(name: str, *, prefixes: Sequence[str]) -> Table:
    """A table of lane profiles named `name`, created with `prefixes` (TEMPORARY, UNLOGGED)."""
    return Table(
        name,
        MetaData(),
        Column("channel_id", String(64), primary_key=True),
        Column("country", String(2), primary_key=True),
        Column("lane_no", Integer, nullable=False),  # position in the profiles: a cheap key
        Column("past_p50_before", UTCDateTime, nullable=False),
        Column("past_p90_before", UTCDateTime, nullable=False),
        Column("awaiting_clearance_before", UTCDateTime, nullable=False),
        prefixes=list(prefixes),
    )


def _in_flight(columns: Sequence[ColumnElement[Any]], lane: Table) -> Select[tuple[Any, ...]]:
    """`columns` over the parcels in flight joined to their lane (the tenant's own)."""
    s = shipments.c
    return (
        select(*columns)
        .join(
            lane, and_(lane.c.channel_id == s.channel_id, lane.c.country == s.destination_country)
        )
        .where(s.is_active.is_(True), s.delivered_at.is_(None), s.handed_over_at.is_not(None))
        .where(tenant_owns(s.tenant_id))  # a tenant's lanes are judged on its own parcels
    )


def overdue_query(lane: Table) -> Select[tuple[Any, ...]]:
    """Parcels in flight past their lane's p90, counted per (lane, delay bucket)."""
    started = shipments.c.handed_over_at
    raw_bucket = whole_part(hours_between(started, lane.c.past_p90_before) / DELAY_BUCKET_HOURS)
    bucket = case((raw_bucket >= DELAY_BUCKETS - 1, DELAY_BUCKETS - 1), else_=raw_bucket)
    return (
        _in_flight((lane.c.lane_no, bucket, func.count()), lane)
        .where(started < lane.c.past_p90_before)
        .group_by(lane.c.lane_no, bucket)
    )


def in_flight_query(now: datetime, stall: StallWindow, lane: Table) -> Select[tuple[Any, ...]]:
    """Parcels in flight joined to their lane, counted per lane. Counts use FILTER, cheaper
    than summing CASE flags."""
    s = shipments
    started = s.c.handed_over_at
    arrived = s.c.arrived_destination_at.is_not(None)
    cleared_at = func.coalesce(
        s.c.customs_cleared_at, s.c.out_for_delivery_at, literal(now, UTCDateTime())
    )
    day_ago = literal(now - timedelta(hours=24), UTCDateTime())
    stall_sample, stalled = _stall_filters(now, stall)
    pickup_sample, unpicked = _pickup_filters(now, stall)
    flows = _flow_filters(now, stall, lane)
    figures = _in_flight(
        (
            lane.c.lane_no,
            func.count(),
            func.count().filter(started < lane.c.past_p50_before),
            func.count().filter(started >= day_ago),
            func.count().filter(s.c.picked_up_at.is_not(None), s.c.departed_origin_at.is_(None)),
            func.count().filter(stall_sample),
            func.count().filter(stalled),
            func.count().filter(s.c.exception_at.is_not(None)),
            func.count().filter(arrived),
            func.coalesce(
                func.sum(hours_between(s.c.arrived_destination_at, cleared_at)).filter(arrived),
                0.0,
            ),
            func.count().filter(
                arrived, s.c.customs_cleared_at.is_(None), s.c.out_for_delivery_at.is_(None)
            ),
            func.count().filter(pickup_sample),
            func.count().filter(unpicked),
            *(func.count().filter(flow) for flow in flows),
        ),
        lane,
    )
    return figures.group_by(lane.c.lane_no)


def _stall_filters(
    now: datetime, stall: StallWindow
) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """(in the stall sample, stalled): picked up before now − after_hours and either within
    the window before that or still not departed; stalled = not departed."""
    picked, due_at = shipments.c.picked_up_at, now - timedelta(hours=stall.after_hours)
    due = picked < literal(due_at, UTCDateTime())
    since = literal(due_at - timedelta(hours=stall.window_hours), UTCDateTime())
    sample = and_(due, or_(picked >= since, not_departed_origin()))
    return sample, and_(due, not_departed_origin())


def _pickup_filters(
    now: datetime, stall: StallWindow
) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """(in the pickup sample, not picked up): labelled before now − pickup_after_hours and
    either within the window before that or still without any scan after the label."""
    s = shipments.c
    labelled, due_at = s.handed_over_at, now - timedelta(hours=stall.pickup_after_hours)
    due = labelled < literal(due_at, UTCDateTime())
    since = literal(due_at - timedelta(hours=stall.window_hours), UTCDateTime())
    waiting = and_(s.picked_up_at.is_(None), not_departed_origin())
    return and_(due, or_(labelled >= since, waiting)), and_(due, waiting)


def _flow_filters(
    now: datetime, stall: StallWindow, lane: Table
) -> tuple[ColumnElement[bool], ...]:
    """Pickups, departures, arrivals and clearances, each: in the last flow window (which ends
    the lag before now) and in the reference windows before it; then the parcels awaiting
    arrival (departed, older than the lane's p50, no later scan) and clearance (arrived
    before the lane's `awaiting_clearance_before`, neither cleared, out for delivery nor
    held)."""
    s = shipments.c
    window, until = (
        timedelta(hours=stall.flow_window_hours),
        now - timedelta(hours=stall.flow_lag_hours),
    )
    recent_to = literal(until, UTCDateTime())
    recent_from = literal(until - window, UTCDateTime())
    reference_from = literal(until - window * (stall.flow_reference_windows + 1), UTCDateTime())

    def counts(scan: ColumnElement[Any]) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
        return and_(scan >= recent_from, scan < recent_to), and_(
            scan >= reference_from, scan < recent_from
        )

    not_cleared = and_(s.customs_cleared_at.is_(None), s.out_for_delivery_at.is_(None))
    awaiting_arrival = and_(
        s.departed_origin_at.is_not(None),
        s.arrived_destination_at.is_(None),
        s.customs_hold_at.is_(None),
        not_cleared,
        s.handed_over_at < lane.c.past_p50_before,
    )
    return (
        *counts(s.picked_up_at),
        *counts(s.departed_origin_at),
        *counts(s.arrived_destination_at),
        *counts(s.customs_cleared_at),
        awaiting_arrival,
        # a parcel on a customs hold waits for its inspection (the customs_hold rule), not for
        # a customs that stopped clearing
        and_(
            s.arrived_destination_at < lane.c.awaiting_clearance_before,
            not_cleared,
            s.customs_hold_at.is_(None),
        ),
    )
