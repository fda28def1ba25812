"""`tradelane worker --pool solo` that SIGKILLs itself once, at its first unit-of-work commit:
`before` (nothing of the task committed) or `after` (committed, not yet acknowledged).

    python -m tests.faults.fault_worker before|after|none MARKER_FILE

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
    if when != "none":
        _inject(when, marker)
    app(["worker", "--pool", "solo", "--concurrency", "1"])
