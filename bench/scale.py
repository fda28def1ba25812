"""Tracking events/s end to end on PostgreSQL: signed HTTP webhook -> API -> (Redis queue ->
Celery worker) -> PostgreSQL -> shipment projection, with 1 and 2 workers beside the in-process
path (the API storing the webhooks itself), in one run.

    python bench/scale.py [--size 3000] [--concurrency 32] [--events-per-webhook 2]
                          [--database-url URL] [--broker-url URL] [--time-limit 60]

Each path gets a PostgreSQL schema of its own (dropped afterwards) and, for the queued paths, a
Redis queue of its own. The clock starts at the first request and stops when the store holds
every event: the webhook counts (all `accepted`), the events and the projected shipments are
checked against what was sent, so a lost or doubled event fails the run. Workers are started
(and ready) before the clock starts. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import redis
from sqlalchemy import Engine, text

sys.path.insert(0, str(Path(__file__).parent))
from common import report
from tradelane.store.engine import make_engine
from webhooks import load, start_server, webhook

DEFAULT_POSTGRES = os.environ.get(
    "TRADELANE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
COUNTS = (
    "SELECT (SELECT COALESCE(SUM(count), 0) FROM webhook_intake_counts WHERE outcome = "
    "'accepted'), (SELECT COUNT(*) FROM tracking_events), (SELECT COUNT(*) FROM shipments)"
)


@contextmanager
def schema(base_url: str) -> Iterator[tuple[str, Engine]]:
    """A fresh schema: its URL (search_path set) and an engine on it; dropped at the end."""
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    url = f"{base_url}?options=-csearch_path%3D{name}"
    engine = make_engine(url)
    try:
        yield url, engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def start_workers(count: int, env: dict[str, str], folder: Path) -> list[subprocess.Popen[bytes]]:
    """`count` worker processes (solo pool each), returned once every one is ready."""
    workers, logs = [], []
    for i in range(count):
        log = folder / f"worker-{i}.log"
        with log.open("wb") as out:
            command = [str(Path(sys.executable).with_name("tradelane")), "worker", "--pool=solo"]
            workers.append(subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT))
        logs.append(log)
    deadline, pause = time.monotonic() + 60, threading.Event()
    while not all(b" ready." in log.read_bytes() for log in logs):
        if time.monotonic() > deadline or any(w.poll() is not None for w in workers):
            raise SystemExit("a worker did not start:\n" + "\n".join(p.read_text() for p in logs))
        pause.wait(0.1)
    return workers


def run(workers: int, args: argparse.Namespace, run_id: str) -> dict[str, Any]:
    """One path: 0 workers = in-process; the figures and the counts checked."""
    requests = [webhook(i, args.events_per_webhook, run_id) for i in range(args.size)]
    expected = (args.size, args.size * args.events_per_webhook, args.size)
    with schema(args.database_url) as (url, engine), tempfile.TemporaryDirectory() as folder:
        env = {"TRADELANE_DATABASE_URL": url, "TRADELANE_DATA_DIR": folder}
        if workers:
            env |= {"TRADELANE_BROKER_URL": args.broker_url, "TRADELANE_QUEUE": run_id}
        server, port = start_server(200, Path(folder), url, env)
        crew = start_workers(workers, {**os.environ, **env}, Path(folder)) if workers else []
        try:
            started = time.perf_counter()
            latencies = asyncio.run(load(port, requests, args.concurrency, args.time_limit))
            answered = time.perf_counter() - started
            stored = wait_for_store(engine, expected, args.time_limit)
            seconds = time.perf_counter() - started
        finally:
            for process in [server, *crew]:
                process.terminate()
            for process in [server, *crew]:
                process.wait(timeout=30)
            if workers:
                forget_queue(args.broker_url, run_id)
    if len(latencies) != args.size or stored != expected:
        raise SystemExit(
            f"counts differ: sent {expected}, stored {stored} (webhooks, events, "
            f"shipments); answered {len(latencies)}"
        )
    ordered = sorted(latencies)
    return {
        "seconds": round(seconds, 3),
        "answered_seconds": round(answered, 3),
        "events_per_second": round(expected[1] / seconds),
        "p99_ms": round(ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000, 1),
    }


def forget_queue(broker_url: str, queue: str) -> None:
    """Remove the run's queue and kombu's bindings of it from a Redis broker."""
    if broker_url.startswith("redis"):
        keys = (queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        redis.Redis.from_url(broker_url).delete(*keys)


def wait_for_store(engine: Engine, expected: tuple[int, ...], limit_s: float) -> tuple[int, ...]:
    """(accepted webhooks, events, shipments) once they reach `expected` or `limit_s` passed."""
    deadline, pause = time.monotonic() + limit_s, threading.Event()
    while True:
        with engine.connect() as connection:
            stored = tuple(int(n) for n in connection.execute(text(COUNTS)).one())
        if stored == expected or time.monotonic() > deadline:
            return stored
        pause.wait(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=3000, help="webhooks per path")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--events-per-webhook", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per path, at most")
    parser.add_argument("--database-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/9")
    args = parser.parse_args()
    stamp = f"S{int(time.time()) % 100000:05d}"
    paths = {}
    for workers in (0, 1, 2):
        paths[workers] = run(workers, args, f"{stamp}w{workers}")
        print(f"{workers or 'in-process'} worker(s): {paths[workers]}", flush=True)
    inline, one, two = paths[0], paths[1], paths[2]
    report(
        {
            "bench": "scale",
            "store": "postgresql",
            "webhooks": args.size,
            "events": args.size * args.events_per_webhook,
            "concurrency": args.concurrency,
            "seconds": two["seconds"],
            "per_second": two["events_per_second"],
            "one_worker_per_second": one["events_per_second"],
            "two_workers_per_second": two["events_per_second"],
            "baseline_per_second": inline["events_per_second"],
            "in_process_p99_ms": inline["p99_ms"],
            "queued_p99_ms": two["p99_ms"],
            "ratio": round(two["events_per_second"] / max(1, inline["events_per_second"]), 2),
            "two_vs_one_worker": round(
                two["events_per_second"] / max(1, one["events_per_second"]), 2
            ),
            "counts_checked": True,
            "load_average_1m": round(os.getloadavg()[0], 1),
        }
    )


if __name__ == "__main__":
    main()
