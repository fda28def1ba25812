"""What makes two scans the same scan: milestones at one instant, times read under a zone."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select

from tests.builders import NOW
from tests.conftest import shared_file
from tradelane.services.ingest_tracking import import_tracking_file
from tradelane.services.tracking_queries import shipment_timeline
from tradelane.store.tables import tracking_events
from tradelane.store.uow import UnitOfWork

SAME_INSTANT_CSV = """carrier,tracking_number,occurred_at,milestone
yunexpress,YT2611210000001,2026-11-21T00:00:00+00:00,picked_up
yunexpress,YT2611210000001,2026-11-21T00:00:00+00:00,departed_origin
yunexpress,YT2611210000001,2026-11-28T00:00:00+00:00,arrived_destination_country
yunexpress,YT2611210000001,2026-11-28T00:00:00+00:00,customs_cleared
yunexpress,YT2611210000001,2026-11-28T00:00:00+00:00,delivered
"""


def stored_events(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(tracking_events)).scalar_one()


def test_distinct_milestones_at_one_instant_are_all_stored_and_delivered_closes_the_shipment(
    tmp_path: Path, uow: UnitOfWork
) -> None:
    path = tmp_path / "day_precision.csv"
    path.write_text(SAME_INSTANT_CSV)
    report = import_tracking_file(path, format="csv", uow=uow, now=NOW)
    assert (report.received, report.stored, report.duplicates) == (5, 5, 0)
    shipment = shipment_timeline("YT2611210000001", uow=uow).shipment
    assert (shipment["status"], shipment["is_active"]) == ("delivered", False)
    assert shipment["departed_origin_at"] is not None


def test_replaying_a_file_of_same_instant_milestones_stores_nothing_new(
    tmp_path: Path, uow: UnitOfWork, engine: Engine
) -> None:
    path = tmp_path / "day_precision.csv"
    path.write_text(SAME_INSTANT_CSV)
    import_tracking_file(path, format="csv", uow=uow, now=NOW)
    again = import_tracking_file(path, format="csv", uow=uow, now=NOW)
    assert (again.stored, again.duplicates) == (0, 5)
    assert stored_events(engine) == 5


def test_reimporting_a_dhl_express_file_under_another_assumed_zone_stores_nothing_new(
    uow: UnitOfWork, engine: Engine
) -> None:
    path = shared_file("karrio_samples/dhl_express__TrackingResponseXML.xml")
    first = import_tracking_file(path, format="dhl_express", uow=uow, now=NOW)
    again = import_tracking_file(
        path, format="dhl_express", uow=uow, now=NOW, assume_tz=ZoneInfo("Asia/Shanghai")
    )
    assert first.stored == stored_events(engine)
    assert (again.stored, again.duplicates) == (0, again.received)


def test_a_scan_read_under_another_zone_keeps_the_time_of_its_first_import(
    uow: UnitOfWork,
) -> None:
    path = shared_file("karrio_samples/dhl_express__TrackingResponseXML.xml")
    import_tracking_file(
        path, format="dhl_express", uow=uow, now=NOW, assume_tz=ZoneInfo("Europe/Madrid")
    )
    before = [e.occurred_at for e in shipment_timeline("3180831640", uow=uow).events]
    import_tracking_file(path, format="dhl_express", uow=uow, now=NOW)
    after = [e.occurred_at for e in shipment_timeline("3180831640", uow=uow).events]
    assert after == before
