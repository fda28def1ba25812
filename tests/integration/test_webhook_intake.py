"""Webhook intake batches (SQLite and PostgreSQL): ids claimed once per batch and across
batches, all outcomes counted, and the group commit answering each request with its own
result."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from tests.builders import NOW
from tests.webhook_signing import generic_body
from tradelane.carriers.formats import parse_tracking
from tradelane.entrypoints.api.group_commit import GroupCommit
from tradelane.services.tracking_queries import shipment_timeline
from tradelane.services.webhook_intake import Delivery, intake_counts, receive_deliveries
from tradelane.store.uow import UnitOfWork

NUMBER = "LX900000009CN"


def delivery(message_id: str, when: str = "2026-11-26T10:00:00+08:00") -> Delivery:
    parsed = parse_tracking(generic_body(NUMBER, (when, "picked_up")), format="generic")
    return Delivery("generic", message_id=message_id, parsed=parsed)


def test_an_id_repeated_within_a_batch_and_in_a_later_one_is_stored_once(
    uow: UnitOfWork,
) -> None:
    first = receive_deliveries(
        [delivery("a"), delivery("a"), Delivery("generic", "bad_signature")],
        uow=uow,
        now=NOW,
    )
    assert [r.outcome for r in first] == ["accepted", "duplicate", "bad_signature"]
    later = receive_deliveries([delivery("a", "2026-11-26T11:00:00+08:00")], uow=uow, now=NOW)
    assert [r.outcome for r in later] == ["duplicate"]
    assert len(shipment_timeline(NUMBER, uow=uow).events) == 1
    counted = {(s, o): n for s, o, n, _ in intake_counts(uow=uow)}
    assert counted == {
        ("generic", "accepted"): 1,
        ("generic", "duplicate"): 2,
        ("generic", "bad_signature"): 1,
    }


def test_a_bad_entry_is_reported_for_its_delivery_and_the_good_ones_stored(
    uow: UnitOfWork,
) -> None:
    body = generic_body(
        NUMBER, ("2026-11-26T10:00:00+08:00", "picked_up"), ("yesterday", "departed_origin")
    )
    parsed = parse_tracking(body, format="generic")
    [result] = receive_deliveries(
        [Delivery("generic", message_id="m", parsed=parsed)], uow=uow, now=NOW
    )
    assert (result.outcome, result.events, len(result.rejected)) == ("accepted", 1, 1)
    assert result.rejected[0].field == "occurred_at"


def test_concurrent_requests_share_a_commit_and_a_failing_one_fails_alone() -> None:
    batches: list[list[int]] = []

    def write(batch: Sequence[int]) -> list[int]:
        batches.append(list(batch))
        if 13 in batch:
            raise RuntimeError("this one is broken")
        return [item * 10 for item in batch]

    async def scenario() -> list[object]:
        commits: GroupCommit[int, int] = GroupCommit(write, max_batch=50)
        return await asyncio.gather(*(commits.submit(i) for i in range(20)), return_exceptions=True)

    results = asyncio.run(scenario())
    assert results[:13] == [i * 10 for i in range(13)] and results[14:] == [
        i * 10 for i in range(14, 20)
    ]
    assert isinstance(results[13], RuntimeError)
    assert max(len(b) for b in batches) > 1
