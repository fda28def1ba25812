"""One switching evaluation over many channel lanes and in-flight shipments on PostgreSQL.

    python bench/switching.py [--size 1000000] [--lanes 10000] [--baseline-sample 100000]

Loads a generated catalogue (lanes = channels x 20 countries) and `--size` in-flight shipments
into a schema of its own (COPY), dropped afterwards. 1 % of lanes are stalled (parcels ~120 h
past p90) with two breaching evaluations already behind them, so this evaluation switches them:
audit rows, re-assignments and customer notices are part of the timed work.

Fast path: `evaluate_switching` (set-based SQL health + policy + actions, one transaction)
with the application's re-assignment (PromiseReassigner: each diverted order re-quoted over
the installed catalogue and re-decided);
`health_only_seconds` times the read-only health measurement alone, just before.
Baseline: fetch a sample of in-flight rows, compute every lane figure the fast path's query
counts (delay histogram, stall and pickup-silence samples, clearance, exceptions, the pickup,
departure, arrival and clearance flows with the parcels awaiting them) in a Python loop, sum
them per channel hub and over the network (exception share), and assess each lane,
extrapolated to `--size` (no writes, so the ratio understates the fast path). The last line
is one JSON object of figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine, select, text

sys.path.insert(0, str(Path(__file__).parent))
from common import report, timed
from tradelane.config import DEFAULT_FX_TO_USD
from tradelane.domain.catalog import Catalogue
from tradelane.files.rules_file import default_rules
from tradelane.selection.conditions import FxTable
from tradelane.selection.policy import Policy
from tradelane.services.channel_health import channel_health
from tradelane.services.promise_reassignment import PromiseReassigner
from tradelane.services.switching import evaluate_switching
from tradelane.store.engine import make_engine
from tradelane.store.migrate import migrate
from tradelane.store.tables import shipments
from tradelane.store.uow import UnitOfWork
from tradelane.switching.health import (
    DELAY_BUCKETS,
    Flow,
    LaneFigures,
    LaneProfile,
    StallWindow,
    awaiting_clearance_before,
    delay_bucket,
    lane_health,
    lane_profiles,
)
from tradelane.switching.policy import LaneStatus
from tradelane.switching.states import HealthState
from tradelane.switching.triggers import assess

URL = os.environ.get(
    "TRADELANE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
NOW = datetime(2026, 9, 14, 8, tzinfo=UTC)  # no peak window open
COUNTRIES = [
    "US",
    "DE",
    "GB",
    "FR",
    "IT",
    "ES",
    "NL",
    "PL",
    "CA",
    "AU",
    "BR",
    "MX",
    "SG",
    "MY",
    "TH",
    "ID",
    "PH",
    "JP",
    "KR",
    "SE",
]
UNSHIPPED_PER_LANE = 5
WEBHOOK = "https://seller.example/hooks/tradelane"  # one destination: one message per notice


def catalogue(lanes: int, rng: np.random.Generator) -> Catalogue:
    channels = []
    for number in range(lanes // len(COUNTRIES)):
        p50 = float(rng.uniform(4, 20))
        channels.append(
            {
                "id": f"bench-line-{number:04d}",
                "name": f"bench line {number}",
                "carrier": f"carrier-{number % 40}",
                "service": "standard",
                "mode": "dedicated_air",
                "origin": "CN",
                "limits": {"max_weight_kg": 30},
                "daily_capacity": 5000,
                "rate_card": {
                    "currency": "USD",
                    "volumetric_divisor_cm3_per_kg": 6000,
                    "rounding_increment_kg": 0.1,
                    "zones": {
                        "A": [{"style": "per_kg", "from_kg": 0, "to_kg": 30, "per_kg_price": 8}]
                    },
                },
                "lanes": [
                    {"country": c, "zone": "A", "transit": {"p50_days": p50, "p90_days": p50 * 1.5}}
                    for c in COUNTRIES
                ],
            }
        )
    return Catalogue.model_validate({"name": "bench", "channels": channels})


def _iso(moments: np.ndarray) -> list[str]:
    return [f"{m}+00" for m in np.datetime_as_string(moments, unit="s")]


def shipment_lines(
    profiles: list[LaneProfile], stalled: set[int], size: int, rng: np.random.Generator
):  # type: ignore[no-untyped-def]
    """Tab-separated COPY lines, in chunks, for `size` in-flight parcels."""
    now = np.datetime64(NOW.replace(tzinfo=None), "s")
    p90 = np.array([p.p90_hours for p in profiles])
    chunk = 200_000
    for start in range(0, size, chunk):
        n = min(chunk, size - start)
        lane = rng.integers(0, len(profiles), n)
        age = rng.uniform(0, 1, n) * p90[lane]
        tail = rng.random(n) < 0.08
        age[tail] = p90[lane][tail] + rng.exponential(12, tail.sum())
        stuck = np.isin(lane, list(stalled))
        age[stuck] = p90[lane][stuck] + rng.uniform(100, 140, stuck.sum())
        handed = now - (age * 3600).astype("timedelta64[s]")
        arrived = age > 0.4 * p90[lane]
        arrived_at = handed + (0.4 * p90[lane] * 3600).astype("timedelta64[s]")
        cleared = arrived & (now - arrived_at > np.timedelta64(24, "h"))
        cleared_at = arrived_at + np.timedelta64(24, "h")
        departed = age > 24
        exception = rng.random(n) < 0.01
        handed_s, arrived_s, cleared_s = _iso(handed), _iso(arrived_at), _iso(cleared_at)
        departed_s = _iso(handed + np.timedelta64(24, "h"))
        for i in range(n):
            number = start + i
            p = profiles[lane[i]]
            yield (
                "\t".join(
                    (
                        f"BN{number:09d}",
                        "bench",
                        f"BO{number:09d}",
                        p.channel_id,
                        "CN",
                        p.country,
                        handed_s[i],
                        "t",
                        handed_s[i],
                        departed_s[i] if departed[i] else "\\N",
                        arrived_s[i] if arrived[i] else "\\N",
                        cleared_s[i] if cleared[i] else "\\N",
                        handed_s[i] if exception[i] else "\\N",
                    )
                )
                + "\n"
            )


SHIPMENT_COLUMNS = (
    "tracking_number, carrier, order_id, channel_id, origin_country, destination_country, "
    "handed_over_at, is_active, picked_up_at, departed_origin_at, arrived_destination_at, "
    "customs_cleared_at, exception_at"
)


def load(engine: Engine, profiles: list[LaneProfile], stalled: set[int], size: int) -> int:
    rng = np.random.default_rng(7)
    raw = engine.raw_connection()
    try:
        cursor = raw.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY shipments ({SHIPMENT_COLUMNS}) FROM STDIN") as copy:
            for line in shipment_lines(profiles, stalled, size, rng):
                copy.write(line)
        unshipped = _load_unshipped(cursor, profiles)
        raw.commit()
    finally:
        raw.close()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))  # as autovacuum would have by now
    return unshipped


def _load_unshipped(cursor: Any, profiles: list[LaneProfile]) -> int:
    now = NOW.isoformat()
    orders, assignments = [], []
    for index, p in enumerate(profiles):
        for k in range(UNSHIPPED_PER_LANE):
            order_id = f"UO{index:05d}{k}"
            orders.append(
                f"{order_id}\t{now}\tdirect\t{p.country}\tUSD\t25\t0.3\tgeneral\tSKU\t"
                f"standard\t20\tnew\t{now}\n"
            )
            assignments.append(
                f'{order_id}\t{p.channel_id}\t["bench-line-0000"]\t{{}}\tbench\t'
                f"bench\tinitial\t{now}\n"
            )
    order_columns = (
        "order_id, created_at, marketplace, country, currency, declared_value, "
        "weight_kg, goods_classes, skus, urgency, promised_days, status, imported_at"
    )
    with cursor.copy(f"COPY orders ({order_columns}) FROM STDIN") as copy:
        copy.write("".join(orders))
    assignment_columns = (
        "order_id, primary_channel_id, backup_channel_ids, score, reason, "
        "policy_version, cause, assigned_at"
    )
    with cursor.copy(f"COPY assignments ({assignment_columns}) FROM STDIN") as copy:
        copy.write("".join(assignments))
    return len(orders)


def seed_streaks(
    engine: Engine, found: Catalogue, profiles: list[LaneProfile], stalled: set[int], k: int
) -> None:
    """The catalogue is installed (the application's re-assignment quotes its channels) and
    the stalled lanes have breached K-1 times already: this evaluation switches them."""
    status = LaneStatus(HealthState.HEALTHY, NOW - timedelta(days=30), breaching_streak=k - 1)
    with UnitOfWork(engine) as uow:
        uow.catalogues.add(found, source="bench", now=NOW - timedelta(days=1))
        keys = [(profiles[i].channel_id, profiles[i].country) for i in sorted(stalled)]
        uow.channel_states.save(dict.fromkeys(keys, status), now=NOW - timedelta(hours=1))
        uow.commit()


FIGURES = (
    "n",
    "past_p50",
    "recent",
    "picked_not_departed",
    "stall_n",
    "stalled",
    "exc",
    "arrived",
    "clear_h",
    "in_customs",
    "pickup_n",
    "unpicked",
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
)
CHANNEL_FIGURES = (
    "recent",
    "stall_n",
    "stalled",
    "pickup_n",
    "unpicked",
    "pickups_recent",
    "pickups_reference",
    "departures_recent",
    "departures_reference",
)


def _lane_sums() -> dict[str, Any]:
    return {**dict.fromkeys(FIGURES, 0), "clear_h": 0.0, "hist": [0] * DELAY_BUCKETS}


@dataclass(frozen=True)
class _Moments:
    """The instants the figures compare scans with (as the fast path's query does)."""

    day_ago: datetime
    stall_due: datetime
    stall_since: datetime
    pickup_due: datetime
    pickup_since: datetime
    recent_from: datetime
    recent_to: datetime
    reference_from: datetime

    @classmethod
    def at(cls, now: datetime, stall: StallWindow) -> _Moments:
        window = timedelta(hours=stall.flow_window_hours)
        until = now - timedelta(hours=stall.flow_lag_hours)
        stall_due = now - timedelta(hours=stall.after_hours)
        pickup_due = now - timedelta(hours=stall.pickup_after_hours)
        return cls(
            day_ago=now - timedelta(hours=24),
            stall_due=stall_due,
            stall_since=stall_due - timedelta(hours=stall.window_hours),
            pickup_due=pickup_due,
            pickup_since=pickup_due - timedelta(hours=stall.window_hours),
            recent_from=until - window,
            recent_to=until,
            reference_from=until - window * (stall.flow_reference_windows + 1),
        )


def _flow(lane: dict[str, Any], name: str, scan: datetime | None, at: _Moments) -> None:
    if scan is None:
        return
    if at.recent_from <= scan < at.recent_to:
        lane[f"{name}_recent"] += 1
    elif at.reference_from <= scan < at.recent_from:
        lane[f"{name}_reference"] += 1


def _count_row(
    lane: dict[str, Any], profile: LaneProfile, waited_from: datetime, row: Any, at: _Moments
) -> None:
    """One in-flight row into its lane's sums: every figure the fast path's query counts
    (`waited_from`: the lane's `awaiting_clearance_before`)."""
    handed, picked, departed, arrived, hold, cleared, out, exception = row[2:]
    age = (NOW - handed).total_seconds() / 3600
    not_cleared = cleared is None and out is None
    not_departed = departed is None and arrived is None and hold is None and not_cleared
    lane["n"] += 1
    lane["past_p50"] += age > profile.p50_hours
    lane["recent"] += handed >= at.day_ago
    if age > profile.p90_hours:
        lane["hist"][delay_bucket(age - profile.p90_hours)] += 1
    if picked is not None:
        lane["picked_not_departed"] += departed is None
        if picked < at.stall_due:
            lane["stall_n"] += picked >= at.stall_since or not_departed
            lane["stalled"] += not_departed
    if handed < at.pickup_due:
        waiting = picked is None and not_departed
        lane["pickup_n"] += handed >= at.pickup_since or waiting
        lane["unpicked"] += waiting
    lane["exc"] += exception is not None
    if arrived is not None:
        lane["arrived"] += 1
        lane["clear_h"] += ((cleared or out or NOW) - arrived).total_seconds() / 3600
        lane["in_customs"] += not_cleared
        waited = arrived < waited_from and not_cleared and hold is None
        lane["awaiting_clearance"] += waited
    elif departed is not None and hold is None and not_cleared and age > profile.p50_hours:
        lane["awaiting_arrival"] += 1
    for name, scan in (
        ("pickups", picked),
        ("departures", departed),
        ("arrivals", arrived),
        ("clearances", cleared),
    ):
        _flow(lane, name, scan, at)


def _flows(sums: dict[str, Any], name: str) -> Flow:
    return Flow(sums[f"{name}_recent"], sums[f"{name}_reference"])


def _figures(
    key: tuple[str, str],
    lane: dict[str, Any],
    hub: dict[str, Any],
    network: tuple[int, int],
    profile: LaneProfile,
) -> LaneFigures:
    return LaneFigures(
        key[0],
        key[1],
        in_flight=lane["n"],
        past_p50=lane["past_p50"],
        overdue_histogram=tuple(lane["hist"]),
        picked_not_departed=lane["picked_not_departed"],
        stall_sample=lane["stall_n"],
        stalled_at_origin=lane["stalled"],
        pickup_sample=lane["pickup_n"],
        not_picked_up=lane["unpicked"],
        arrived=lane["arrived"],
        clearance_hours_total=lane["clear_h"],
        in_customs=lane["in_customs"],
        exceptions=lane["exc"],
        network_exceptions=network[0],
        network_in_flight=network[1],
        handed_over_24h=lane["recent"],
        channel_backlog=hub["picked_not_departed"],
        channel_handed_over_24h=hub["recent"],
        channel_stall_sample=hub["stall_n"],
        channel_stalled_at_origin=hub["stalled"],
        channel_pickup_sample=hub["pickup_n"],
        channel_not_picked_up=hub["unpicked"],
        pickups=_flows(lane, "pickups"),
        departures=_flows(lane, "departures"),
        channel_pickups=_flows(hub, "pickups"),
        channel_departures=_flows(hub, "departures"),
        arrivals=_flows(lane, "arrivals"),
        clearances=_flows(lane, "clearances"),
        awaiting_arrival=lane["awaiting_arrival"],
        awaiting_clearance=lane["awaiting_clearance"],
        daily_capacity=profile.daily_capacity,
    )


def baseline(engine: Engine, profiles: dict[tuple[str, str], LaneProfile], sample: int) -> float:
    """Fetch `sample` in-flight rows, compute every lane figure in a plain Python loop (lane,
    channel hub and network sums, flows included) and assess each lane against the rules (the
    fast path's work minus its writes and its unshipped backlog query)."""
    triggers = default_rules().triggers
    at = _Moments.at(NOW, triggers.stall_window)

    def work() -> int:
        s = shipments.c
        columns = (
            s.channel_id,
            s.destination_country,
            s.handed_over_at,
            s.picked_up_at,
            s.departed_origin_at,
            s.arrived_destination_at,
            s.customs_hold_at,
            s.customs_cleared_at,
            s.out_for_delivery_at,
            s.exception_at,
        )
        query = (
            select(*columns)
            .where(s.is_active.is_(True), s.delivered_at.is_(None), s.handed_over_at.is_not(None))
            .limit(sample)
        )
        sums: dict[tuple[str, str], dict[str, Any]] = defaultdict(_lane_sums)
        waited_from = {
            key: awaiting_clearance_before(p, NOW, triggers.stall_window)
            for key, p in profiles.items()
        }
        with engine.connect() as connection:
            for row in connection.execute(query):
                key = (row[0], row[1])
                profile = profiles.get(key)
                if profile is not None:
                    _count_row(sums[key], profile, waited_from[key], row, at)
        hubs: dict[str, dict[str, Any]] = defaultdict(_lane_sums)
        for (channel, _), lane in sums.items():
            for name in (*CHANNEL_FIGURES, "picked_not_departed"):
                hubs[channel][name] += lane[name]
        network = (sum(x["exc"] for x in sums.values()), sum(x["n"] for x in sums.values()))
        for key, lane in sums.items():
            health = lane_health(_figures(key, lane, hubs[key[0]], network, profiles[key]))
            assess(health, triggers)
        return sample

    _, seconds = timed(work)
    return sample / seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--lanes", type=int, default=10_000)
    parser.add_argument("--baseline-sample", type=int, default=100_000)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    found = catalogue(args.lanes, rng)
    profiles = lane_profiles(found)
    ordered = list(profiles.values())
    stalled = set(rng.choice(len(ordered), size=len(ordered) // 100, replace=False).tolist())
    rules = default_rules()
    schema = f"bench_switching_{uuid.uuid4().hex[:8]}"
    admin = make_engine(URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        migrate(engine)
        unshipped = load(engine, ordered, stalled, args.size)
        seed_streaks(engine, found, ordered, stalled, rules.evaluation.enter_after_evaluations)
        _, health_seconds = timed(
            lambda: channel_health(uow=UnitOfWork(engine), catalogue=found, now=NOW)
        )
        result, seconds = timed(
            lambda: evaluate_switching(
                uow=UnitOfWork(engine),
                catalogue=found,
                rules=rules,
                now=NOW,
                reassign=PromiseReassigner(Policy(), FxTable(DEFAULT_FX_TO_USD, "USD")),
                destinations=[WEBHOOK],
            )
        )
        base_rate = baseline(engine, profiles, min(args.baseline_sample, args.size))
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    rate = args.size / seconds
    report(
        {
            "bench": "switching",
            "store": "postgresql",
            "lanes": result.lanes,
            "in_flight_shipments": args.size,
            "unshipped_orders": unshipped,
            "switches_opened": len(result.opened),
            "orders_reassigned": result.reassigned,
            "notices": result.notices,
            "seconds": round(seconds, 2),
            "health_only_seconds": round(health_seconds, 2),
            "per_second": round(rate),
            "baseline_per_second": round(base_rate),
            "baseline_seconds_extrapolated": round(args.size / base_rate, 1),
            "ratio": round(rate / base_rate, 1),
        }
    )


if __name__ == "__main__":
    main()
