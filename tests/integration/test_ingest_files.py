"""Real carrier responses imported end to end into SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from tests.builders import NOW
from tests.conftest import shared_file
from tradelane.domain.errors import NotFound, ValidationError
from tradelane.services.ingest_tracking import import_tracking_file
from tradelane.services.tracking_queries import shipment_timeline
from tradelane.store.tables import alerts, shipments
from tradelane.store.uow import UnitOfWork


def test_a_dhl_express_response_builds_the_projection_with_derived_crossings(
    uow: UnitOfWork,
) -> None:
    path = shared_file("karrio_samples/dhl_express__TrackingResponseXML.xml")
    report = import_tracking_file(path, format="dhl_express", uow=uow, now=NOW)
    view = shipment_timeline("3180831640", uow=uow)
    s = view.shipment
    assert (report.stored, report.shipments_created, report.rejected) == (19, 3, [])
    assert (s["origin_country"], s["destination_country"], s["status"]) == ("ES", "IT", "delivered")
    assert s["departed_origin_at"].isoformat() == "2009-08-29T00:32:00+00:00"
    assert s["arrived_destination_at"].isoformat() == "2009-08-30T19:43:00+00:00"
    assert len(view.events) == 16 and view.open_alerts == []


def test_replaying_a_real_response_stores_nothing_new(uow: UnitOfWork) -> None:
    path = shared_file("karrio_samples/fedex__DuplicateTrackingResponse.json")
    first = import_tracking_file(path, format="fedex", uow=uow, now=NOW)
    again = import_tracking_file(path, format="fedex", uow=uow, now=NOW)
    assert (first.received, first.stored) == (18, 18)
    assert (again.stored, again.duplicates) == (0, 18)


def test_shipment_view_lists_open_alerts_only(engine: Engine, uow: UnitOfWork) -> None:
    path = shared_file("karrio_samples/asendia__TrackingResponse.json")
    import_tracking_file(path, format="asendia", uow=uow, now=NOW)
    with engine.begin() as connection:
        shipment_id = connection.scalar(select(shipments.c.id))
        for rule, state in (("no_departure", "open"), ("late", "resolved")):
            connection.execute(
                alerts.insert().values(
                    shipment_id=shipment_id, rule=rule, state=state, opened_at=NOW, detail={}
                )
            )
    view = shipment_timeline("ASENDIA123456789", uow=uow)
    assert [a["rule"] for a in view.open_alerts] == ["no_departure"]


def test_not_found_response_stores_nothing(engine: Engine, uow: UnitOfWork) -> None:
    path = shared_file("karrio_samples/ups__TrackingNumberNotFoundResponseJSON.json")
    with pytest.raises(NotFound, match="TW0001"):
        import_tracking_file(path, format="ups", uow=uow, now=NOW)
    with engine.connect() as connection:
        assert connection.scalar(select(shipments.c.id)) is None


def test_an_oversized_file_is_refused_unread(tmp_path: Path, uow: UnitOfWork) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(11 * 1024 * 1024)
    with pytest.raises(ValidationError, match="exceeds the fedex limit of 10,485,760 bytes"):
        import_tracking_file(path, format="fedex", uow=uow, now=NOW)
