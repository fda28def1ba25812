"""Shared benchmark plumbing: timing, peak memory, the closing JSON line."""

from __future__ import annotations

import json
import resource
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
