"""The Chinese cross-border carriers' tracking formats read their recorded answers (shared
real samples) and answers shaped as their documentation shows, into our milestones."""

from __future__ import annotations

import json

import pytest

from tests.conftest import shared_file
from tradelane.carriers.formats import parse_tracking
from tradelane.carriers.formats.karrio_adapter import TrackingNotFound
from tradelane.domain.errors import ValidationError
from tradelane.domain.shipments import Milestone

M = Milestone


def sample(name: str) -> bytes:
    return shared_file(f"carrier_samples/{name}").read_bytes()


def milestones(parsed: object) -> dict[str, tuple[str, str | None]]:
    return {e.status_code: (e.milestone.value, e.country) for e in parsed.events}  # type: ignore[attr-defined]


def test_a_4px_track_reaches_departure_arrival_and_clearance_on_the_right_sides() -> None:
    parsed = parse_tracking(sample("4px__track_web_listTrackV3_response.json"), format="4px")
    seen = milestones(parsed)
    assert seen["FPX_M_DFOA"] == ("departed_origin", "CN")
    assert seen["FPX_M_ATA"] == ("arrived_destination_country", "AT")
    assert seen["FPX_I_RCUK"] == ("customs_cleared", "AT")
    departed = next(e for e in parsed.events if e.status_code == "FPX_M_DFOA")
    assert departed.occurred_at.isoformat() == "2024-09-05T05:09:00+00:00"
    assert (parsed.shipments[0].origin_country, parsed.shipments[0].destination_country) == (
        "CN",
        "AT",
    )


def test_a_4px_open_api_refusal_names_its_error_even_in_mojibake() -> None:
    with pytest.raises(ValidationError, match="000013"):
        parse_tracking(sample("4px__openapi_tr_order_tracking_get_error.json"), format="4px")


def test_a_4px_open_api_answer_reads_local_times_in_the_assumed_zone() -> None:
    from zoneinfo import ZoneInfo

    body = {
        "result": "1",
        "msg": "",
        "data": {
            "deliveryOrderNo": "4PX3000000000001CN",
            "destinationCountry": "FR",
            "trackingList": [
                {
                    "businessLinkCode": "FPX_M_DFOA",
                    "occurDatetime": "2026-11-28 13:09:00",
                    "occurLocation": "Shenzhen",
                    "trackingContent": "Departure from the original airport",
                },
                {
                    "businessLinkCode": "FPX_X_NEW",
                    "occurDatetime": "2026-11-29 08:00:00",
                    "occurLocation": "",
                    "trackingContent": "Something new",
                },
            ],
        },
    }
    parsed = parse_tracking(json.dumps(body), format="4px", assume_tz=ZoneInfo("Asia/Shanghai"))
    first, second = parsed.events
    assert (
        first.milestone is M.DEPARTED_ORIGIN
        and first.occurred_at.utcoffset().total_seconds() == 8 * 3600
    )  # type: ignore[union-attr]
    assert second.unknown_code and second.milestone is M.IN_TRANSIT


def test_a_cainiao_answer_maps_its_action_codes_and_country_names() -> None:
    parsed = parse_tracking(
        sample("cainiao__global_detail_RS0814398526Y_in_customs.json"), format="cainiao"
    )
    seen = milestones(parsed)
    assert seen["LH_DEPART"] == ("departed_origin", "CN")
    assert seen["LH_ARRIVE"] == ("arrived_destination_country", "IL")
    assert seen["CC_IM_SUCCESS"] == ("customs_cleared", "IL")
    assert seen["PU_PICKUP_SUCCESS"] == ("picked_up", "CN")
    assert not any(e.unknown_code for e in parsed.events)


def test_a_cainiao_parcel_awaiting_dispatch_has_no_events_but_its_countries() -> None:
    parsed = parse_tracking(
        sample("cainiao__global_detail_UZ0556033196Y_awaiting_dispatch.json"), format="cainiao"
    )
    assert parsed.entries == []
    assert (parsed.shipments[0].origin_country, parsed.shipments[0].destination_country) == (
        "CN",
        "IL",
    )


def test_a_yanwen_answer_reads_each_checkpoint_in_its_own_zone() -> None:
    parsed = parse_tracking(sample("yanwen__tracking_official_doc_example.json"), format="yanwen")
    by_code = {e.status_code: e for e in parsed.events}
    assert by_code["LH20"].milestone is M.DEPARTED_ORIGIN
    assert by_code["LM40"].milestone is M.DELIVERED and by_code["LM40"].country == "DE"
    assert by_code["LM40"].occurred_at.isoformat() == "2023-04-26T09:52:37+02:00"
    assert by_code["LM54"].milestone is M.RETURNED


def test_a_yanwen_unknown_number_is_not_found_not_an_empty_success() -> None:
    with pytest.raises(TrackingNotFound):
        parse_tracking(sample("yanwen__legacy_v2_tracking_not_found.json"), format="yanwen")


def test_a_yunexpress_answer_reads_local_times_and_a_delivered_package_state() -> None:
    body = json.loads(sample("yunexpress__GetTrackInfo_response.json"))
    parsed = parse_tracking(json.dumps(body), format="yunexpress")
    [only] = parsed.events
    assert only.local_time is not None and only.milestone is M.IN_TRANSIT
    assert parsed.shipments[0].destination_country == "AU"
    body["Item"]["PackageState"] = 3
    delivered = parse_tracking(json.dumps(body), format="yunexpress")
    assert delivered.events[0].milestone is M.DELIVERED


def test_a_yunexpress_refusal_names_its_message() -> None:
    with pytest.raises(ValidationError, match="bad number"):
        parse_tracking(json.dumps({"Code": "1001", "Message": "bad number"}), format="yunexpress")


def test_china_post_traces_map_their_wording_to_upu_events() -> None:
    parsed = parse_tracking(
        sample("chinapost_ems__track_query_traces.xml"),
        format="chinapost",
        where="EA123456789CN.xml",
    )
    first = parsed.events[0]
    assert (first.tracking_number, first.status_code, first.milestone) == (
        "EA123456789CN",
        "EMA",
        M.PICKED_UP,
    )
    assert first.occurred_at.utcoffset().total_seconds() == 8 * 3600  # type: ignore[union-attr]


def test_china_post_traces_with_upu_codes_reach_departure_and_arrival() -> None:
    xml = (
        "<traces><mailNo>LX123456789CN</mailNo>"
        "<trace><acceptTime>2026-11-28 09:00:00</acceptTime><acceptAddress>Shenzhen</acceptAddress>"
        "<remark>Departure from outward office of exchange</remark></trace>"
        "<trace><acceptTime>2026-12-02 09:00:00</acceptTime><code>EMD</code>"
        "<acceptAddress>Frankfurt</acceptAddress><remark>Ankunft</remark></trace></traces>"
    )
    departed, arrived = parse_tracking(xml, format="chinapost").events
    assert (departed.status_code, departed.milestone) == ("EMC", M.DEPARTED_ORIGIN)
    assert (arrived.milestone, arrived.country) == (M.ARRIVED_DESTINATION_COUNTRY, None)


def test_china_post_traces_naming_no_parcel_are_refused() -> None:
    with pytest.raises(ValidationError, match="mailNo"):
        parse_tracking(sample("chinapost_ems__track_query_traces.xml"), format="chinapost")
