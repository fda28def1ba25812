"""The in-process scheduler of the embedded setup: run a job every interval until stopped.

Celery beat takes this role when a broker is configured; the job itself is the same
application call: `Application.tick` (sweep -> evaluate switching -> deliver). `serve
--tick-every` runs it beside the API in a thread (`start_ticking`), `monitor run` in the
foreground. A tick that fails for a reason worth retrying (tradelane error, database unavailable or
locked) is reported and the loop goes on; anything else is a bug and stops it.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy.exc import OperationalError

from tradelane.domain.errors import TradelaneError, ValidationError

__all__ = ["RECOVERABLE", "parse_interval", "run_every", "start_ticking"]

RECOVERABLE = (TradelaneError, OperationalError)
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smh])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600}


def parse_interval(text: str) -> timedelta:
    """'30s', '5m', '1h' -> timedelta; ValidationError for anything else or zero."""
    found = _INTERVAL.match(text)
    if found is None or float(found.group(1)) == 0:
        raise ValidationError("expected a positive duration like 30s, 5m or 1h", value=text)
    return timedelta(seconds=float(found.group(1)) * _UNIT_SECONDS[found.group(2)])


def run_every(
    interval: timedelta,
    job: Callable[[], object],
    *,
    on_error: Callable[[Exception], None],
    iterations: int | None = None,
    sleep: Callable[[float], object] = time.sleep,
    monotonic: Callable[[], float] = time.monotonic,
    stopped: Callable[[], bool] = lambda: False,
) -> int:
    """Run `job` now and then every `interval` (start to start); returns the runs made.

    `iterations` None runs until interrupted or `stopped()`. A slow run delays the next one,
    never overlaps.
    """
    runs = 0
    while (iterations is None or runs < iterations) and not stopped():
        started = monotonic()
        try:
            job()
        except RECOVERABLE as exc:
            on_error(exc)
        runs += 1
        if iterations is not None and runs >= iterations:
            break
        sleep(max(0.0, interval.total_seconds() - (monotonic() - started)))
    return runs


def start_ticking(
    job: Callable[[], object], interval: timedelta, *, on_error: Callable[[Exception], None]
) -> Callable[[], None]:
    """Run `job` every `interval` in a daemon thread; returns the function that stops it
    (waiting for a run in progress to end)."""
    stop = threading.Event()

    def loop() -> None:
        run_every(
            interval,
            job,
            on_error=on_error,
            sleep=stop.wait,
            stopped=stop.is_set,
        )

    thread = threading.Thread(target=loop, name="tradelane-tick", daemon=True)
    thread.start()

    def stop_ticking() -> None:
        stop.set()
        thread.join(timeout=60)

    return stop_ticking
