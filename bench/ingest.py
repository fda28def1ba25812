"""Tracking ingestion throughput: the bulk path vs one commit per event, SQLite and PostgreSQL.

    python bench/ingest.py [--size 200000] [--baseline-size 2000] [--events-per-shipment 10]
                           [--repeat 3]

Normalised events (built before timing) go through `ingest_events` in one batch: SQLite
multi-row INSERTs / PostgreSQL binary COPY into a staging table and one de-duplicating
INSERT ... SELECT per stage, then one statement creating every shipment with its projection,
one commit. Each repeat ingests into a fresh store (the figure is the median, the best is
shown too); the results are checked (events stored, shipments created, one projection
against derive_timeline). The baseline then ingests a smaller sample into that store, one
event per transaction through the same service. PostgreSQL runs in schemas of its own,
dropped afterwards (skipped, with the reason, when the server is unreachable). The machine's
load average is reported with the figures. The last line is one JSON object; the headline
rate is the slower store's.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from common import report, timed
from tradelane.domain.shipments import Milestone, TrackingEvent
from tradelane.services.ingest_tracking import ingest_events
from tradelane.store.engine import make_engine
from tradelane.store.migrate import migrate
from tradelane.store.uow import UnitOfWork
from tradelane.tracking.normalize import derive_timeline

START = datetime(2026, 11, 20, tzinfo=UTC)
RECEIVED = START + timedelta(days=40)  # after every generated scan (at most ~26 days in)
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


def bulk(engine: Engine, events: list[TrackingEvent], per_shipment: int) -> float:
    """Seconds to ingest `events` in one batch; fails loudly if the result is not right."""
    uow = UnitOfWork(engine)
    result, seconds = timed(lambda: ingest_events(events, source="bench", uow=uow, now=RECEIVED))
    expected = -(-len(events) // per_shipment)
    assert (result.stored, result.shipments_created) == (len(events), expected), result
    sample = events[0].tracking_number
    with uow:
        stored = uow.tracking.get(sample)
        timeline = derive_timeline(uow.tracking.events(sample))
    assert (stored["status"], stored["last_event_at"]) == (
        timeline.status.value,
        timeline.last_event_at,
    ), (sample, stored, timeline)
    return seconds


def one_commit_per_event(engine: Engine, few: list[TrackingEvent]) -> float:
    uow = UnitOfWork(engine)

    def ingest_each() -> None:
        for event in few:
            ingest_events([event], source="bench", uow=uow, now=RECEIVED)

    return timed(ingest_each)[1]


def measure(
    stores: Callable[[], AbstractContextManager[Engine]],
    events: list[TrackingEvent],
    few: list[TrackingEvent],
    *,
    per_shipment: int,
    repeat: int,
) -> dict[str, Any]:
    """Bulk runs on `repeat` fresh stores; the baseline on the last of them (already full)."""
    runs = []
    for index in range(repeat):
        with stores() as engine:
            runs.append(bulk(engine, events, per_shipment))
            if index == repeat - 1:
                base_seconds = one_commit_per_event(engine, few)
    seconds = statistics.median(runs)
    rate, base_rate = len(events) / seconds, len(few) / base_seconds
    return {
        "seconds": round(seconds, 2),
        "per_second": round(rate),
        "best_per_second": round(len(events) / min(runs)),
        "runs_seconds": [round(r, 2) for r in runs],
        "baseline_per_second": round(base_rate),
        "ratio": round(rate / base_rate, 1),
    }


@contextmanager
def sqlite_store() -> Iterator[Engine]:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        migrate(engine)
        try:
            yield engine
        finally:
            engine.dispose()


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
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    per_shipment = args.events_per_shipment
    events = make_events(args.size, per_shipment, seed=1, prefix="YT")
    few = make_events(args.baseline_size, per_shipment, seed=2, prefix="YB")
    options = {"per_shipment": per_shipment, "repeat": args.repeat}
    load_before = os.getloadavg()[0]
    stores: dict[str, Any] = {"sqlite": measure(sqlite_store, events, few, **options)}
    try:
        stores["postgresql"] = measure(postgres_schema, events, few, **options)
    except OperationalError as exc:  # unreachable server: report why instead of a figure
        stores["postgresql"] = {"skipped": f"{type(exc).__name__}: {exc}".splitlines()[0]}
    for name, figures in stores.items():
        print(f"{name}: {figures}")
    measured = [f for f in stores.values() if "per_second" in f]
    slowest = min(measured, key=lambda f: f["per_second"])
    report(
        {
            "bench": "ingest",
            "events": args.size,
            "shipments": args.size // per_shipment,
            "baseline_events": args.baseline_size,
            **slowest,
            "stores": stores,
            "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        }
    )


if __name__ == "__main__":
    main()
