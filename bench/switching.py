"""One switching evaluation over many channel lanes and in-flight shipments on PostgreSQL.

    python bench/switching.py [--size 1000000] [--lanes 10000] [--baseline-sample 100000]

Loads a generated catalogue (lanes = channels x 20 countries) and `--size` in-flight shipments
into a schema of its own (COPY), dropped afterwards. 1 % of lanes are stalled (parcels ~120 h
past p90) with two breaching evaluations already behind them, so this evaluation switches them:
audit rows, re-assignments and customer notices are part of the timed work.

Fast path: `evaluate_switching` (set-based SQL health + policy + actions, one transaction);
`health_only_seconds` times the read-only health measurement alone, just before.
Baseline: fetch a sample of in-flight rows, compute every lane figure the fast path's query
counts (delay histogram, stall and pickup-silence samples, clearance, exceptions) in a Python
loop and assess each lane, extrapolated to `--size` (no writes, so the ratio understates the
fast path). The last line is one JSON object of figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine, select, text

sys.path.insert(0, str(Path(__file__).parent))
from common import report, timed
from tradelane.domain.catalog import Catalogue
from tradelane.files.rules_file import default_rules
from tradelane.services.channel_health import channel_health
from tradelane.services.reassignment import reassign_to_stored_backups
from tradelane.services.switching import evaluate_switching
from tradelane.store.engine import make_engine
from tradelane.store.migrate import migrate
from tradelane.store.tables import shipments
from tradelane.store.uow import UnitOfWork
from tradelane.switching.health import (
    LaneFigures,
    LaneProfile,
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
STALL = default_rules().triggers.stall_window
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


def seed_streaks(engine: Engine, profiles: list[LaneProfile], stalled: set[int], k: int) -> None:
    """The stalled lanes have breached K-1 times already: this evaluation switches them."""
    status = LaneStatus(HealthState.HEALTHY, NOW - timedelta(days=30), breaching_streak=k - 1)
    with UnitOfWork(engine) as uow:
        keys = [(profiles[i].channel_id, profiles[i].country) for i in sorted(stalled)]
        uow.channel_states.save(dict.fromkeys(keys, status), now=NOW - timedelta(hours=1))
        uow.commit()


def _lane_sums() -> dict[str, Any]:
    return {
        "n": 0,
        "past_p50": 0,
        "hist": [0] * 60,
        "arrived": 0,
        "clear_h": 0.0,
        "exc": 0,
        "recent": 0,
        "stall_n": 0,
        "stalled": 0,
        "pickup_n": 0,
        "unpicked": 0,
    }


def _count_row(lane: dict[str, Any], profile: LaneProfile, row: Any) -> None:
    """One in-flight row into its lane's sums: every figure the fast path's query counts."""
    _, _, handed, picked, departed, arrived, cleared, exception = row
    age = (NOW - handed).total_seconds() / 3600
    lane["n"] += 1
    lane["past_p50"] += age > profile.p50_hours
    lane["recent"] += age <= 24
    if age > profile.p90_hours:
        lane["hist"][delay_bucket(age - profile.p90_hours)] += 1
    if picked is not None:
        waited = (NOW - picked).total_seconds() / 3600
        stuck = departed is None and arrived is None
        if waited > STALL.after_hours and (
            waited <= STALL.after_hours + STALL.window_hours or stuck
        ):
            lane["stall_n"] += 1
            lane["stalled"] += stuck
    elif age > STALL.pickup_after_hours and (
        age <= STALL.pickup_after_hours + STALL.window_hours or departed is None
    ):
        lane["pickup_n"] += 1
        lane["unpicked"] += departed is None and arrived is None
    if arrived is not None:
        lane["arrived"] += 1
        lane["clear_h"] += ((cleared or NOW) - arrived).total_seconds() / 3600
    lane["exc"] += exception is not None


def baseline(engine: Engine, profiles: dict[tuple[str, str], LaneProfile], sample: int) -> float:
    """Fetch `sample` in-flight rows, compute every lane figure in a plain Python loop and
    assess each lane against the rules (the fast path's work minus its writes)."""
    triggers = default_rules().triggers

    def work() -> int:
        s = shipments.c
        columns = (
            s.channel_id,
            s.destination_country,
            s.handed_over_at,
            s.picked_up_at,
            s.departed_origin_at,
            s.arrived_destination_at,
            s.customs_cleared_at,
            s.exception_at,
        )
        query = select(*columns).where(s.is_active.is_(True)).limit(sample)
        sums: dict[tuple[str, str], dict[str, Any]] = defaultdict(_lane_sums)
        with engine.connect() as connection:
            for row in connection.execute(query):
                key = (row[0], row[1])
                _count_row(sums[key], profiles[key], row)
        for (channel, country), lane in sums.items():
            health = lane_health(
                LaneFigures(
                    channel,
                    country,
                    in_flight=lane["n"],
                    past_p50=lane["past_p50"],
                    overdue_histogram=tuple(lane["hist"]),
                    stall_sample=lane["stall_n"],
                    stalled_at_origin=lane["stalled"],
                    pickup_sample=lane["pickup_n"],
                    not_picked_up=lane["unpicked"],
                    arrived=lane["arrived"],
                    clearance_hours_total=lane["clear_h"],
                    exceptions=lane["exc"],
                    handed_over_24h=lane["recent"],
                )
            )
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
        seed_streaks(engine, ordered, stalled, rules.evaluation.enter_after_evaluations)
        _, health_seconds = timed(
            lambda: channel_health(uow=UnitOfWork(engine), catalogue=found, now=NOW)
        )
        result, seconds = timed(
            lambda: evaluate_switching(
                uow=UnitOfWork(engine),
                catalogue=found,
                rules=rules,
                now=NOW,
                reassign=reassign_to_stored_backups,
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
