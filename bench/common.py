"""Shared benchmark plumbing: timing, peak memory, the closing JSON line, and a keep-alive
HTTP/1.1 load client over loopback with its latency figures."""

from __future__ import annotations

import asyncio
import gc
import json
import resource
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def timed(work: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def peak_rss_mb() -> float:
    """Peak resident set of this process (ru_maxrss is KiB on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def report(figures: dict[str, Any]) -> None:
    """Print the one JSON line that ends every benchmark's output."""
    figures.setdefault("peak_rss_mb", peak_rss_mb())
    sys.stdout.write(json.dumps(figures) + "\n")


async def read_answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """The status and the whole body of one HTTP/1.1 answer (framed by Content-Length)."""
    status_line = await reader.readline()
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    body = await reader.readexactly(length)
    return int(status_line.split()[1]), body


async def keep_alive_load(
    port: int,
    requests: list[bytes],
    concurrency: int,
    limit_s: float,
    check: Callable[[int, bytes], object],
) -> tuple[list[float], float]:
    """Send raw `requests` to 127.0.0.1:`port` over `concurrency` keep-alive connections until
    they or `limit_s` run out; `check(status, body)` judges each answer (SystemExit to stop).
    The latencies (s, send to answer) and the wall time.

    The client's own heap (the prepared requests, the imported application) is frozen while
    it times: a full collection of it stalled the event loop for 100-700 ms under load and
    showed up as server latency."""
    gc.collect()
    gc.freeze()
    try:
        return await _load(port, requests, concurrency, limit_s, check)
    finally:
        gc.unfreeze()


async def _load(
    port: int,
    requests: list[bytes],
    concurrency: int,
    limit_s: float,
    check: Callable[[int, bytes], object],
) -> tuple[list[float], float]:
    latencies: list[float] = []
    queue = iter(requests)
    started = time.perf_counter()
    stop_at = started + limit_s

    async def worker() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for raw in queue:
            if time.perf_counter() > stop_at:
                break
            sent = time.perf_counter()
            writer.write(raw)
            await writer.drain()
            check(*await read_answer(reader))
            latencies.append(time.perf_counter() - sent)
        writer.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, time.perf_counter() - started


def latency_figures(latencies: list[float], seconds: float, per_request: int = 1) -> dict[str, Any]:
    """Requests, rate (requests and items, `per_request` items each) and p50/p99 latency."""
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "seconds": round(seconds, 3),
        "requests_per_second": round(len(ordered) / seconds),
        "per_second": round(len(ordered) * per_request / seconds),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p99_ms": round(ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000, 1),
    }
