"""Through real workers: the same webhook many times (two workers racing) is stored once, and a
parcel's status never goes backwards when its scans arrive out of order."""

from __future__ import annotations

import pytest

from tests.faults.stack import Stack, post_scans, wait_until
from tradelane.services.tracking_queries import shipment_timeline
from tradelane.store.uow import UnitOfWork

pytestmark = [pytest.mark.faults, pytest.mark.postgres, pytest.mark.slow]

PICKED = ("2026-11-20T10:00:00+08:00", "picked_up")
DEPARTED = ("2026-11-20T20:00:00+08:00", "departed_origin")


def test_the_same_webhooks_sent_three_times_through_two_workers_are_stored_once(
    stack: Stack,
) -> None:
    stack.start_worker()
    stack.start_worker()
    numbers = [f"FD{i:08d}CN" for i in range(20)]
    with stack.api() as client:
        for i, number in enumerate(numbers):
            for _ in range(3):  # back to back: the two workers take copies at the same time
                assert post_scans(client, number, f"msg-{i}", PICKED, DEPARTED) == 202
    wait_until(lambda: sum(stack.counts().values()) == 60, timeout_s=25, what="60", stack=stack)
    assert stack.counts() == {"accepted": 20, "duplicate": 40}
    assert stack.stored_events() == 40


def test_delivered_before_in_transit_never_moves_the_status_backwards(stack: Stack) -> None:
    stack.start_worker()
    # all before the API's clock (NOW) and the workers' real one
    arrived = ("2026-11-24T08:00:00+01:00", "arrived_destination_country")
    delivered = ("2026-11-25T15:00:00+01:00", "delivered")
    stray = ("2026-11-26T09:00:00+01:00", "in_transit")  # a hub's late scan, after delivery
    with stack.api() as client:
        assert post_scans(client, "FO00000001CN", "delivered-first", delivered) == 202
        assert post_scans(client, "FO00000001CN", "then-earlier", PICKED, arrived, stray) == 202
    wait_until(lambda: stack.counts().get("accepted") == 2, timeout_s=25, what="2", stack=stack)
    timeline = shipment_timeline("FO00000001CN", uow=UnitOfWork(stack.engine))
    assert timeline.shipment["status"] == "delivered"
    assert (len(timeline.events), stack.stored_events()) == (4, 4)
