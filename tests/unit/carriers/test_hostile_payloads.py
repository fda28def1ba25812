"""Hostile or unlucky payloads: a named error or a per-entry rejection, never a traceback."""

from __future__ import annotations

import json

import pytest

from tests.conftest import shared_file
from tradelane.carriers.formats import parse_tracking
from tradelane.domain.errors import ValidationError

OVERFLOWING_TIMES = ("0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00")


def generic_event(**overrides: object) -> dict[str, object]:
    return {
        "carrier": "china-post",
        "tracking_number": "RR123456789CN",
        "occurred_at": "2026-11-21T23:00:00+08:00",
        "milestone": "picked_up",
        **overrides,
    }


def aftership(tracking_number: object = "LX123456789CN", **checkpoint: object) -> str:
    point = {
        "checkpoint_time": "2026-11-20T10:00:00+08:00",
        "subtag": "InTransit_002",
        **checkpoint,
    }
    return json.dumps(
        {"msg": {"tracking_number": tracking_number, "slug": "china-ems", "checkpoints": [point]}}
    )


@pytest.mark.parametrize("when", OVERFLOWING_TIMES)
def test_a_generic_event_whose_time_overflows_in_utc_is_rejected_alone(when: str) -> None:
    payload = json.dumps({"events": [generic_event(occurred_at=when), generic_event()]})
    parsed = parse_tracking(payload, format="generic")
    assert len(parsed.events) == 1
    [error] = parsed.errors
    assert (error.field, error.value) == ("occurred_at", when)
    assert "events[0]" in error.where and "UTC" in error.message


@pytest.mark.parametrize("when", OVERFLOWING_TIMES)
def test_a_csv_row_whose_time_overflows_in_utc_is_rejected_and_the_good_rows_kept(
    when: str,
) -> None:
    payload = (
        "carrier,tracking_number,occurred_at,milestone\n"
        "yunexpress,YT1,2026-11-21T00:00:00+00:00,picked_up\n".replace("YT1", "YT2611210000001")
        + f"yunexpress,YT2611210000001,{when},departed_origin\n"
        + "yunexpress,YT2611210000001,2026-11-28T00:00:00+00:00,delivered\n"
    )
    parsed = parse_tracking(payload, format="csv")
    assert [e.milestone.value for e in parsed.events] == ["picked_up", "delivered"]
    [error] = parsed.errors
    assert (error.field, error.value, error.where) == ("occurred_at", when, "csv, row 3")


@pytest.mark.parametrize("when", OVERFLOWING_TIMES)
def test_an_aftership_checkpoint_whose_time_overflows_in_utc_is_rejected_alone(when: str) -> None:
    parsed = parse_tracking(aftership(checkpoint_time=when), format="aftership")
    [error] = parsed.errors
    assert (error.field, error.value) == ("checkpoint_time", when)


def test_a_code_system_given_as_a_list_is_rejected_naming_the_field() -> None:
    event = generic_event(milestone=None, status_code="EMC", code_system=["upu"])
    [error] = parse_tracking(json.dumps([event]), format="generic").errors
    assert (error.field, error.value) == ("code_system", ["upu"])


def test_an_aftership_country_given_as_a_number_is_rejected_naming_the_field() -> None:
    [error] = parse_tracking(aftership(country_iso3=840), format="aftership").errors
    assert (error.field, error.value) == ("country_iso3", 840)


def test_an_aftership_tracking_number_given_as_a_list_is_refused() -> None:
    with pytest.raises(ValidationError, match="tracking_number") as caught:
        parse_tracking(aftership(tracking_number=["x"]), format="aftership")
    assert caught.value.value == ["x"]


def test_a_json_integer_of_5001_digits_is_a_named_error() -> None:
    payload = '{"events": [{"carrier": ' + "9" * 5001 + "}]}"
    with pytest.raises(ValidationError, match="digits") as caught:
        parse_tracking(payload, format="generic")
    assert caught.value.field == "payload"


@pytest.mark.parametrize("format", ["generic", "aftership", "fedex", "ups", "dhl_universal"])
def test_json_nested_100k_deep_is_a_named_error(format: str) -> None:
    payload = "[" * 100_000 + "]" * 100_000
    with pytest.raises(ValidationError, match="nested") as caught:
        parse_tracking(payload, format=format)
    assert caught.value.field == "payload"


@pytest.mark.parametrize(
    ("sample", "format"),
    [
        ("landmark__MULTI_LEG_DELIVERED_TRACKING_RESPONSE_XML.xml", "dhl_express"),
        ("fedex__TrackingResponse.json", "ups"),
        ("ups__TrackingResponseJSON.json", "fedex"),
        ("ups__TrackingResponseJSON.json", "asendia"),
        ("ups__TrackingResponseJSON.json", "mydhl"),
    ],
)
def test_a_payload_of_another_format_is_not_a_payload_of_the_named_one(
    sample: str, format: str
) -> None:
    payload = shared_file(f"karrio_samples/{sample}").read_bytes()
    with pytest.raises(ValidationError, match=f"not a {format} payload"):
        parse_tracking(payload, format=format)


def test_a_csv_field_over_the_csv_module_limit_refuses_the_file_naming_the_line() -> None:
    payload = (
        "carrier,tracking_number,occurred_at,milestone,status_text\n"
        "yunexpress,YT2611210000001,2026-11-21T00:00:00+00:00,picked_up,ok\n"
        f"yunexpress,YT2611210000001,2026-11-21T00:00:00+00:00,picked_up,{'x' * 140_000}\n"
    )
    with pytest.raises(ValidationError, match="not readable as CSV") as caught:
        parse_tracking(payload, format="csv")
    assert caught.value.where == "csv, line 3"
