"""Tracking ingestion throughput: the bulk path vs one commit per event, SQLite and PostgreSQL.

    python bench/ingest.py [--size 200000] [--baseline-size 2000] [--events-per-shipment 10]

Normalised events (built before timing) go through `ingest_events` in one batch: staging
(SQLite executemany / PostgreSQL COPY), one de-duplicating INSERT ... SELECT, shipment
creation and the set-based projection refresh, one commit. The baseline ingests a smaller
sample one event per transaction through the same service. PostgreSQL runs in a schema of its
own, dropped afterwards (skipped, with the reason, when the server is unreachable). The last
line is one JSON object; the headline rate is the slower store's.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from sqlalchemy import Engine, text

from common import report, timed
from tradelane.domain.shipments import Milestone, TrackingEvent
from tradelane.services.ingest_tracking import ingest_events
from tradelane.store.engine import make_engine
from tradelane.store.migrate import migrate
from tradelane.store.uow import UnitOfWork

START = datetime(2026, 11, 20, tzinfo=UTC)
POSTGRES_URL = os.environ.get(
    "TRADELANE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
JOURNEY = [
    (Milestone.INFO_RECEIVED, "CN"),
    (Milestone.PICKED_UP, "CN"),
    (Milestone.IN_TRANSIT, "CN"),
    (Milestone.IN_TRANSIT, "CN"),
    (Milestone.DEPARTED_ORIGIN, "CN"),
    (Milestone.IN_TRANSIT, "DE"),
    (Milestone.ARRIVED_DESTINATION_COUNTRY, "US"),
    (Milestone.CUSTOMS_HOLD, "US"),
    (Milestone.CUSTOMS_CLEARED, "US"),
    (Milestone.OUT_FOR_DELIVERY, "US"),
    (Milestone.DELIVERED, "US"),
]


def make_events(count: int, per_shipment: int, *, seed: int, prefix: str) -> list[TrackingEvent]:
    """`count` scans over count/per_shipment parcels, each a prefix of a CN->US journey."""
    rng = random.Random(seed)
    events = []
    for index in range(count):
        parcel, step = divmod(index, per_shipment)
        milestone, country = JOURNEY[min(step, len(JOURNEY) - 1)]
        at = START + timedelta(hours=parcel % 500 + step * 11, seconds=rng.randrange(3600))
        events.append(
            TrackingEvent(
                carrier="yunexpress",
                tracking_number=f"{prefix}{parcel:010d}",
                occurred_at=at,
                milestone=milestone,
                status_code=f"S{step:02d}",
                status_text="scan",
                location=f"hub {country}-{step}",
                country=country,
            )
        )
    rng.shuffle(events)  # arrival order is not journey order
    return events


def measure(
    engine: Engine, events: list[TrackingEvent], few: list[TrackingEvent]
) -> dict[str, Any]:
    uow = UnitOfWork(engine)
    result, seconds = timed(lambda: ingest_events(events, source="bench", uow=uow, now=START))
    assert result.stored == len(events), result

    def one_commit_per_event() -> None:
        for event in few:
            ingest_events([event], source="bench", uow=uow, now=START)

    _, base_seconds = timed(one_commit_per_event)
    rate, base_rate = len(events) / seconds, len(few) / base_seconds
    return {
        "seconds": round(seconds, 2),
        "per_second": round(rate),
        "baseline_per_second": round(base_rate),
        "ratio": round(rate / base_rate, 1),
    }


@contextmanager
def postgres_schema() -> Iterator[Engine]:
    schema = f"bench_ingest_{os.getpid()}"
    admin = make_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        migrate(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--baseline-size", type=int, default=2_000)
    parser.add_argument("--events-per-shipment", type=int, default=10)
    args = parser.parse_args()
    events = make_events(args.size, args.events_per_shipment, seed=1, prefix="YT")
    few = make_events(args.baseline_size, args.events_per_shipment, seed=2, prefix="YB")
    stores: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        migrate(engine)
        stores["sqlite"] = measure(engine, events, few)
        engine.dispose()
    try:
        with postgres_schema() as pg_engine:
            stores["postgresql"] = measure(pg_engine, events, few)
    except Exception as exc:  # unreachable server: report why instead of a figure
        stores["postgresql"] = {"skipped": f"{type(exc).__name__}: {exc}".splitlines()[0]}
    for name, figures in stores.items():
        print(f"{name}: {figures}")
    measured = [f for f in stores.values() if "per_second" in f]
    slowest = min(measured, key=lambda f: f["per_second"])
    report(
        {
            "bench": "ingest",
            "events": args.size,
            "shipments": args.size // args.events_per_shipment,
            "baseline_events": args.baseline_size,
            **slowest,
            "stores": stores,
        }
    )


if __name__ == "__main__":
    main()
