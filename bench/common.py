"""Shared benchmark plumbing: timing, peak memory, the closing JSON line, and keep-alive
HTTP/1.1 load clients over loopback with their latency figures: a closed loop (a fixed number
of requests in flight, each sent when the one before it on its connection is answered) and an
open loop (requests sent on a fixed schedule whatever the answers)."""

from __future__ import annotations

import asyncio
import gc
import json
import resource
import statistics
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
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


# An open-loop request sent more than this after its scheduled time is late: on a lightly
# loaded machine the event loop's timers were seen to wake up to 2.8 ms late.
LATE_SEND_S = 0.005


@dataclass(frozen=True)
class FixedRateRun:
    """What an open-loop run saw. `latencies` (s) run from each request's scheduled send time
    to its answer, so a late send counts against the latency; `seconds` is the schedule's
    length or, if longer, the time to the last answer; `connections_opened` counts those
    opened beyond the pool because none was free (all busy, or closed by the server)."""

    latencies: list[float]
    seconds: float
    late_sends: int
    connections_opened: int


Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class _Pool:
    """Keep-alive connections to 127.0.0.1:`port`, the longest idle taken first; when none is
    idle and open, a new one is opened and counted in `opened`. `close` closes every one."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.idle: deque[Connection] = deque()
        self.writers: list[asyncio.StreamWriter] = []
        self.opened = 0

    async def fill(self, size: int) -> None:
        for _ in range(size):
            self.idle.append(await self._open())

    async def take(self) -> Connection:
        while self.idle and self.idle[0][0].at_eof():  # the server closed it (keep-alive timeout)
            self.idle.popleft()[1].close()
        if self.idle:
            return self.idle.popleft()
        self.opened += 1
        return await self._open()

    def give(self, connection: Connection) -> None:
        self.idle.append(connection)

    def close(self) -> None:
        for writer in self.writers:
            writer.close()

    async def _open(self) -> Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writers.append(writer)
        return reader, writer


async def fixed_rate_load(
    port: int,
    requests: list[bytes],
    interval_s: float,
    pool: int,
    check: Callable[[int, bytes], object],
    drain_s: float = 60.0,
) -> FixedRateRun:
    """Send raw `requests` to 127.0.0.1:`port`, request i at t0 + i * `interval_s` whether or
    not earlier ones were answered, over a pool of `pool` keep-alive connections (one more is
    opened whenever none is free). `check(status, body)` judges each answer (SystemExit to
    stop); SystemExit too if some are unanswered `drain_s` after the last scheduled send.
    The client's heap is frozen while it times, as in `keep_alive_load`."""
    connections = _Pool(port)
    gc.collect()
    gc.freeze()
    try:
        await connections.fill(pool)
        return await _on_schedule(connections, requests, interval_s, check, drain_s)
    finally:
        connections.close()
        gc.unfreeze()


async def _on_schedule(
    connections: _Pool,
    requests: list[bytes],
    interval_s: float,
    check: Callable[[int, bytes], object],
    drain_s: float,
) -> FixedRateRun:
    latencies: list[float] = []
    failures: list[BaseException] = []  # the first stops the sending and is raised
    late_sends = 0
    last_answer = 0.0

    async def exchange(raw: bytes, due: float) -> None:
        nonlocal late_sends, last_answer
        try:
            reader, writer = await connections.take()
            if time.perf_counter() - due > LATE_SEND_S:
                late_sends += 1
            writer.write(raw)
            await writer.drain()
            check(*await read_answer(reader))
        except (Exception, SystemExit) as failure:
            failures.append(failure)
            return
        last_answer = time.perf_counter()
        latencies.append(last_answer - due)
        connections.give((reader, writer))

    started = time.perf_counter() + interval_s  # t0 one interval ahead: the first is on time
    exchanges = []
    for index, raw in enumerate(requests):
        due = started + index * interval_s
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        if failures:
            break
        exchanges.append(asyncio.create_task(exchange(raw, due)))
    _, pending = await asyncio.wait(exchanges, timeout=drain_s)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    if failures:
        raise failures[0]
    if pending:
        raise SystemExit(f"{len(pending)} requests unanswered {drain_s} s after the last send")
    seconds = max(len(requests) * interval_s, last_answer - started)
    return FixedRateRun(latencies, seconds, late_sends, connections.opened)


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
