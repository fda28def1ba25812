"""Real carrier responses (karrio's recorded fixtures) parsed through karrio into our events."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from tests.conftest import shared_file
from tradelane.carriers.formats import parse_tracking
from tradelane.carriers.formats.karrio_adapter import TrackingNotFound
from tradelane.carriers.formats.parsed import ParsedTracking
from tradelane.domain.errors import NotFound, ValidationError
from tradelane.domain.shipments import Milestone
from tradelane.tracking.normalize import derive_timeline

M = Milestone


def sample(name: str, format: str, **options: Any) -> ParsedTracking:
    return parse_tracking(
        shared_file(f"karrio_samples/{name}").read_bytes(), format=format, **options
    )


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_multi_leg_landmark_crossing_codes_give_departure_and_arrival() -> None:
    parsed = sample("landmark__MULTI_LEG_DELIVERED_TRACKING_RESPONSE_XML.xml", "landmark")
    timeline = derive_timeline(parsed.events)
    assert [e.status_code for e in parsed.events] == [
        "500",
        "225",
        "155",
        "150",
        "125",
        "225",
        "50",
    ]
    assert timeline.first_at[M.DEPARTED_ORIGIN] == at("2025-02-21T07:55:00+00:00")
    assert timeline.first_at[M.ARRIVED_DESTINATION_COUNTRY] == at("2025-02-21T07:56:00+00:00")
    # The carrier stamped delivery before its own crossing scans: status is still delivered.
    assert (timeline.status, timeline.is_active) == (M.DELIVERED, False)
    assert timeline.first_at[M.DELIVERED] == at("2025-02-21T04:23:00+00:00")


def test_landmark_locations_give_countries_only_when_they_end_in_one() -> None:
    parsed = sample("landmark__DELIVERED_TRACKING_RESPONSE_XML.xml", "landmark")
    assert [e.country for e in parsed.events] == ["CA", "CA", "CA", "CA", "US"]
    timeline = derive_timeline(parsed.events, origin_country="US", destination_country="CA")
    assert timeline.first_at[M.ARRIVED_DESTINATION_COUNTRY] == at("2025-09-26T11:40:00+00:00")
    assert timeline.first_at[M.CUSTOMS_CLEARED] == at("2025-09-26T11:40:00+00:00")
    multi = sample("landmark__MULTI_LEG_DELIVERED_TRACKING_RESPONSE_XML.xml", "landmark")
    assert {e.country for e in multi.events} == {None}  # "Feltham, SRY", "Roundwood, WW"


def test_landmark_failed_delivery_is_an_exception_with_karrio_reason() -> None:
    parsed = sample("landmark__DELIVERY_FAILED_TRACKING_RESPONSE_XML.xml", "landmark")
    failed = parsed.events[0]
    assert (failed.milestone, failed.incident_reason) == (M.EXCEPTION, "consignee_refused")
    assert derive_timeline(parsed.events).is_active is True


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("landmark__EARLY_STAGE_TRACKING_RESPONSE_XML.xml", M.INFO_RECEIVED),
        ("landmark__OUT_FOR_DELIVERY_TRACKING_RESPONSE_XML.xml", M.OUT_FOR_DELIVERY),
        ("landmark__TO_BE_ROUTED_TRACKING_RESPONSE_XML.xml", M.INFO_RECEIVED),
        ("landmark__IN_TRANSIT_TRACKING_RESPONSE_XML.xml", M.IN_TRANSIT),
    ],
)
def test_landmark_stages_map_to_their_milestone(name: str, status: Milestone) -> None:
    assert derive_timeline(sample(name, "landmark").events).status is status


def test_landmark_login_error_is_a_validation_error_naming_the_carrier_message() -> None:
    with pytest.raises(ValidationError, match="username/password combination provided is invalid"):
        sample("landmark__ERROR_RESPONSE_XML.xml", "landmark")


def test_dhl_express_service_areas_give_countries_and_the_crossings() -> None:
    parsed = sample("dhl_express__TrackingResponseXML.xml", "dhl_express")
    journey = [e for e in parsed.events if e.tracking_number == "3180831640"]
    facts = {f.tracking_number: f for f in parsed.shipments}["3180831640"]
    assert (facts.origin_country, facts.destination_country) == ("ES", "IT")
    timeline = derive_timeline(journey, origin_country="ES", destination_country="IT")
    assert timeline.first_at[M.PICKED_UP] == at("2009-08-28T13:26:00+00:00")
    assert timeline.first_at[M.DEPARTED_ORIGIN] == at("2009-08-29T00:32:00+00:00")  # Leipzig
    assert timeline.first_at[M.ARRIVED_DESTINATION_COUNTRY] == at("2009-08-30T19:43:00+00:00")
    assert timeline.status is M.DELIVERED
    assert {e.tracking_number for e in parsed.events} == {"3180831640", "7740842550", "1815115363"}


def test_dhl_express_local_times_take_the_assumed_zone() -> None:
    shanghai = timezone(timedelta(hours=8))
    parsed = sample(
        "dhl_express__IntransitTrackingResponseXML.xml", "dhl_express", assume_tz=shanghai
    )
    assert parsed.events[0].occurred_at == datetime(2021, 5, 5, 9, 42, tzinfo=shanghai)
    assert parsed.events[0].country == "JM"  # "KINGSTON-JAM"


def test_dhl_express_not_found_is_a_not_found_naming_dhl_message() -> None:
    with pytest.raises(NotFound, match="No Shipments Found for AWBNumber 123456789"):
        sample("dhl_express__TrackingSingleNotFound.xml", "dhl_express")


def test_fedex_keeps_each_scan_offset_from_the_raw_response() -> None:
    parsed = sample("fedex__InconsistentDateTimeResponse.json", "fedex")
    by_code = {(e.status_code, e.location): e for e in parsed.events}
    left = by_code[("DP", "MANKATO, MN, 56001, US")]
    assert left.occurred_at == at("2024-08-15T19:29:25-05:00")
    assert left.occurred_at.astimezone(UTC) == at("2024-08-16T00:29:25+00:00")
    delivered = by_code[("DL", "Blue Point, NY, 11715, US")]
    assert delivered.occurred_at == at("2024-08-20T12:41:57-04:00")


def test_fedex_scan_without_offset_takes_the_assumed_zone() -> None:
    parsed = sample("fedex__InconsistentDateTimeResponse.json", "fedex")
    picked_up = next(e for e in parsed.events if e.status_code == "PU")
    assert picked_up.occurred_at == datetime(2024, 8, 15, tzinfo=UTC)


def test_fedex_duplicate_results_are_all_kept_for_deduplication() -> None:
    parsed = sample("fedex__DuplicateTrackingResponse.json", "fedex")
    assert len(parsed.events) == 18  # 10 + 8 scans in two trackResults of one number
    timeline = derive_timeline(parsed.events)
    assert timeline.first_at[M.PICKED_UP] == at("2024-04-24T16:05:00-07:00")
    assert timeline.status is M.DELIVERED


def test_fedex_parsing_never_opens_a_network_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("a tracking parser opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    parsed = sample("fedex__DuplicateTrackingResponse.json", "fedex")
    assert any(e.milestone is M.DELIVERED for e in parsed.events)


def test_fedex_response_with_failed_numbers_keeps_the_good_one_and_rejects_the_others() -> None:
    parsed = sample("fedex__TrackingResponse.json", "fedex")
    assert [e.tracking_number for e in parsed.events] == ["123456789012"]
    assert [e.value for e in parsed.errors] == ["128667043726", "39936862321"]
    assert "TRACKING.TRACKINGNUMBER.NOTFOUND" in parsed.errors[1].message


def test_fedex_error_response_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="Please provide tracking number"):
        sample("fedex__ErrorResponse.json", "fedex")


def test_ups_customs_release_and_country_come_through() -> None:
    event = sample("ups__TrackingResponseJSON.json", "ups").events[0]
    assert (event.status_code, event.milestone, event.country) == ("SR", M.CUSTOMS_CLEARED, "US")
    assert event.occurred_at == datetime(2021, 2, 10, 7, 13, tzinfo=UTC)


def test_ups_not_found_is_a_not_found_and_invalid_number_a_validation_error() -> None:
    with pytest.raises(TrackingNotFound, match="Tracking Information Not Found"):
        sample("ups__TrackingNumberNotFoundResponseJSON.json", "ups")
    with pytest.raises(ValidationError, match="Invalid inquiry number"):
        sample("ups__InvalidTrackingNumberResponseJSON.json", "ups")


def test_dhl_universal_and_mydhl_and_asendia_errors_are_not_found() -> None:
    for name, format in [
        ("dhl_universal__TrackingErrorResponseJSON.json", "dhl_universal"),
        ("mydhl__ErrorResponse.json", "mydhl"),
        ("asendia__ErrorResponse.json", "asendia"),
    ]:
        with pytest.raises(NotFound):
            sample(name, format)


def test_asendia_switzerland_to_us_crosses_on_the_delivery_scan() -> None:
    parsed = sample("asendia__TrackingResponse.json", "asendia")
    assert [e.country for e in parsed.events] == ["US", "CH", "CH"]
    timeline = derive_timeline(parsed.events, origin_country="CH", destination_country="US")
    assert timeline.first_at[M.ARRIVED_DESTINATION_COUNTRY] == at("2024-04-15T11:00:00+00:00")
    assert timeline.status is M.DELIVERED


def test_dhl_universal_origin_and_destination_become_shipment_facts() -> None:
    parsed = sample("dhl_universal__TrackingResponseJSON.json", "dhl_universal")
    assert [(f.origin_country, f.destination_country) for f in parsed.shipments] == [("NL", "NL")]
    assert parsed.events[0].milestone is M.INFO_RECEIVED  # statusCode "pre-transit"


def test_usps_times_carry_the_gmt_offset_and_domestic_scans_are_us() -> None:
    parsed = sample("usps_international__TrackingResponse.json", "usps_international")
    assert len(parsed.events) == 12
    delivered = parsed.events[0]
    assert delivered.occurred_at.astimezone(UTC) == at("2024-11-22T18:58:00+00:00")
    assert {e.country for e in parsed.events} == {"US"}
    assert derive_timeline(parsed.events).status is M.DELIVERED


def test_mydhl_events_use_the_dhl_express_code_table() -> None:
    parsed = sample("mydhl__TrackingResponse.json", "mydhl")
    assert [e.milestone for e in parsed.events] == [M.DELIVERED, M.PICKED_UP]


def test_unknown_carrier_codes_are_kept_raw_and_flagged() -> None:
    text = shared_file("karrio_samples/asendia__TrackingResponse.json").read_text()
    parsed = parse_tracking(text.replace('"code": "IT"', '"code": "XQ"'), format="asendia")
    odd = next(e for e in parsed.events if e.status_code == "XQ")
    assert (odd.unknown_code, odd.milestone, odd.status_text) == (
        True,
        M.IN_TRANSIT,
        "In transit to destination",
    )


def test_a_response_karrio_cannot_read_is_a_validation_error_not_a_crash() -> None:
    with pytest.raises(ValidationError, match="not well-formed XML"):
        parse_tracking("<TrackResponse><Result>", format="landmark")
    with pytest.raises(ValidationError, match="not valid JSON"):
        parse_tracking("{", format="fedex")
