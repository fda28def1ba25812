"""The HTTP API under load on loopback: order intake in batches and reads, with baselines.

    python bench/api.py [--size 20000] [--batch 100] [--concurrency 4] [--reads 4000]
                        [--rate 5000] [--rate-seconds 10] [--time-limit 60]
                        [--database-url URL]

Starts `uvicorn` serving the app on 127.0.0.1 (a process of its own, a fresh embedded SQLite
store unless --database-url) with an admin key, then over keep-alive connections:

- intake: `--size` orders POSTed to /orders in batches of `--batch` (201 each), `--concurrency`
  in flight; the baseline sends the same number of orders one per request (batch 1, a fifth of
  the size, so it ends in time);
- reads: `--reads` GET /orders/{id} of stored orders (200 each, authenticated, tenant-scoped),
  against the baseline GET /health (no key, no database): the server's own floor;
- intake at a fixed rate (an open loop): `--rate` orders/s offered for `--rate-seconds`, batch
  i of `--batch` sent at t0 + i * batch / rate whether or not earlier batches were answered,
  each with an `Idempotency-Key` of its own, over a pool of keep-alive connections (one more
  is opened, and counted, when all are busy).

A closed loop at saturation measures the queue its own requests build; the open loop measures
the latency at the offered rate. Closed-loop latency is per request, send to answer; open-loop
latency runs from the batch's scheduled send time, so a send the client made late counts
against it (and late sends are counted); p99 is of all requests of a run. Absolute figures
depend on the CPU share the server gets: the load average and the CPU pressure (the share of
time a runnable task waited for a CPU) are reported with them. The last line is one JSON
object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from common import fixed_rate_load, keep_alive_load, latency_figures, report
from tradelane.bootstrap import open_application
from tradelane.config import Settings
from tradelane.domain.access import Role
from tradelane.services.catalogues import install_catalogue_file
from tradelane.simulation.order_stream import generate_orders
from webhooks import cpu_seconds, start_server

START = datetime(2026, 11, 23, tzinfo=UTC)


RATE_POOL = 8  # keep-alive connections opened before the fixed-rate run (a few batches' worth)


def request(
    method: str, path: str, key: str | None, body: bytes = b"", idempotency_key: str | None = None
) -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\n"
    if key is not None:
        head += f"authorization: Bearer {key}\r\n"
    if idempotency_key is not None:
        head += f"idempotency-key: {idempotency_key}\r\n"
    if body:
        head += f"content-type: application/json\r\ncontent-length: {len(body)}\r\n"
    return (head + "\r\n").encode() + body


async def load(
    port: int, requests: list[bytes], expected: int, concurrency: int, limit_s: float
) -> tuple[list[float], float]:
    """Latencies (s) of the requests sent before `limit_s` ran out, and the wall time; every
    answer must have the `expected` status."""
    return await keep_alive_load(port, requests, concurrency, limit_s, check(expected))


def check(expected: int) -> Callable[[int, bytes], None]:
    """A judge of answers: SystemExit on any status but `expected`."""

    def judge(status: int, body: bytes) -> None:
        if status != expected:
            raise SystemExit(f"unexpected answer {status}: {body[:300]!r}")

    return judge


def order_batches(
    count: int, batch: int, prefix: str, key: str, *, idempotent: bool = False
) -> list[bytes]:
    """POST /orders requests of `batch` generated orders (ids `{prefix}-0000001` on); with
    `idempotent`, each carries the Idempotency-Key `{prefix}-{its index}`."""
    orders = [
        o.model_dump(mode="json")
        for o in generate_orders(count, seed=3, start=START, prefix=prefix)
    ]
    return [
        request(
            "POST",
            "/orders",
            key,
            json.dumps(orders[i : i + batch]).encode(),
            f"{prefix}-{i // batch}" if idempotent else None,
        )
        for i in range(0, count, batch)
    ]


def fixed_rate_intake(port: int, key: str, args: argparse.Namespace) -> dict[str, Any]:
    """The open-loop run: achieved orders/s (all answered 201), p50/p99 from the scheduled send
    time, late sends and the connections opened beyond the pool."""
    count = max(args.batch, round(args.rate * args.rate_seconds / args.batch) * args.batch)
    batches = order_batches(count, args.batch, "R", key, idempotent=True)
    sent = asyncio.run(
        fixed_rate_load(
            port, batches, args.batch / args.rate, RATE_POOL, check(201), args.time_limit
        )
    )
    return {
        **latency_figures(sent.latencies, sent.seconds, args.batch),
        "late_sends": sent.late_sends,
        "connections_opened": sent.connections_opened,
    }


def run(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    settings = Settings(data_dir=folder, database_url=args.database_url)
    app = open_application(settings)
    install_catalogue_file(None, uow=app.uow(), now=app.clock.now())
    key = app.create_key("bench", Role.ADMIN, environment="test").key
    app.engine.dispose()
    server, port = start_server(200, folder, args.database_url)
    try:
        asyncio.run(load(port, order_batches(200, 100, "W", key), 201, 2, 30))  # warm up
        cpu_before = cpu_seconds(server.pid)
        batches = order_batches(args.size, args.batch, "I", key)
        latencies, seconds = asyncio.run(
            load(port, batches, 201, args.concurrency, args.time_limit)
        )
        intake = latency_figures(latencies, seconds, args.batch)
        intake["server_cpu_ms_per_order"] = round(
            (cpu_seconds(server.pid) - cpu_before) / max(1, intake["requests"] * args.batch) * 1000,
            3,
        )
        singles = order_batches(max(100, args.size // 5), 1, "S", key)
        latencies, seconds = asyncio.run(
            load(port, singles, 201, args.concurrency, args.time_limit)
        )
        intake_baseline = latency_figures(latencies, seconds, 1)
        stored = [f"I-{i:07d}" for i in range(1, intake["requests"] * args.batch + 1)]
        probe = random.Random(5)
        reads = [request("GET", f"/orders/{probe.choice(stored)}", key) for _ in range(args.reads)]
        latencies, seconds = asyncio.run(load(port, reads, 200, 8, args.time_limit))
        read = latency_figures(latencies, seconds, 1)
        floor = [request("GET", "/health", None) for _ in range(args.reads)]
        latencies, seconds = asyncio.run(load(port, floor, 200, 8, args.time_limit))
        read_baseline = latency_figures(latencies, seconds, 1)
        rate = fixed_rate_intake(port, key, args)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "intake": intake,
        "intake_baseline": intake_baseline,
        "reads": read,
        "reads_baseline": read_baseline,
        "rate": rate,
    }


def cpu_pressure() -> float | None:
    """The share of the last 10 s in which some runnable task waited for a CPU (Linux PSI);
    None where the kernel does not report it. Near 100, the figures above are the scheduler's."""
    try:
        first = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return None
    fields = dict(part.split("=") for part in first.split()[1:])
    return float(fields["avg10"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000, help="orders sent in batches")
    parser.add_argument("--batch", type=int, default=100, help="orders per intake request")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--reads", type=int, default=4000, help="GET /orders/{id} requests")
    parser.add_argument("--rate", type=int, default=5000, help="orders/s offered, open loop")
    parser.add_argument("--rate-seconds", type=float, default=10.0, help="open-loop run length")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per run, at most")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite store")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-api-") as folder:
        result = run(args, Path(folder))
    for name, found in result.items():
        print(f"{name}: {found}", flush=True)
    intake, reads, rate = result["intake"], result["reads"], result["rate"]
    report(
        {
            "bench": "api",
            "store": "postgresql" if args.database_url else "sqlite",
            "orders": intake["requests"] * args.batch,
            "batch": args.batch,
            "concurrency": args.concurrency,
            "seconds": intake["seconds"],
            "per_second": intake["per_second"],
            "intake_requests_per_second": intake["requests_per_second"],
            "intake_p99_ms": intake["p99_ms"],
            "server_cpu_ms_per_order": intake["server_cpu_ms_per_order"],
            "baseline_per_second": result["intake_baseline"]["per_second"],
            "baseline_p99_ms": result["intake_baseline"]["p99_ms"],
            "ratio": round(
                intake["per_second"] / max(1, result["intake_baseline"]["per_second"]), 2
            ),
            "reads_per_second": reads["requests_per_second"],
            "reads_p99_ms": reads["p99_ms"],
            "reads_baseline_per_second": result["reads_baseline"]["requests_per_second"],
            "reads_baseline_p99_ms": result["reads_baseline"]["p99_ms"],
            "rate": args.rate,
            "rate_per_second": rate["per_second"],
            "rate_p50_ms": rate["p50_ms"],
            "rate_p99_ms": rate["p99_ms"],
            "rate_late_sends": rate["late_sends"],
            "rate_connections_opened": rate["connections_opened"],
            "load_average_1m": round(os.getloadavg()[0], 1),
            "cpu_pressure_avg10": cpu_pressure(),
        }
    )


if __name__ == "__main__":
    main()
