"""Scorecards from the store: stored shipments (with their orders, scans and alerts) and
imported history, each figure checked against a hand or plain-Python computation."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert

from tests.builders import an_order
from tests.conftest import shared_file
from tests.integration.shipment_rows import a_shipment_row, insert_shipments
from tradelane.optimization.scorecards import ScoreKey
from tradelane.selection.conditions import FxTable
from tradelane.services.history_import import import_history_file
from tradelane.services.scorecards import ScoreSource, channel_scorecards
from tradelane.store.tables import alerts, tracking_events
from tradelane.store.uow import UnitOfWork

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
T0 = datetime(2026, 11, 2, 8, tzinfo=UTC)
AS_OF = datetime(2026, 12, 20, tzinfo=UTC)
FX = FxTable({"USD": Decimal(1), "EUR": Decimal("1.25")}, "USD")


def days(n: float) -> datetime:
    return T0 + timedelta(days=n)


def scan(number: str, at: datetime, location: str) -> dict[str, object]:
    return {
        "tracking_number": number,
        "occurred_at": at,
        "status_code": "X",
        "location": location,
        "carrier": "test-carrier",
        "milestone": "in_transit",
        "status_text": "scan",
        "unknown_code": False,
        "source": "test",
        "received_at": at,
    }


@pytest.fixture
def stored(engine: Engine) -> Engine:
    with UnitOfWork(engine) as uow:
        uow.orders.add_many(
            [an_order("O-1", weight_kg=2.0), an_order("O-2", weight_kg=0.5)], now=T0
        )
        uow.commit()
    _, late, *_ = insert_shipments(
        engine,
        a_shipment_row("A1", channel_id="air", destination_country="DE", order_id="O-1",
                       handed_over_at=days(0), promised_at=days(5), delivered_at=days(4),
                       label_cost_amount=Decimal("12.00"), label_cost_currency="EUR"),
        a_shipment_row("A2", channel_id="air", destination_country="DE", order_id="O-2",
                       handed_over_at=days(0), promised_at=days(5), delivered_at=days(7),
                       label_cost_amount=Decimal("5.00"), label_cost_currency="USD"),
        a_shipment_row("A3", channel_id="air", destination_country="DE",
                       handed_over_at=days(1), promised_at=days(60)),
        a_shipment_row("A4", channel_id="air", destination_country="DE", status="lost",
                       handed_over_at=days(1), promised_at=days(6), exception_at=days(3)),
        a_shipment_row("S1", channel_id="sea", destination_country="DE",
                       handed_over_at=days(0), promised_at=days(2)),
    )  # fmt: skip
    with engine.begin() as connection:
        connection.execute(
            insert(tracking_events),
            [
                scan("A1", days(0) - timedelta(hours=1), ""),  # label data before hand-over
                scan("A1", days(1), "Shenzhen"),
                scan("A2", days(0) + timedelta(hours=6), "Shenzhen"),
                scan("A2", days(3), ""),
            ],
        )
        connection.execute(
            insert(alerts).values(
                shipment_id=late, rule="late_delivery", state="resolved", opened_at=days(5),
                detail={}, revised_eta_at=days(6),
            )
        )  # fmt: skip
    return engine


def test_stored_shipment_figures_equal_the_hand_computed_ones(stored: Engine) -> None:
    air, sea = channel_scorecards(uow=UnitOfWork(stored), by=[ScoreKey.CHANNEL], fx=FX, as_of=AS_OF)
    assert air.key == {"channel": "air"}
    # A1 on time, A2 late, A3 not yet due (unknown), A4 lost (late)
    assert (air.shipments, air.on_time_known, air.on_time_rate) == (4, 3, pytest.approx(1 / 3))
    assert (air.transit_p50_days, air.transit_p90_days) == (5.5, pytest.approx(6.7))
    assert air.cost_per_parcel == pytest.approx((15.0 + 5.0) / 2)  # 12 EUR = 15 USD
    assert air.cost_per_kg == pytest.approx(20.0 / 2.5)
    assert (air.exception_rate, air.loss_rate) == (0.25, 0.25)
    assert air.first_scan_hours_p50 == pytest.approx(3.0)  # A1: 0 (clamped), A2: 6 h
    assert air.located_event_share == pytest.approx(2 / 4)
    assert air.eta_error_days == pytest.approx(1.0)  # A2 delivered a day after its ETA
    # S1: undelivered after its promise as of AS_OF
    assert (sea.shipments, sea.on_time_rate, sea.transit_p50_days) == (1, 0.0, None)


def test_an_undelivered_shipment_before_its_promise_has_no_outcome_yet(stored: Engine) -> None:
    [sea] = [
        card
        for card in channel_scorecards(
            uow=UnitOfWork(stored), by=[ScoreKey.CHANNEL], fx=FX, as_of=days(1)
        )
        if card.key["channel"] == "sea"
    ]
    assert (sea.on_time_known, sea.on_time_rate) == (0, None)


def test_scms_on_time_rate_per_mode_equals_a_plain_python_count(sqlite_engine: Engine) -> None:
    path = shared_file("usaid_scms/SCMS_Delivery_History_Dataset.csv")
    import_history_file(
        path,
        EXAMPLES / "scms-mapping.yaml",
        uow=UnitOfWork(sqlite_engine),
        now=AS_OF,
    )
    cards = channel_scorecards(
        uow=UnitOfWork(sqlite_engine),
        by=[ScoreKey.CHANNEL],
        fx=FX,
        as_of=AS_OF,
        source=ScoreSource.HISTORY,
    )
    expected = _plain_on_time_per_mode(path)
    assert {c.key["channel"]: c.on_time_rate for c in cards} == pytest.approx(expected)
    assert {c.key["channel"]: c.shipments for c in cards} == _plain_counts(path)


def _plain_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def _plain_on_time_per_mode(path: Path) -> dict[str, float]:
    hits: dict[str, list[bool]] = defaultdict(list)
    for row in _plain_rows(path):
        scheduled = datetime.strptime(row["Scheduled Delivery Date"], "%d-%b-%y")  # noqa: DTZ007
        delivered = datetime.strptime(row["Delivered to Client Date"], "%d-%b-%y")  # noqa: DTZ007
        hits[row["Shipment Mode"]].append(delivered <= scheduled)
    return {mode: sum(found) / len(found) for mode, found in hits.items()}


def _plain_counts(path: Path) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for row in _plain_rows(path):
        counts[row["Shipment Mode"]] += 1
    return dict(counts)
