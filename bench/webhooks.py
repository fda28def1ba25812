"""Signed tracking webhook ingest over loopback HTTP: group commit vs one commit per request.

    python bench/webhooks.py [--size 4000] [--concurrency 32] [--events-per-webhook 1]
                             [--time-limit 60] [--database-url URL]

Each run starts `uvicorn` serving the app on 127.0.0.1 (a process of its own, a fresh
embedded SQLite store unless --database-url), then a client of keep-alive connections POSTs
`--size` Standard-Webhooks-signed generic webhooks (one shipment each, `--events-per-webhook`
scans) to /webhooks/tracking/generic, `--concurrency` in flight, stopping early at
`--time-limit` seconds. Every answer must be 200 "accepted"; the events stored are counted back
from the counts endpoint. The fast path commits the requests that arrive together in one
transaction (TRADELANE_WEBHOOK_BATCH=200); the baseline is the same server committing each
request on its own (TRADELANE_WEBHOOK_BATCH=1). Latency is per request, send to answer. The
server's CPU time per webhook and the machine's load average are reported with the figures
(on a shared machine the rate is bounded by the CPU share the server gets). The last line is
one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from common import keep_alive_load, latency_figures, report
from tradelane.notifications.signing import signature_headers

SECRET = "whsec_" + base64.b64encode(b"bench-webhook-key-0123456789abcdef").decode()
PATH = "/webhooks/tracking/generic"
ANSWERS = {200: b'"accepted"', 202: b'"queued"'}  # status -> the outcome it must carry


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(
    batch: int, data_dir: Path, database_url: str | None, extra_env: dict[str, str] | None = None
) -> tuple[Any, int]:
    port = free_port()
    env = {
        **os.environ,
        "TRADELANE_DATA_DIR": str(data_dir),
        "TRADELANE_TRACKING_WEBHOOK_SECRET": SECRET,
        "TRADELANE_WEBHOOK_BATCH": str(batch),
        **(extra_env or {}),
    }
    if database_url:
        env["TRADELANE_DATABASE_URL"] = database_url
    command = [sys.executable, "-m", "uvicorn", "tradelane.entrypoints.api.app:create_app"]
    command += ["--factory", "--host", "127.0.0.1", "--port", str(port), "--log-level", "error"]
    server = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the app did not start within 60 s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def webhook(index: int, events: int, run: str) -> bytes:
    """One signed HTTP request: a generic webhook for shipment `index` with `events` scans."""
    now = datetime.now(UTC)
    number = f"BW{run}{index:09d}CN"
    scans = [
        {
            "carrier": "bench-line",
            "tracking_number": number,
            "occurred_at": (now - timedelta(days=3, hours=-i)).isoformat(),
            "milestone": "picked_up" if i == 0 else "in_transit",
            "location": "Shenzhen",
            "country": "CN",
        }
        for i in range(events)
    ]
    body = json.dumps({"events": scans}).encode()
    headers = signature_headers(SECRET, f"msg_{run}_{index}", int(now.timestamp()), body.decode())
    head = f"POST {PATH} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    head += f"content-length: {len(body)}\r\n\r\n"
    return head.encode() + body


def check_answer(status: int, body: bytes) -> None:
    """200 `accepted` (stored) or, with a broker, 202 `queued`; SystemExit otherwise."""
    if status not in ANSWERS or ANSWERS[status] not in body:
        raise SystemExit(f"unexpected answer {status}: {body[:200]!r}")


async def load(port: int, requests: list[bytes], concurrency: int, limit_s: float) -> list[float]:
    """Latencies (s) of the requests sent before `limit_s` ran out."""
    latencies, _ = await keep_alive_load(port, requests, concurrency, limit_s, check_answer)
    return latencies


def run(batch: int, args: argparse.Namespace, run_id: str) -> dict[str, Any]:
    requests = [webhook(i, args.events_per_webhook, run_id) for i in range(args.size)]
    with tempfile.TemporaryDirectory(prefix="bench-webhooks-") as folder:
        server, port = start_server(batch, Path(folder), args.database_url)
        try:
            warm = [webhook(i, 1, run_id + "w") for i in range(50)]
            asyncio.run(load(port, warm, 4, 30))
            started, cpu_before = time.perf_counter(), cpu_seconds(server.pid)
            latencies = asyncio.run(load(port, requests, args.concurrency, args.time_limit))
            seconds = time.perf_counter() - started
            server_cpu = cpu_seconds(server.pid) - cpu_before
        finally:
            server.terminate()
            server.wait(timeout=30)
    return {
        **latency_figures(latencies, seconds, args.events_per_webhook),
        "server_cpu_ms_per_webhook": round(server_cpu / len(latencies) * 1000, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=4000, help="webhooks per run")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--events-per-webhook", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per run, at most")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite store")
    args = parser.parse_args()
    stamp = f"{int(time.time()) % 100000:05d}"
    fast = run(200, args, f"F{stamp}")
    print(f"group commit: {fast}", flush=True)
    baseline = run(1, args, f"B{stamp}")
    print(f"one commit per request: {baseline}", flush=True)
    report(
        {
            "bench": "webhooks",
            "store": "postgresql" if args.database_url else "sqlite",
            "webhooks": fast["requests"],
            "events_per_webhook": args.events_per_webhook,
            "concurrency": args.concurrency,
            "seconds": fast["seconds"],
            "per_second": fast["per_second"],
            "p50_ms": fast["p50_ms"],
            "p99_ms": fast["p99_ms"],
            "server_cpu_ms_per_webhook": fast["server_cpu_ms_per_webhook"],
            "baseline_per_second": baseline["per_second"],
            "baseline_p99_ms": baseline["p99_ms"],
            "baseline_server_cpu_ms_per_webhook": baseline["server_cpu_ms_per_webhook"],
            "ratio": round(fast["per_second"] / max(1, baseline["per_second"]), 2),
            "load_average_1m": round(os.getloadavg()[0], 1),
        }
    )


if __name__ == "__main__":
    main()
