"""Parcels waiting for a stage with limited capacity, as arrays.

A `StageQueue` serves parcels in the order they became ready (ties by parcel id), taking
only those ready strictly before the service moment: a parcel that becomes ready at the
same simulated instant waits for the next service, whatever order processes run in.
"""

from __future__ import annotations

import numpy as np

__all__ = ["StageQueue"]

EMPTY_IDS = np.empty(0, dtype=np.int64)
EMPTY_TIMES = np.empty(0, dtype=np.float64)


class StageQueue:
    def __init__(self) -> None:
        self._ids = EMPTY_IDS
        self._ready_h = EMPTY_TIMES
        self._pending: list[tuple[np.ndarray, np.ndarray]] = []
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def push(self, ids: np.ndarray, ready_h: np.ndarray) -> None:
        """Add parcels that become ready for this stage at `ready_h` (hours)."""
        if len(ids):
            self._pending.append((ids.astype(np.int64), np.asarray(ready_h, dtype=np.float64)))
            self._size += len(ids)

    def _merge(self) -> None:
        if not self._pending:
            return
        ids = np.concatenate([self._ids, *(chunk for chunk, _ in self._pending)])
        ready = np.concatenate([self._ready_h, *(times for _, times in self._pending)])
        order = np.lexsort((ids, ready))
        self._ids, self._ready_h = ids[order], ready[order]
        self._pending = []

    def ready(self, before_h: float) -> tuple[np.ndarray, np.ndarray]:
        """Parcels ready strictly before `before_h`, first ready first (a view: do not edit)."""
        self._merge()
        count = int(np.searchsorted(self._ready_h, before_h, side="left"))
        return self._ids[:count], self._ready_h[:count]

    def take(self, before_h: float, limit: int) -> np.ndarray:
        """Remove and return up to `limit` parcels ready strictly before `before_h`."""
        ids, _ = self.ready(before_h)
        count = min(len(ids), max(limit, 0))
        taken = self._ids[:count].copy()
        self._ids, self._ready_h = self._ids[count:], self._ready_h[count:]
        self._size -= count
        return taken

    def remove(self, ids: np.ndarray) -> None:
        """Drop `ids` (parcels moved elsewhere); ids not queued here are ignored."""
        self._merge()
        keep = ~np.isin(self._ids, ids)
        self._ids, self._ready_h = self._ids[keep], self._ready_h[keep]
        self._size = len(self._ids)

    def members(self) -> np.ndarray:
        self._merge()
        return self._ids

    def oldest_ready_h(self, before_h: float) -> float | None:
        """When the longest-waiting parcel ready before `before_h` became ready, if any."""
        _, ready = self.ready(before_h)
        return float(ready[0]) if len(ready) else None
