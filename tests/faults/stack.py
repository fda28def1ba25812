"""The real services of the fault suite: a PostgreSQL schema, a Redis queue of its own, the
API in-process (TestClient) with the broker configured, and worker processes to start, kill
and count with."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from tests.builders import NOW
from tests.fakes import SteppingClock
from tests.webhook_signing import GENERIC_SECRET, generic_body, generic_headers
from tradelane.bootstrap import Tradelane, build
from tradelane.config import Settings
from tradelane.entrypoints.api.app import create_app
from tradelane.services.webhook_intake import intake_counts
from tradelane.store.tables import tracking_events
from tradelane.store.uow import UnitOfWork

ROOT = Path(__file__).resolve().parents[2]
# Short on purpose: a task of a worker killed whole comes back after this (see celery_app.py).
TASK_TIME_LIMIT_S, VISIBILITY_TIMEOUT_S = 3, 4


@dataclass
class Stack:
    env: dict[str, str]
    engine: Engine
    folder: Path
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def settings(self) -> Settings:
        """What the worker processes read from `env` (JSON objects decoded, as from the
        environment)."""
        return Settings(
            **{
                name.removeprefix("TRADELANE_").lower(): json.loads(v) if v[:1] == "{" else v
                for name, v in self.env.items()
            }
        )

    def system(self) -> Tradelane:
        return build(self.settings(), clock=SteppingClock(NOW))

    @contextmanager
    def api(self) -> Iterator[TestClient]:
        """The app (broker configured): webhooks are verified here and queued for workers."""
        with TestClient(create_app(self.system())) as client:
            yield client

    def start_worker(self, fault: str = "none", pool: str = "solo") -> subprocess.Popen[bytes]:
        """A worker process (see fault_worker.py: `pool` prefork kills only the pool child)."""
        command = [sys.executable, "-m", "tests.faults.fault_worker", fault, str(self.fired)]
        with (self.folder / f"worker-{len(self.workers)}.log").open("wb") as log:
            worker = subprocess.Popen(
                [*command, pool],
                env={**os.environ, **self.env},
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.workers.append(worker)
        return worker

    @property
    def fired(self) -> Path:
        """The marker file: present once the worker's fault has fired."""
        return self.folder / "fault.fired"

    def wait_ready(self, timeout_s: float = 30) -> None:
        """Until every worker started so far logged that it is ready to take tasks."""
        logs = [self.folder / f"worker-{i}.log" for i in range(len(self.workers))]
        wait_until(
            lambda: all(b" ready." in log.read_bytes() for log in logs),
            timeout_s=timeout_s,
            what="the workers to be ready",
            stack=self,
        )

    def stop_workers(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
        for worker in self.workers:
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()

    def counts(self) -> dict[str, int]:
        return {o: n for s, o, n, _ in intake_counts(uow=UnitOfWork(self.engine)) if s == "generic"}

    def stored_events(self) -> int:
        with self.engine.connect() as connection:
            counted = connection.execute(select(func.count()).select_from(tracking_events))
            return int(counted.scalar_one())

    def logged(self, text: str) -> bool:
        """Whether any worker's whole log holds `text`."""
        return any(text in p.read_text(errors="replace") for p in self.folder.glob("*.log"))

    def log(self, tail: int | None = 3000) -> str:
        """Every worker's log (the last `tail` characters of each; None for the whole log)."""
        texts = (p.read_text(errors="replace") for p in self.folder.glob("*.log"))
        return "\n".join(t[-tail:] if tail else t for t in texts)


def wait_until(check: Callable[[], bool], *, timeout_s: float, what: str, stack: Stack) -> None:
    deadline, pause = time.monotonic() + timeout_s, threading.Event()
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; worker logs:\n{stack.log()}")
        pause.wait(0.2)


def post_scans(client: TestClient, number: str, message_id: str, *scans: tuple[str, str]) -> int:
    """POST one signed generic webhook; its HTTP status."""
    body = generic_body(number, *scans)
    headers = generic_headers(body, message_id=message_id, at=NOW, secret=GENERIC_SECRET)
    return client.post("/webhooks/tracking/generic", content=body, headers=headers).status_code
