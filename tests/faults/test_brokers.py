"""The broker side: a Redis restarted (killed) while tasks wait loses none of them, and the
same pipeline runs on RabbitMQ, where the task of a worker process killed mid-task is delivered
again."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from kombu import Connection

from tests.builders import NOW
from tests.faults.stack import Stack, post_scans, wait_until
from tests.webhook_signing import generic_body, generic_headers

pytestmark = [pytest.mark.faults, pytest.mark.postgres, pytest.mark.slow]

SCANS = (("2026-11-26T10:00:00+08:00", "picked_up"), ("2026-11-26T20:00:00+08:00", "in_transit"))
RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672//"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def own_redis(folder: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    """A Redis of this test (append-only file, fsync on every write), answering on `port`."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed: cannot restart a broker of our own")
    command = [binary, "--port", str(port), "--dir", str(folder), "--save", ""]
    command += ["--appendonly", "yes", "--appendfsync", "always", "--daemonize", "no"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    wait_for = threading.Event()
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            wait_for.wait(0.05)
    try:
        yield server
    finally:
        if server.poll() is None:
            server.kill()
        server.wait()


def test_tasks_queued_while_the_broker_is_killed_and_restarted_are_all_stored(
    stack: Stack, tmp_path: Path
) -> None:
    port = free_port()
    stack.env["TRADELANE_BROKER_URL"] = f"redis://127.0.0.1:{port}/0"
    with own_redis(tmp_path, port) as broker:
        with stack.api() as client:
            for i in range(20):
                assert post_scans(client, f"FB{i:08d}CN", f"b-{i}", *SCANS) == 202
        broker.send_signal(signal.SIGKILL)  # no worker has taken anything yet
        broker.wait()
    with own_redis(tmp_path, port):
        stack.start_worker()
        wait_until(lambda: stack.counts() == {"accepted": 20}, timeout_s=25, what="20", stack=stack)
    assert stack.stored_events() == 40


def test_webhooks_through_rabbitmq_are_stored_once(stack: Stack) -> None:
    """The pool child of the worker is SIGKILLed as it commits its first task; its main
    process lives on, so the message stays unacknowledged only under `acks_late`, and goes back
    to the queue only under `task_reject_on_worker_lost` (an early ack, or a late one sent for
    the lost child, loses the task). Every delivery is counted, so a lost task shows even where
    its repeat would store the same events."""
    try:
        with Connection(RABBITMQ_URL, connect_timeout=3) as probe:
            probe.connect()
    except OSError as exc:
        pytest.skip(f"RabbitMQ not reachable at {RABBITMQ_URL}: {exc}")
    stack.env["TRADELANE_BROKER_URL"] = RABBITMQ_URL
    try:
        stack.start_worker("before", pool="prefork")
        with stack.api() as client:
            for i in range(10):
                for _ in range(2):
                    assert post_scans(client, f"FR{i:08d}CN", f"r-{i}", *SCANS) == 202
        wait_until(stack.fired.exists, timeout_s=25, what="the pool child's kill", stack=stack)
        counted = lambda: sum(stack.counts().values())  # noqa: E731
        wait_until(lambda: counted() == 20, timeout_s=25, what="20 counted", stack=stack)
        assert stack.logged("exited with 'signal 9")  # the pool child did die mid-task
        assert stack.counts() == {"accepted": 10, "duplicate": 10}
        assert stack.stored_events() == 20
    finally:
        stack.stop_workers()
        with Connection(RABBITMQ_URL) as connection:
            connection.default_channel.queue_delete(stack.env["TRADELANE_QUEUE"])


def test_a_webhook_the_queue_cannot_take_is_a_503_for_the_sender_to_retry(stack: Stack) -> None:
    stack.env["TRADELANE_BROKER_URL"] = f"redis://127.0.0.1:{free_port()}/0"  # nothing there
    with stack.api() as client:
        body = generic_body("FU00000001CN", *SCANS)
        headers = generic_headers(body, message_id="u-1", at=NOW)
        refused = client.post("/webhooks/tracking/generic", content=body, headers=headers)
    assert refused.status_code == 503 and "task queue" in refused.json()["detail"]
    assert (stack.stored_events(), stack.counts()) == (0, {})
