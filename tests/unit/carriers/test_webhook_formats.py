"""AfterShip webhook, the generic webhook JSON and CSV: events, flags and per-entry errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tradelane.carriers.formats import parse_tracking
from tradelane.carriers.formats.parsed import MAX_PAYLOAD_BYTES
from tradelane.domain.errors import ValidationError
from tradelane.domain.shipments import Milestone
from tradelane.tracking.normalize import derive_timeline

M = Milestone


def checkpoint(subtag: str, when: str, iso3: str | None, message: str = "scan") -> dict:
    return {
        "slug": "china-ems",
        "checkpoint_time": when,
        "tag": subtag.split("_")[0],
        "subtag": subtag,
        "message": message,
        "location": "somewhere",
        "country_iso3": iso3,
    }


def aftership_payload(*points: dict) -> str:
    return json.dumps(
        {
            "event": "tracking_update",
            "ts": 1764000000,
            "msg": {
                "tracking_number": "LX123456789CN",
                "slug": "china-ems",
                "origin_country_iso3": "CHN",
                "destination_country_iso3": "USA",
                "checkpoints": list(points),
            },
        }
    )


def test_aftership_departure_and_customs_subtags_map_to_milestones() -> None:
    parsed = parse_tracking(
        aftership_payload(
            checkpoint("InTransit_002", "2026-11-20T10:00:00+08:00", "CHN"),
            checkpoint("InTransit_007", "2026-11-21T23:00:00+08:00", "CHN"),
            checkpoint("Exception_004", "2026-11-24T09:00:00-05:00", "USA"),
        ),
        format="aftership",
    )
    assert [e.milestone for e in parsed.events] == [M.PICKED_UP, M.DEPARTED_ORIGIN, M.CUSTOMS_HOLD]
    assert [e.country for e in parsed.events] == ["CN", "CN", "US"]
    facts = parsed.shipments[0]
    assert (facts.origin_country, facts.destination_country) == ("CN", "US")
    timeline = derive_timeline(parsed.events, origin_country="CN", destination_country="US")
    assert timeline.first_at[M.DEPARTED_ORIGIN] == datetime(2026, 11, 21, 15, tzinfo=UTC)
    assert timeline.first_at[M.ARRIVED_DESTINATION_COUNTRY] == datetime(
        2026, 11, 24, 14, tzinfo=UTC
    )


def test_aftership_unknown_subtag_falls_back_to_its_tag_and_is_flagged() -> None:
    parsed = parse_tracking(
        aftership_payload(checkpoint("Delivered_009", "2026-11-30T10:00:00Z", "USA")),
        format="aftership",
    )
    event = parsed.events[0]
    assert (event.milestone, event.status_code, event.unknown_code) == (
        M.DELIVERED,
        "Delivered_009",
        True,
    )


def test_aftership_checkpoint_without_time_is_rejected_alone() -> None:
    parsed = parse_tracking(
        aftership_payload(
            checkpoint("InTransit_001", "yesterday", "CHN"),
            checkpoint("InTransit_001", "2026-11-21T10:00:00+08:00", "CHN"),
        ),
        format="aftership",
    )
    assert len(parsed.events) == 1
    assert [(e.field, e.value) for e in parsed.errors] == [("checkpoint_time", "yesterday")]
    assert "checkpoint 1" in parsed.errors[0].where


def test_a_payload_that_is_not_an_aftership_webhook_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"msg\.tracking_number"):
        parse_tracking('{"event": "tracking_update"}', format="aftership")


def test_oversized_payloads_are_refused_naming_the_limit() -> None:
    huge = " " * (MAX_PAYLOAD_BYTES + 1)
    with pytest.raises(ValidationError, match=f"limit of {MAX_PAYLOAD_BYTES:,} bytes"):
        parse_tracking(huge, format="generic")


def generic_event(**overrides: object) -> dict:
    event: dict[str, object] = {
        "carrier": "china-post",
        "tracking_number": "RR123456789CN",
        "occurred_at": "2026-11-21T23:00:00+08:00",
        "status_code": "EMC",
        "code_system": "upu",
        "status_text": "Departure from outward office of exchange",
        "country": "CN",
    }
    event.update(overrides)
    return event


def test_generic_webhook_maps_upu_codes_and_keeps_explicit_milestones() -> None:
    payload = {
        "events": [
            generic_event(),
            generic_event(status_code="EMD", occurred_at="2026-11-25T06:00:00-08:00", country="US"),
            generic_event(status_code="X1", code_system=None, milestone="customs_hold"),
        ],
        "shipments": [{"tracking_number": "RR123456789CN", "origin_country": "CHN"}],
    }
    parsed = parse_tracking(json.dumps(payload), format="generic")
    assert [e.milestone for e in parsed.events] == [
        M.DEPARTED_ORIGIN,
        M.ARRIVED_DESTINATION_COUNTRY,
        M.CUSTOMS_HOLD,
    ]
    assert [e.unknown_code for e in parsed.events] == [False, False, False]
    assert parsed.shipments[0].origin_country == "CN"


def test_generic_webhook_flags_unmapped_codes_and_rejects_bad_events_alone() -> None:
    payload = [
        generic_event(status_code="ZZZ"),
        generic_event(occurred_at="2026-11-21T23:00:00"),
        generic_event(code_system="dhl"),
        generic_event(country="XX"),
    ]
    parsed = parse_tracking(json.dumps(payload), format="generic")
    assert [(e.status_code, e.unknown_code, e.milestone) for e in parsed.events] == [
        ("ZZZ", True, M.IN_TRANSIT)
    ]
    assert [e.field for e in parsed.errors] == ["occurred_at", "code_system", "country"]
    assert parsed.errors[0].where == "generic, events[1]"


CSV_TEXT = (
    "carrier,tracking_number,occurred_at,milestone,status_code,location,country,origin_country\n"
    "yunexpress,YT2612345678,2026-11-20T10:00:00+08:00,picked_up,PU,Shenzhen,CN,CN\n"
    "yunexpress,YT2612345678,not-a-time,in_transit,IT,Shenzhen,CN,CN\n"
    "yunexpress,YT2612345678,2026-11-23T08:00:00+01:00,in_transit,IT,Leipzig,DE,CN\n"
)


def test_csv_rows_become_events_and_a_bad_row_is_rejected_with_its_row_number() -> None:
    parsed = parse_tracking(CSV_TEXT, format="csv")
    assert [e.location for e in parsed.events] == ["Shenzhen", "Leipzig"]
    assert [(e.where, e.field) for e in parsed.errors] == [("csv, row 3", "occurred_at")]
    assert parsed.shipments[0].origin_country == "CN"


def test_csv_with_an_unknown_column_is_refused_whole() -> None:
    with pytest.raises(ValidationError, match=r"unknown \[.colour.\]"):
        parse_tracking("carrier,tracking_number,occurred_at,milestone,colour\n", format="csv")


def test_unknown_format_names_the_known_ones() -> None:
    with pytest.raises(ValidationError, match="aftership"):
        parse_tracking("{}", format="dhl-ecommerce")
