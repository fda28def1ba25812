"""The CLI and the API stamp and decide with the system clock: here it is fixed.

Every end-to-end test runs with the clock (ticking) from 2026-10-06 09:00 UTC, a day outside
every peak window (DOMAIN.md §4), so a command run without `--at`/`--date` sees the same day
whatever the real date. A test about a peak passes its own `--at`/`--date`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine

QUIET_DAY = datetime(2026, 10, 6, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(QUIET_DAY, tick=True) as traveller:
        yield traveller
