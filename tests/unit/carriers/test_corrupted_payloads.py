"""Property: a corrupted payload of any tracking format gives a named tradelane error, or
entries that are events or per-entry rejections, never another exception type."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import shared_file
from tradelane.carriers.formats import FORMATS, parse_tracking
from tradelane.domain.errors import TradelaneError, ValidationError
from tradelane.domain.shipments import TrackingEvent
from tradelane.store.tracking_rows import postgres_rows, sqlite_rows

SAMPLES = {
    "dhl_express": "dhl_express__TrackingResponseXML.xml",
    "mydhl": "mydhl__TrackingResponse.json",
    "fedex": "fedex__TrackingResponse.json",
    "ups": "ups__TrackingResponseJSON.json",
    "dhl_universal": "dhl_universal__TrackingResponseJSON.json",
    "landmark": "landmark__MULTI_LEG_DELIVERED_TRACKING_RESPONSE_XML.xml",
    "asendia": "asendia__TrackingResponse.json",
    "usps_international": "usps_international__TrackingResponse.json",
}
CARRIER_SAMPLES = {
    "17track": "17track__v2_webhook_TRACKING_UPDATED.json",
    "yunexpress": "yunexpress__GetTrackInfo_response.json",
    "cainiao": "cainiao__global_detail_RS0814398526Y_in_customs.json",
    "4px": "4px__track_web_listTrackV3_response.json",
    "yanwen": "yanwen__tracking_official_doc_example.json",
    "chinapost": "chinapost_ems__track_query_traces.xml",
}
GENERIC = {
    "events": [
        {
            "carrier": "china-post",
            "tracking_number": "RR123456789CN",
            "occurred_at": "2026-11-21T23:00:00+08:00",
            "status_code": "EMC",
            "code_system": "upu",
            "location": "Shanghai",
            "country": "CN",
        },
        {
            "carrier": "china-post",
            "tracking_number": "RR123456789CN",
            "occurred_at": "2026-11-28T10:00:00-05:00",
            "milestone": "delivered",
        },
    ],
    "shipments": [{"tracking_number": "RR123456789CN", "origin_country": "CN"}],
}
AFTERSHIP = {
    "event": "tracking_update",
    "msg": {
        "tracking_number": "LX123456789CN",
        "slug": "china-ems",
        "origin_country_iso3": "CHN",
        "destination_country_iso3": "USA",
        "checkpoints": [
            {
                "checkpoint_time": "2026-11-20T10:00:00+08:00",
                "tag": "InTransit",
                "subtag": "InTransit_002",
                "message": "Accepted",
                "country_iso3": "CHN",
            },
            {"checkpoint_time": "2026-11-30T10:00:00", "subtag": "Delivered_001"},
        ],
    },
}
CSV = (
    "carrier,tracking_number,occurred_at,milestone,status_code,code_system,country,"
    "origin_country\n"
    "yunexpress,YT2611210000001,2026-11-21T00:00:00+00:00,picked_up,,,CN,CN\n"
    'yunexpress,YT2611210000001,2026-11-22T00:00:00+08:00,,EMC,upu,"CN",\n'
)
HOSTILE_TEXT = [
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:59:59-05:00",
    "1900-01-01T00:00:00",
    "",
    "\x00",
    "9" * 5001,
    "[" * 3000,
    "<a>" * 50,
]
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(HOSTILE_TEXT),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def payload_of(format: str) -> bytes:
    if format == "generic":
        return json.dumps(GENERIC).encode()
    if format == "aftership":
        return json.dumps(AFTERSHIP).encode()
    if format == "csv":
        return CSV.encode()
    if format in CARRIER_SAMPLES:
        return Path(shared_file(f"carrier_samples/{CARRIER_SAMPLES[format]}")).read_bytes()
    return Path(shared_file(f"karrio_samples/{SAMPLES[format]}")).read_bytes()


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON document, the root included."""
    found = [prefix]
    children = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else []
    )
    for key, child in children:
        found += paths(child, (*prefix, key))
    return found


def replaced(node: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, *rest = path
    copy = dict(node) if isinstance(node, dict) else list(node)
    copy[head] = replaced(node[head], tuple(rest), value)
    return copy


@st.composite
def byte_corruption(draw: st.DrawFn, payload: bytes) -> bytes:
    """The payload with a slice deleted, replaced or duplicated, or cut short."""
    start = draw(st.integers(0, len(payload)))
    end = draw(st.integers(start, min(len(payload), start + 64)))
    insert = draw(st.binary(max_size=16) | st.sampled_from([t.encode() for t in HOSTILE_TEXT]))
    kind = draw(st.sampled_from(["replace", "truncate", "duplicate"]))
    if kind == "truncate":
        return payload[:start]
    if kind == "duplicate":
        return payload[:end] + payload[start:end] + payload[end:]
    return payload[:start] + insert + payload[end:]


@st.composite
def value_corruption(draw: st.DrawFn, payload: bytes) -> bytes:
    """JSON: one value anywhere replaced by any JSON value. XML/CSV: one field's text."""
    text = payload.decode("utf-8-sig")
    if text.lstrip().startswith(("{", "[")):
        document = json.loads(text)
        path = draw(st.sampled_from(paths(document)))
        return json.dumps(replaced(document, path, draw(JSON_VALUES))).encode()
    pattern = r">([^<]*)<" if text.lstrip().startswith("<") else r"(?<=[,\n])([^,\n]*)(?=[,\n])"
    spans = [m.span(1) for m in re.finditer(pattern, text)]
    start, end = draw(st.sampled_from(spans))
    value = draw(st.text(max_size=12) | st.sampled_from(HOSTILE_TEXT))
    return (text[:start] + value + text[end:]).encode()


def assert_named_outcome(payload: bytes, format: str) -> None:
    try:
        parsed = parse_tracking(payload, format=format)
    except TradelaneError:
        return
    assert all(isinstance(e, TrackingEvent | ValidationError) for e in parsed.entries)
    sqlite_rows(parsed.events)  # every accepted time converts to the stored UTC instant
    postgres_rows(parsed.events)


PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.mark.parametrize("format", list(FORMATS))
@PROPERTY
@given(data=st.data())
def test_bytes_corrupted_anywhere_give_a_named_error_or_a_clean_parse(
    format: str, data: st.DataObject
) -> None:
    payload = payload_of(format)
    assert_named_outcome(data.draw(byte_corruption(payload)), format)


@pytest.mark.parametrize("format", list(FORMATS))
@PROPERTY
@given(data=st.data())
def test_a_value_replaced_by_anything_gives_a_named_error_or_a_clean_parse(
    format: str, data: st.DataObject
) -> None:
    payload = payload_of(format)
    assert_named_outcome(data.draw(value_corruption(payload)), format)
