"""`tradelane worker --concurrency 1` whose task process SIGKILLs itself once, at its first
unit-of-work commit: `before` (nothing of the task committed) or `after` (committed, not yet
acknowledged).

    python -m tests.faults.fault_worker before|after|none MARKER_FILE [solo|prefork]

`solo` (the default): the task runs in the worker process, so the whole worker dies and its
broker connection with it. `prefork`: the task runs in a pool child, so only the child dies;
the main process, alive, decides what becomes of the message (`acks_late`,
`task_reject_on_worker_lost`). Only `prefork` tells a late acknowledgement from an early one:
the main process sends an early ack from its event loop, which in `solo` is busy running the
task, so the ack would go out after the task returned anyway.

The marker file makes the fault fire once across restarts (it exists after the first kill).
This patches the store's commit only: the broker, the database and Celery are all real.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from tradelane.entrypoints.cli import app
from tradelane.store.uow import UnitOfWork


def _inject(when: str, marker: Path) -> None:
    real = UnitOfWork.commit

    def commit(self: UnitOfWork) -> None:
        armed = not marker.exists()
        if armed and when == "before":
            marker.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        real(self)
        if armed and when == "after":
            marker.touch()
            os.kill(os.getpid(), signal.SIGKILL)

    UnitOfWork.commit = commit  # type: ignore[method-assign]


if __name__ == "__main__":
    when, marker = sys.argv[1], Path(sys.argv[2])
    pool = sys.argv[3] if len(sys.argv) > 3 else "solo"
    if when != "none":
        _inject(when, marker)  # before the pool forks: a prefork child inherits it
    app(["worker", "--pool", pool, "--concurrency", "1"])
