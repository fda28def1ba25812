"""The CLI and the API stamp and decide with the system clock: here it is fixed.

Every end-to-end test runs with the clock (ticking) from 2026-11-27 12:00 UTC, three hours after
the suite's NOW (tests.builders), so what a test stores at NOW is in the recent past whatever the
real date. A command about a particular day gets it explicitly (`--at`, `--date`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine

from tests.builders import NOW

E2E_CLOCK = NOW + timedelta(hours=3)


@pytest.fixture(autouse=True)
def fixed_clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(E2E_CLOCK, tick=True) as traveller:
        yield traveller
