"""Polling carriers through karrio's tracking requests: recorded answers at the transport
seam, batched per carrier, paced, failures reported without losing the other answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest

from tests.booking_fakes import MYDHL_ACCOUNT
from tests.builders import NOW
from tests.conftest import shared_file
from tradelane.bootstrap import Application, build
from tradelane.carriers.booking.transport import HttpCall, HttpReply
from tradelane.carriers.polling.rate import CarrierPace
from tradelane.config import Settings
from tradelane.domain.shipments import Milestone, TrackingEvent
from tradelane.services.ingest_tracking import ingest_events

RECORDED_NUMBER = "9356579890"  # the parcel of karrio's recorded MyDHL tracking answer


@dataclass
class RecordedTracking:
    """A carrier API answering every request with one recorded body and status."""

    body: bytes
    status: int = 200
    calls: list[HttpCall] = field(default_factory=list)

    def send(self, call: HttpCall) -> HttpReply:
        self.calls.append(call)
        return HttpReply(status=self.status, body=self.body)


def recorded(name: str, status: int = 200) -> RecordedTracking:
    return RecordedTracking(shared_file(f"karrio_samples/{name}").read_bytes(), status)


def system_with(tmp_path: Path, transport: RecordedTracking) -> Application:
    settings = Settings(data_dir=tmp_path, carrier_accounts={"dhl": MYDHL_ACCOUNT})
    built = build(settings, transport=transport)
    built.migrate()
    return built


def shipped(system: Application, *numbers: str, carrier: str = "dhl") -> None:
    events = [
        TrackingEvent(
            carrier=carrier,
            tracking_number=number,
            occurred_at=NOW - timedelta(days=3),
            milestone=Milestone.INFO_RECEIVED,
        )
        for number in numbers
    ]
    ingest_events(events, source="test", uow=system.uow(), now=NOW)


def test_an_active_dhl_shipment_gets_the_carriers_events_through_karrio(tmp_path: Path) -> None:
    transport = recorded("mydhl__TrackingResponse.json")
    system = system_with(tmp_path, transport)
    shipped(system, RECORDED_NUMBER)
    paced: list[tuple[str, float]] = []
    report = system.poll_tracking(pace=lambda carrier, gap: paced.append((carrier, gap)), now=NOW)
    [call] = transport.calls
    assert call.method == "GET" and f"shipmentTrackingNumber={RECORDED_NUMBER}" in call.url
    assert call.headers["Authorization"].startswith("Basic ")
    assert paced == [("dhl", 1.0)]
    assert report.ingest is not None and report.ingest.stored > 0 and not report.failures
    assert system.shipment_timeline(RECORDED_NUMBER).shipment["status"] == "delivered"


def test_many_shipments_are_asked_for_in_batches_and_carriers_without_an_account_skipped(
    tmp_path: Path,
) -> None:
    transport = recorded("mydhl__TrackingResponse.json")
    system = system_with(tmp_path, transport)
    shipped(system, *(f"93565798{i:02d}" for i in range(12)))
    shipped(system, "LX000000001CN", carrier="china-post")
    report = system.poll_tracking(pace=lambda *_: None, now=NOW)
    assert (report.requests, report.numbers) == (2, 12)
    assert [call.url.count("shipmentTrackingNumber=") for call in transport.calls] == [10, 2]
    assert all("LX000000001CN" not in call.url for call in transport.calls)


@pytest.mark.parametrize(
    ("answer", "status", "reason"),
    [
        ("mydhl__ErrorResponse.json", 404, "No shipments found"),
        ("mydhl__ErrorResponse.json", 503, "HTTP 503"),
    ],
)
def test_a_refused_or_failing_request_is_reported_and_stores_nothing(
    tmp_path: Path, answer: str, status: int, reason: str
) -> None:
    system = system_with(tmp_path, recorded(answer, status))
    shipped(system, RECORDED_NUMBER)
    report = system.poll_tracking(pace=lambda *_: None, now=NOW)
    [(carrier, why)] = report.failures
    assert carrier == "dhl" and reason in why
    assert len(system.shipment_timeline(RECORDED_NUMBER).events) == 1


def test_requests_to_one_carrier_are_spaced_by_its_interval() -> None:
    clock = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    pace = CarrierPace(sleep=sleep, monotonic=lambda: clock[0])
    pace.wait("dhl", 1.0)
    clock[0] += 0.25
    pace.wait("dhl", 1.0)
    pace.wait("ups", 1.0)
    assert slept == [pytest.approx(0.75)]
