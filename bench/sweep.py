"""Deviation sweep over active shipments on PostgreSQL: set-based SQL vs a Python loop.

    python bench/sweep.py [--size 1000000] [--baseline-size 50000]

Loads `--size` in-flight shipments (synthetic timelines over the default catalogue's channels
and lanes, seeded; stage durations are estimates) with COPY into a schema of its own (dropped
afterwards), VACUUM ANALYZEs it as autovacuum would after a bulk load, then measures:

  cold sweep    the first sweep, at NOW - 5 min, opening every breach found (alerts empty)
  sweep         the recurring sweep 5 minutes later (alerts analyzed in between, as
                autovacuum would), after ingestion recorded a departure for 1,000 alerted
                shipments: every active shipment evaluated again; the timed figure (`seconds`)
  baseline      fetch rows and evaluate the pure rules per shipment in Python, on the first
                `--baseline-size` active shipments; its rate is extrapolated

PostgreSQL: TRADELANE_BENCH_POSTGRES_URL, else TRADELANE_TEST_POSTGRES_URL, else the local
test server. The last line is one JSON object of figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine, func, select, text, update
from sqlalchemy.exc import OperationalError

sys.path.insert(0, str(Path(__file__).parent))
from common import report, timed
from tradelane.files.catalogue_file import default_catalogue
from tradelane.monitoring.plan import MonitoringPlan, breached_rules
from tradelane.monitoring.rules import MilestoneTimes, RuleId
from tradelane.monitoring.thresholds import (
    MonitoringConfig,
    ThresholdOverride,
)
from tradelane.selection.season import default_peak_windows
from tradelane.services.sweep import sweep
from tradelane.store.engine import make_engine
from tradelane.store.migrate import migrate
from tradelane.store.tables import alerts, shipments
from tradelane.store.uow import UnitOfWork

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
HOOK = "https://seller.example/tradelane-alerts"
SLOW_LINES = {"cn-eu-truck": 480, "cn-eu-rail": 600, "cn-us-fastsea": 528}  # estimate, hours
WAREHOUSE_OFF = frozenset({RuleId.NO_DEPARTURE, RuleId.NO_ARRIVAL, RuleId.CUSTOMS_HOLD})
CONFIG = MonitoringConfig(
    overrides=(
        *(ThresholdOverride(channel_id=c, no_arrival_hours=h) for c, h in SLOW_LINES.items()),
        ThresholdOverride(channel_id="wh-duisburg", disabled=WAREHOUSE_OFF),
        ThresholdOverride(channel_id="wh-los-angeles", disabled=WAREHOUSE_OFF),
        ThresholdOverride(country="BR", customs_hold_hours=168),
    )
)
# The catalogue's lanes with their own windows on top, and the peak calendar (as in production).
PLAN = MonitoringPlan.build(CONFIG, default_catalogue().channels, default_peak_windows(NOW.year))
# Mean hours from departure to arrival in the destination country, by mode (estimate).
ARRIVAL_HOURS = {
    "express": 48,
    "dedicated_air": 96,
    "postal": 144,
    "dedicated_truck": 300,
    "dedicated_rail": 360,
    "dedicated_sea": 340,
    "regional_hub": 96,
    "overseas_warehouse": 0,
}
COLUMNS = [
    "tracking_number",
    "carrier",
    "channel_id",
    "origin_country",
    "destination_country",
    "promised_at",
    "status",
    "status_rank",
    "is_active",
    "last_event_at",
    "picked_up_at",
    "departed_origin_at",
    "arrived_destination_at",
    "customs_hold_at",
    "customs_cleared_at",
    "out_for_delivery_at",
]
STAGES = [
    ("picked_up", 1, "picked_up_at"),
    ("departed_origin", 2, "departed_origin_at"),
    ("arrived_destination_country", 3, "arrived_destination_at"),
    ("customs_hold", 4, "customs_hold_at"),
    ("customs_cleared", 5, "customs_cleared_at"),
    ("out_for_delivery", 6, "out_for_delivery_at"),
]


def timelines(size: int, seed: int) -> dict[str, Any]:
    """Milestone hours relative to NOW (NaN: not reached) and lane of `size` in-flight parcels.

    Each parcel gets a whole planned timeline (stage durations: estimates) and NOW falls at a
    uniform point of it before delivery, so the population is what is in flight at one time.
    """
    rng = np.random.default_rng(seed)
    lanes = [(ch, lane) for ch in default_catalogue().channels for lane in ch.lanes]
    pick = rng.integers(0, len(lanes), size)
    arrival_mean = np.array([ARRIVAL_HOURS[lanes[i][0].mode.value] for i in pick], dtype=float)
    warehouse = arrival_mean == 0
    held = rng.random(size) < 0.08
    departed = np.where(warehouse, np.nan, rng.gamma(2, 10, size))
    arrived = departed + rng.gamma(4, arrival_mean / 4 + 1e-9, size)
    hold = np.where(held, arrived + 6, np.nan)
    cleared = np.where(held, hold + rng.gamma(2, 24, size), arrived + 12)
    out = np.where(warehouse, 20.0, cleared + rng.gamma(2, 24, size))
    age = rng.uniform(0, 1, size) * (out + 8)  # hours since pickup; delivery comes at out + 8
    offsets = {"picked_up_at": np.zeros(size), "departed_origin_at": departed}
    offsets |= {"arrived_destination_at": arrived, "customs_hold_at": hold}
    offsets |= {"customs_cleared_at": cleared, "out_for_delivery_at": out}
    times = {name: np.where(at <= age, at - age, np.nan) for name, at in offsets.items()}
    furthest = np.nanmax(np.column_stack(list(times.values())), axis=1)
    scanned = rng.random(size) < 0.85  # a hub scan since the last milestone
    scan = furthest * rng.uniform(0, 1, size)
    times["last_event_at"] = np.where(scanned, scan, furthest)
    p90_days = np.array([lanes[i][1].transit.p90_days for i in pick])
    times["promised_at"] = -age + (p90_days + 2) * 24
    return {"times": times, "lanes": [lanes[i] for i in pick]}


def copy_rows(engine: Engine, size: int, seed: int) -> None:
    """COPY the shipments in chunks (untimed setup)."""
    generated = timelines(size, seed)
    times, lanes = generated["times"], generated["lanes"]
    text_times = {name: _as_text(hours) for name, hours in times.items()}
    stage_of = np.zeros(size, dtype=int)
    for index, (_, _, column) in enumerate(STAGES):
        stage_of = np.where(~np.isnan(times[column]), index, stage_of)
    raw = engine.raw_connection()
    try:
        cursor = raw.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY shipments ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for start in range(0, size, 50_000):
                lines = []
                for i in range(start, min(start + 50_000, size)):
                    channel, lane = lanes[i]
                    status, rank, _ = STAGES[stage_of[i]]
                    row = [f"BENCH{i:09d}", channel.carrier, channel.id, "CN", lane.country]
                    row += [text_times["promised_at"][i], status, str(rank), "t"]
                    row += [text_times[c][i] for c in COLUMNS[9:]]
                    lines.append("\t".join(row))
                copy.write("\n".join(lines) + "\n")
        raw.commit()
    finally:
        raw.close()
    vacuum_analyze(engine, "shipments")


def vacuum_analyze(engine: Engine, table: str) -> None:
    """What autovacuum does after a bulk load: statistics and the visibility map."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f"VACUUM ANALYZE {table}"))


def _as_text(hours: np.ndarray) -> list[str]:
    stamps = np.datetime64(NOW.replace(tzinfo=None)) + (hours * 3600).astype("timedelta64[s]")
    rendered = np.datetime_as_string(stamps, unit="s")
    return [r"\N" if np.isnan(h) else f"{s}+00" for h, s in zip(hours, rendered, strict=True)]


def baseline_rate(engine: Engine, sample: int) -> float:
    """Shipments per second for fetch + pure evaluation in a Python loop."""
    columns = shipments.c
    query = (
        select(
            columns.status_rank,
            *(columns[c] for c in COLUMNS[9:]),
            columns.delivered_at,
            columns.promised_at,
            columns.channel_id,
            columns.destination_country,
        )
        .where(columns.is_active)
        .order_by(columns.id)
        .limit(sample)
    )

    def evaluate() -> int:
        found = 0
        with engine.connect() as connection:
            for row in connection.execute(query):
                *fields, channel, country = row
                times = MilestoneTimes(*fields)
                found += len(
                    breached_rules(times, channel_id=channel, country=country, plan=PLAN, now=NOW)
                )
        return found

    _, seconds = timed(evaluate)
    return sample / seconds


def record_departures(engine: Engine, count: int, at: datetime) -> None:
    """What ingestion would do between sweeps: a departure scan for `count` alerted shipments."""
    with engine.begin() as connection:
        alerted = (
            select(alerts.c.shipment_id)
            .where(alerts.c.rule == RuleId.NO_DEPARTURE.value, alerts.c.state == "open")
            .limit(count)
        )
        connection.execute(
            update(shipments)
            .where(shipments.c.id.in_(alerted))
            .values(
                departed_origin_at=at, last_event_at=at, status="departed_origin", status_rank=2
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--baseline-size", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    url = os.environ.get(
        "TRADELANE_BENCH_POSTGRES_URL",
        os.environ.get(
            "TRADELANE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1/test"
        ),
    )
    schema = f"bench_sweep_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        sys.exit(f"bench/sweep.py needs PostgreSQL; {url} is not reachable: {exc.orig}")
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        figures = run(engine, args)
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    report(figures)


def run(engine: Engine, args: argparse.Namespace) -> dict[str, Any]:
    migrate(engine)
    _, load_seconds = timed(lambda: copy_rows(engine, args.size, args.seed))
    print(f"loaded {args.size:,} shipments with COPY in {load_seconds:.1f} s", file=sys.stderr)
    uow = UnitOfWork(engine)
    before = NOW - timedelta(minutes=5)
    cold, cold_seconds = timed(lambda: sweep(PLAN, uow=uow, now=before, destinations=[HOOK]))
    vacuum_analyze(engine, "alerts")  # autovacuum's job within the 5 minutes
    record_departures(engine, 1_000, NOW - timedelta(minutes=2))
    steady, seconds = timed(lambda: sweep(PLAN, uow=uow, now=NOW, destinations=[HOOK]))
    with engine.connect() as connection:
        open_alerts = connection.scalar(
            select(func.count()).select_from(alerts).where(alerts.c.state == "open")
        )
    base_rate = baseline_rate(engine, args.baseline_size)
    rate = args.size / seconds
    print(
        f"cold sweep {cold_seconds:.2f} s opened {cold.opened_total:,}; sweep {seconds:.2f} s "
        f"opened {steady.opened_total:,} resolved {steady.resolved_total:,}; "
        f"{open_alerts:,} open alerts",
        file=sys.stderr,
    )
    return {
        "bench": "sweep",
        "shipments": args.size,
        "store": "postgresql",
        "seconds": round(seconds, 3),
        "per_second": round(rate),
        "baseline_per_second": round(base_rate),
        "ratio": round(rate / base_rate, 1),
        "cold_seconds": round(cold_seconds, 3),
        "cold_opened": cold.opened_total,
        "opened": steady.opened_total,
        "resolved": steady.resolved_total,
        "open_alerts": open_alerts,
        "baseline_sample": args.baseline_size,
    }


if __name__ == "__main__":
    main()
