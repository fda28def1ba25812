"""bench/api.py and its open-loop client: requests go out on schedule whatever the answers,
and the benchmark's closing JSON line carries the fixed-rate figures."""

from __future__ import annotations

import asyncio
import functools
import importlib.util
import json
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@functools.cache
def bench_common() -> ModuleType:
    """bench/common.py: the load clients the benchmarks share (registered as a module, which
    its dataclass needs)."""
    spec = importlib.util.spec_from_file_location("bench_common", ROOT / "bench" / "common.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


async def read_request(reader: asyncio.StreamReader) -> bool:
    """Read one HTTP/1.1 request (framed by Content-Length); False at the end of the stream."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return False
    for line in head.decode("latin-1").split("\r\n"):
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            await reader.readexactly(int(value))
    return True


def answer(status: int, *, close: bool = False) -> bytes:
    connection = "connection: close\r\n" if close else ""
    return f"HTTP/1.1 {status} X\r\ncontent-length: 2\r\n{connection}\r\n{{}}".encode()


def run_fixed_rate(handler: Handler, requests: int, interval_s: float, pool: int) -> Any:
    """The open-loop client's run against a loopback server answering with `handler`; each
    answer must be 201, and an answer 10 s late fails the run."""
    common = bench_common()

    def check(status: int, body: bytes) -> None:
        if status != 201:
            raise SystemExit(f"unexpected answer {status}")

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await handler(reader, writer)
        finally:
            writer.close()

    async def main() -> Any:
        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        try:
            sends = [b"POST /orders HTTP/1.1\r\ncontent-length: 2\r\n\r\n[]"] * requests
            return await common.fixed_rate_load(port, sends, interval_s, pool, check, 10.0)
        finally:
            server.close()
            await server.wait_closed()

    return asyncio.run(main())


def test_requests_keep_their_schedule_while_no_answer_comes() -> None:
    requests, interval_s = 6, 0.01
    received = 0
    all_in = asyncio.Event()

    async def hold_until_all_arrive(reader: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        nonlocal received
        while await read_request(reader):
            received += 1
            if received == requests:
                all_in.set()
            await all_in.wait()
            w.write(answer(201))
            await w.drain()

    run = run_fixed_rate(hold_until_all_arrive, requests, interval_s, pool=2)

    assert run.connections_opened == requests - 2
    latencies = run.latencies
    assert len(latencies) == requests
    # No answer before the last request was due: request i waited at least (5 - i) intervals.
    assert sum(latencies) >= sum(range(requests)) * interval_s
    assert run.seconds >= requests * interval_s


def test_a_connection_the_server_closed_is_replaced_not_reused() -> None:
    async def answer_and_close(reader: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        await read_request(reader)
        w.write(answer(201, close=True))
        await w.drain()

    run = run_fixed_rate(answer_and_close, 3, 0.05, pool=1)

    assert len(run.latencies) == 3
    assert run.connections_opened == 2


def test_an_unexpected_answer_stops_the_run() -> None:
    async def refuse(reader: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        while await read_request(reader):
            w.write(answer(409))
            await w.drain()

    with pytest.raises(SystemExit, match="unexpected answer 409"):
        run_fixed_rate(refuse, 2, 0.01, pool=1)


@pytest.mark.slow
def test_the_api_benchmark_reports_the_fixed_rate_run() -> None:
    command = [sys.executable, str(ROOT / "bench" / "api.py"), "--size", "200", "--reads", "50"]
    command += ["--rate", "500", "--rate-seconds", "1"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])

    assert figures["rate"] == 500
    assert 0 < figures["rate_per_second"] <= 500
    assert 0 < figures["rate_p50_ms"] <= figures["rate_p99_ms"]
    assert 0 <= figures["rate_late_sends"] <= 5  # 500 orders in batches of 100
    assert figures["rate_connections_opened"] >= 0
