"""From a Shopify export to lane health with live tracking, no library call in between:
import -> assign -> ship (manual line) -> signed webhook events over real HTTP -> timeline
-> a no_arrival alert on the right order and channel -> lane health counts the parcel.
Once through the CLI (the webhooks reaching a served app), once through the HTTP API only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from tests.cli_run import ok
from tests.fakes import SteppingClock
from tests.keys import admin_headers
from tests.served import served
from tests.shopify_rows import two_order_export
from tests.webhook_signing import GENERIC_SECRET, generic_body, generic_headers
from tradelane.bootstrap import build
from tradelane.config import Settings
from tradelane.entrypoints.api.app import create_app

NUMBER = "LX555000222CN"
RECEIVED = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # when the carrier pushes the events
SCANS = (
    ("2026-11-28T18:00:00+08:00", "picked_up"),
    ("2026-11-29T23:00:00+08:00", "departed_origin"),
)
SWEEP_AT = "2026-12-20T00:00:00+00:00"  # past the lane's own no-arrival window after departure
HEALTH_AT = "2026-12-01T00:00:00+00:00"


@pytest.fixture(autouse=True)
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRADELANE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRADELANE_DATABASE_URL", raising=False)
    monkeypatch.delenv("TRADELANE_CARRIER_ACCOUNTS", raising=False)
    monkeypatch.setenv("TRADELANE_TRACKING_WEBHOOK_SECRET", GENERIC_SECRET)
    monkeypatch.setenv("COLUMNS", "220")
    return tmp_path / "data"


HEADERS: dict[str, str] = {}  # the admin key of the served app, set by `base_url`


@pytest.fixture
def base_url() -> Iterator[str]:
    """The app served on 127.0.0.1 on a store set up by `tradelane init`, configured from the
    same environment as the CLI."""
    ok("init")
    system = build(Settings(), clock=SteppingClock(RECEIVED))
    system.migrate()
    HEADERS.update(admin_headers(system))
    with served(create_app(system)) as url:
        yield url


def push_scans(base_url: str) -> httpx.Response:
    body = generic_body(NUMBER, *SCANS)
    headers = generic_headers(body, message_id="msg_e2e_1", at=RECEIVED)
    return httpx.post(f"{base_url}/webhooks/tracking/generic", content=body, headers=headers)


def test_the_cli_takes_a_shopify_order_to_lane_health_on_webhook_tracking(
    tmp_path: Path, base_url: str
) -> None:
    export, products = two_order_export(tmp_path)
    ok("orders", "import", str(export), "--format", "shopify", "--products", str(products))
    ok("assign")
    shipped = ok(
        "ship", "--order", "2001", "--tracking-number", NUMBER, "--at", "2026-11-28T09:00:00+08:00"
    )
    found = re.search(rf"2001\s*│\s*(\S+)\s*│\s*{NUMBER}\s*│\s*manual", shipped)
    assert found is not None, shipped
    channel = found.group(1)
    assert push_scans(base_url).json() == {"outcome": "accepted", "events": 2}
    assert push_scans(base_url).json()["outcome"] == "duplicate"
    shown = ok("shipments", "show", NUMBER)
    assert f"order 2001, channel {channel}" in shown and "departed_origin" in shown
    assert "no_arrival" in ok("monitor", "sweep", "--at", SWEEP_AT)
    alerts = ok("alerts", "list")
    assert re.search(rf"no_arrival\s*│\s*{NUMBER}\s*│\s*{re.escape(channel)}\s*│", alerts), alerts
    health = ok("switching", "health", "--at", HEALTH_AT, "--channel", channel)
    assert re.search(rf"{re.escape(channel)}\s*│\s*US\s*│\s*1\s*│", health), health
    counts = ok("track", "webhooks")
    assert re.search(r"generic\s*│\s*accepted\s*│\s*1", counts) and re.search(
        r"generic\s*│\s*duplicate\s*│\s*1", counts
    ), counts


def test_the_http_api_takes_a_shopify_order_to_lane_health_on_webhook_tracking(
    tmp_path: Path, base_url: str
) -> None:
    export, products = two_order_export(tmp_path)
    with httpx.Client(base_url=base_url, timeout=30, headers=HEADERS) as api:
        imported = api.post(
            "/orders/import",
            json={
                "format": "shopify",
                "orders_csv": export.read_text(encoding="utf-8"),
                "products_csv": products.read_text(encoding="utf-8"),
            },
        )
        assert (imported.status_code, imported.json()["imported"]) == (201, 2), imported.text
        assert api.post("/assignments", json={}).json()["assigned"] == 2
        shipped = api.post(
            "/shipments/ship",
            json={
                "order_ids": ["2001"],
                "tracking_number": NUMBER,
                "at": "2026-11-28T09:00:00+08:00",
            },
        ).json()
        [parcel] = shipped["shipped"]
        assert (parcel["order_id"], parcel["tracking_number"], parcel["booked_via"]) == (
            "2001",
            NUMBER,
            "manual",
        )
        channel = parcel["channel_id"]
        assert push_scans(base_url).json() == {"outcome": "accepted", "events": 2}
        view = api.get(f"/shipments/{NUMBER}").json()
        assert (view["shipment"]["order_id"], view["shipment"]["channel_id"]) == ("2001", channel)
        assert [e["milestone"] for e in view["events"]] == ["picked_up", "departed_origin"]
        assert api.post("/monitor/sweep", json={"at": SWEEP_AT}).json()["opened"]["no_arrival"] == 1
        alerts = {a["rule"]: a for a in api.get("/alerts").json()["items"]}
        no_arrival = alerts["no_arrival"]
        assert (no_arrival["tracking_number"], no_arrival["channel_id"]) == (NUMBER, channel)
        open_rules = {a["rule"] for a in api.get(f"/shipments/{NUMBER}").json()["open_alerts"]}
        assert "no_arrival" in open_rules
        [lane] = api.get("/lanes/health", params={"at": HEALTH_AT, "channel": channel}).json()
        assert (lane["country"], lane["figures"]["in_flight"]) == ("US", 1)


def test_the_unknown_shipment_is_a_404_problem(base_url: str) -> None:
    missing = httpx.get(f"{base_url}/shipments/LX000000000CN", headers=HEADERS)
    assert (
        missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    )
