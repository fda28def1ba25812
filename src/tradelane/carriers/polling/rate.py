"""A per-carrier pace: at most one request every `min_interval_s` to the same carrier."""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["CarrierPace"]


class CarrierPace:
    def __init__(
        self,
        *,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sleep = sleep
        self._monotonic = monotonic
        self._last: dict[str, float] = {}

    def wait(self, carrier: str, min_interval_s: float) -> None:
        """Sleep until `min_interval_s` has passed since the last request to `carrier`."""
        last = self._last.get(carrier)
        if last is not None:
            remaining = min_interval_s - (self._monotonic() - last)
            if remaining > 0:
                self._sleep(remaining)
        self._last[carrier] = self._monotonic()
