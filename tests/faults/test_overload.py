"""Load above capacity for a bounded time: webhooks offered as fast as the client can send
them (well over 150 % of what two workers store, bench/scale.py: 1,529 events/s) to the API
with a broker, two workers draining the queue. Nothing is lost; the rates and latency are
reported (pytest -s, and as properties in the JUnit report)."""

from __future__ import annotations

import asyncio
import importlib.util
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from tests.faults.stack import ROOT, Stack, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.postgres, pytest.mark.slow]

WEBHOOKS, EVENTS_EACH = 2000, 2
# The API's batch is smaller than the client's concurrency, so requests queue behind the batch
# being handed to the broker: the backlog in the API is exercised as well as the broker's.
CONCURRENCY, API_BATCH = 32, 8
TWO_WORKER_PEAK_EVENTS_S = 1529  # bench/scale.py, two workers (README)


def bench_client() -> ModuleType:
    """bench/webhooks.py: its signed-request builder and keep-alive load client."""
    spec = importlib.util.spec_from_file_location("bench_webhooks", ROOT / "bench" / "webhooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_burst_above_capacity_is_queued_and_stored_without_loss(
    stack: Stack, tmp_path: Path, record_property: pytest.RecordProperty
) -> None:
    client = bench_client()
    requests = [client.webhook(i, EVENTS_EACH, "OV") for i in range(WEBHOOKS)]
    stack.env["TRADELANE_TRACKING_WEBHOOK_SECRET"] = client.SECRET
    url = stack.env["TRADELANE_DATABASE_URL"]
    server, port = client.start_server(API_BATCH, tmp_path, url, stack.env)
    try:
        stack.start_worker()
        stack.start_worker()
        stack.wait_ready()
        started = time.perf_counter()
        # Bounded: a request left unanswered (a lost delivery) fails the test, never hangs it.
        offered = asyncio.wait_for(client.load(port, requests, CONCURRENCY, 20), timeout=60)
        latencies = sorted(asyncio.run(offered))
        offered_s = time.perf_counter() - started
        expected = {"accepted": WEBHOOKS}
        wait_until(lambda: stack.counts() == expected, timeout_s=25, what="all", stack=stack)
        drained_s = time.perf_counter() - started
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:  # requests still open: stop it hard
            server.kill()
            server.wait()
    figures = {
        "offered_events_per_s": round(WEBHOOKS * EVENTS_EACH / offered_s),
        "offered_vs_peak": round(WEBHOOKS * EVENTS_EACH / offered_s / TWO_WORKER_PEAK_EVENTS_S, 2),
        "stored_events_per_s": round(WEBHOOKS * EVENTS_EACH / drained_s),
        "answer_p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
        "answer_p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
    }
    for name, value in figures.items():
        record_property(name, value)
    sys.stdout.write(f"overload: {figures}\n")
    assert len(latencies) == WEBHOOKS
    assert stack.stored_events() == WEBHOOKS * EVENTS_EACH
