"""Idempotent ingestion on SQLite and PostgreSQL: duplicates, replays, order, bad entries."""

from __future__ import annotations

import itertools
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select, text

from tests.builders import NOW, a_tracking_event
from tradelane.carriers.formats.parsed import ShipmentFacts
from tradelane.domain.errors import Conflict, ValidationError
from tradelane.domain.shipments import Milestone, Shipment
from tradelane.services.ingest_tracking import ingest_events, register_shipment
from tradelane.store.tables import shipments, tracking_events
from tradelane.store.tracking_copy import STAGE_ROWS, copy_new_events
from tradelane.store.tracking_sql import staging_ddl
from tradelane.store.uow import UnitOfWork
from tradelane.tracking.normalize import TIMED_MILESTONES, derive_timeline

M = Milestone
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
TN = "LT123456789CN"


def hours(n: float) -> datetime:
    return T0 + timedelta(hours=n)


def journey(tracking_number: str = TN) -> list:
    return [
        a_tracking_event("picked_up", hours(0), tracking_number=tracking_number, country="CN"),
        a_tracking_event("in_transit", hours(20), tracking_number=tracking_number, country="CN"),
        a_tracking_event("in_transit", hours(40), tracking_number=tracking_number, country="DE"),
        a_tracking_event("customs_hold", hours(60), tracking_number=tracking_number, country="US"),
        a_tracking_event("customs_cleared", hours(90), tracking_number=tracking_number),
    ]


def ingest(uow: UnitOfWork, entries: list, **kwargs):  # type: ignore[no-untyped-def]
    return ingest_events(entries, source="test", uow=uow, now=NOW, **kwargs)


def shipment_row(engine: Engine, tracking_number: str = TN):  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return connection.execute(
            select(shipments).where(shipments.c.tracking_number == tracking_number)
        ).one()


def event_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(tracking_events)).scalar_one()


def test_the_same_event_twice_is_stored_once(engine: Engine, uow: UnitOfWork) -> None:
    event = a_tracking_event("picked_up", hours(0))
    report = ingest(uow, [event, event])
    assert (report.received, report.stored, report.duplicates) == (2, 1, 1)
    assert event_count(engine) == 1


def test_the_same_scan_in_another_utc_offset_is_stored_once(
    engine: Engine, uow: UnitOfWork
) -> None:
    shanghai = timezone(timedelta(hours=8))
    report = ingest(
        uow,
        [
            a_tracking_event("picked_up", hours(0)),
            a_tracking_event("picked_up", hours(0).astimezone(shanghai)),
            a_tracking_event("picked_up", hours(1).astimezone(shanghai)),
        ],
    )
    assert (report.stored, report.duplicates) == (2, 1)
    assert event_count(engine) == 2


def test_a_replay_creates_and_rewrites_no_shipment(uow: UnitOfWork) -> None:
    first = ingest(uow, journey())
    replay = ingest(uow, journey())
    late_scan = ingest(uow, [a_tracking_event("out_for_delivery", hours(100))])
    assert (first.shipments_created, first.shipments_updated) == (1, 0)
    assert (replay.shipments_created, replay.shipments_updated) == (0, 0)
    assert (late_scan.shipments_created, late_scan.shipments_updated) == (0, 1)


def test_facts_given_with_the_events_derive_the_crossings_of_a_new_shipment(
    engine: Engine, uow: UnitOfWork
) -> None:
    facts = [ShipmentFacts(TN, origin_country="CN", destination_country="US")]
    report = ingest(uow, journey(), shipments=facts)
    row = shipment_row(engine)
    assert report.shipments_created == 1
    assert (row.origin_country, row.destination_country) == ("CN", "US")
    assert (row.departed_origin_at, row.arrived_destination_at) == (hours(40), hours(60))


def test_a_concurrent_writer_of_the_same_scans_leaves_them_stored_once(
    postgres_engine: Engine,
) -> None:
    batch = journey()
    first = UnitOfWork(postgres_engine)
    with first:
        first.tracking.add_events(batch, source="test", received_at=NOW)
        first.tracking.store_added()  # rows written, not committed: the second writer waits
        with ThreadPoolExecutor(max_workers=1) as pool:
            second = pool.submit(ingest, UnitOfWork(postgres_engine), batch)
            time.sleep(0.5)
            first.commit()
            report = second.result(timeout=30)
    assert (report.stored, report.duplicates) == (0, 5)
    assert event_count(postgres_engine) == 5


def test_stored_scans_met_in_a_later_stage_are_skipped_and_the_rest_stored(
    postgres_engine: Engine,
) -> None:
    stored = [
        a_tracking_event("in_transit", hours(h), tracking_number="LT000000006CN") for h in (1, 2)
    ]
    ingest(UnitOfWork(postgres_engine), stored)
    batch = [
        a_tracking_event("in_transit", hours(h), tracking_number=f"LT00000000{n}CN")
        for n in range(1, 10)
        for h in (1, 2, 3)
    ]  # stages of 3 in key order, one parcel each: the 6th stage meets the stored scans
    with UnitOfWork(postgres_engine) as uow:
        uow.connection.exec_driver_sql(staging_ddl())
        driver = uow.connection.connection.driver_connection
        inserted, rows = copy_new_events(
            driver,
            batch,
            source="test",
            received=NOW,
            stage_rows=3,  # type: ignore[arg-type]
        )
        uow.commit()
    assert (inserted, len(rows)) == (25, 27)
    assert event_count(postgres_engine) == 27


def test_after_a_replay_a_batch_meeting_a_stored_scan_in_its_last_stage_stores_the_rest(
    engine: Engine, uow: UnitOfWork
) -> None:
    parcels = STAGE_ROWS // 10 + 50  # ten scans each: a little more than one stage

    def scans(number: int, first_hour: int) -> list:
        return [
            a_tracking_event("in_transit", hours(h), tracking_number=f"LT{number:09d}CN")
            for h in range(first_hour, first_hour + 10)
        ]

    batch = [e for n in range(parcels) for e in scans(n, 0)]
    ingest(uow, batch)
    ingest(uow, batch)
    later = [e for n in range(parcels) for e in scans(n, 10)] + scans(parcels - 1, 0)[:1]
    report = ingest(uow, later)
    assert (report.stored, report.duplicates) == (parcels * 10, 1)
    assert event_count(engine) == parcels * 20


def test_a_replayed_batch_is_stored_once(engine: Engine, uow: UnitOfWork) -> None:
    first = ingest(uow, journey())
    replay = ingest(uow, journey())
    assert (first.stored, replay.stored, replay.duplicates) == (5, 0, 5)
    assert event_count(engine) == 5


def test_events_for_an_unknown_tracking_number_create_its_shipment(
    engine: Engine, uow: UnitOfWork
) -> None:
    report = ingest(uow, journey())
    row = shipment_row(engine)
    assert report.shipments_created == 1
    assert (row.carrier, row.order_id, row.status) == ("test-carrier", None, "customs_cleared")
    assert row.customs_hold_at == hours(60)
    assert row.last_event_at == hours(90)


def test_out_of_order_batches_give_the_in_order_projection(engine: Engine, uow: UnitOfWork) -> None:
    ingest(uow, journey("LT000000001CN"))
    for event in reversed(journey("LT000000002CN")):
        ingest(uow, [event])
    in_order = dict(shipment_row(engine, "LT000000001CN")._mapping)
    reordered = dict(shipment_row(engine, "LT000000002CN")._mapping)
    for row in (in_order, reordered):
        del row["id"], row["tracking_number"]
    assert reordered == in_order


def test_status_never_moves_backwards_when_an_old_scan_arrives_late(
    engine: Engine, uow: UnitOfWork
) -> None:
    ingest(uow, [a_tracking_event("delivered", hours(100))])
    ingest(uow, [a_tracking_event("in_transit", hours(10))])
    row = shipment_row(engine)
    assert (row.status, row.status_rank, row.is_active) == ("delivered", 9, False)
    assert row.last_event_at == hours(100)


def test_a_malformed_event_is_reported_and_the_good_ones_stored(
    engine: Engine, uow: UnitOfWork
) -> None:
    bad = ValidationError("not a time", field="occurred_at", value="yesterday", where="row 3")
    report = ingest(uow, [*journey()[:2], bad, *journey()[2:]])
    assert report.stored == 5
    assert [e.field for e in report.rejected] == ["occurred_at"]
    assert event_count(engine) == 5


def test_unknown_codes_are_stored_raw_and_flagged(engine: Engine, uow: UnitOfWork) -> None:
    odd = a_tracking_event("in_transit", hours(3), status_code="ZZ9").model_copy(
        update={"unknown_code": True, "status_text": "Mystery scan"}
    )
    report = ingest(uow, [odd])
    with engine.connect() as connection:
        row = connection.execute(select(tracking_events)).one()
    assert report.unknown_codes == 1
    assert (row.status_code, row.status_text, row.unknown_code) == ("ZZ9", "Mystery scan", True)


def _fail_on_write(engine: Engine, table: str) -> None:
    """A real database failure when the batch writes `table` (its events, or its shipments
    after its events are in)."""
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            for write in ("INSERT", "UPDATE"):
                connection.execute(
                    text(
                        f"CREATE TRIGGER boom_{write} BEFORE {write} ON {table} WHEN "
                        "NEW.tracking_number = 'BOOM0001' BEGIN SELECT RAISE(ABORT, 'boom'); END"
                    )
                )
        else:
            connection.execute(
                text(
                    "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    "IF NEW.tracking_number = 'BOOM0001' THEN RAISE EXCEPTION 'boom'; END IF; "
                    "RETURN NEW; END $$"
                )
            )
            connection.execute(
                text(
                    f"CREATE TRIGGER boom BEFORE INSERT OR UPDATE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION boom()"
                )
            )


@pytest.mark.parametrize("table", ["tracking_events", "shipments"])
def test_a_failure_mid_batch_leaves_nothing_half_written(
    engine: Engine, uow: UnitOfWork, table: str
) -> None:
    ingest(uow, journey())
    _fail_on_write(engine, table)
    batch = [
        *journey("LT000000001CN"),
        a_tracking_event("picked_up", hours(1), tracking_number="BOOM0001"),
    ]
    with pytest.raises(Exception, match="boom"):
        ingest(uow, batch)
    with engine.connect() as connection:
        numbers = set(connection.scalars(select(shipments.c.tracking_number)))
    assert event_count(engine) == 5
    assert numbers == {TN}
    assert ingest(uow, journey()).stored == 0  # the unit of work is usable again


def a_shipment(**overrides: object) -> Shipment:
    fields: dict[str, object] = {
        "tracking_number": TN,
        "order_id": "ORD-1",
        "channel_id": "epacket-cn",
        "carrier": "test-carrier",
        "origin_country": "CN",
        "destination_country": "US",
        "handed_over_at": hours(-2),
        "promised_at": hours(20 * 24),
    }
    fields.update(overrides)
    return Shipment.model_validate(fields)


def test_registering_after_the_events_derives_the_crossings(
    engine: Engine, uow: UnitOfWork
) -> None:
    ingest(uow, journey())
    assert shipment_row(engine).departed_origin_at is None
    created = register_shipment(a_shipment(), uow=uow)
    row = shipment_row(engine)
    assert created is False
    assert (row.order_id, row.channel_id, row.promised_at) == ("ORD-1", "epacket-cn", hours(480))
    assert row.departed_origin_at == hours(40)
    assert row.arrived_destination_at == hours(60)


def test_registered_shipment_takes_events_later(engine: Engine, uow: UnitOfWork) -> None:
    assert register_shipment(a_shipment(), uow=uow) is True
    report = ingest(uow, journey())
    row = shipment_row(engine)
    assert report.shipments_created == 0
    assert (row.status, row.departed_origin_at, row.handed_over_at) == (
        "customs_cleared",
        hours(40),
        hours(-2),
    )


def test_a_tracking_number_of_another_order_is_a_conflict(uow: UnitOfWork) -> None:
    register_shipment(a_shipment(), uow=uow)
    with pytest.raises(Conflict, match="ORD-1"):
        register_shipment(a_shipment(order_id="ORD-2"), uow=uow)


EXAMPLE_NUMBERS = itertools.count()
COLUMN_OF = {
    M.PICKED_UP: "picked_up_at",
    M.DEPARTED_ORIGIN: "departed_origin_at",
    M.ARRIVED_DESTINATION_COUNTRY: "arrived_destination_at",
    M.CUSTOMS_HOLD: "customs_hold_at",
    M.CUSTOMS_CLEARED: "customs_cleared_at",
    M.OUT_FOR_DELIVERY: "out_for_delivery_at",
    M.DELIVERED: "delivered_at",
    M.EXCEPTION: "exception_at",
}
random_events = st.lists(
    st.tuples(
        st.sampled_from(list(Milestone)),
        st.integers(min_value=0, max_value=50),
        st.sampled_from([None, "CN", "DE", "US"]),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(drawn=random_events)
def test_the_stored_projection_equals_the_pure_timeline(
    engine: Engine, uow: UnitOfWork, drawn: list
) -> None:
    tracking_number = f"PT{next(EXAMPLE_NUMBERS):08d}CN"  # a fresh shipment per example
    register_shipment(
        a_shipment(tracking_number=tracking_number, order_id=tracking_number), uow=uow
    )
    events = [
        a_tracking_event(
            m.value, hours(h), tracking_number=tracking_number, country=c, location=c or ""
        )
        for m, h, c in drawn  # the location names the country, as carriers' do
    ]
    ingest(uow, events)
    expected = derive_timeline(events, origin_country="CN", destination_country="US")
    row = shipment_row(engine, tracking_number)
    assert (row.status, row.status_rank, row.is_active) == (
        expected.status.value,
        expected.status_rank,
        expected.is_active,
    )
    assert row.last_event_at == expected.last_event_at
    for milestone in TIMED_MILESTONES:
        assert getattr(row, COLUMN_OF[milestone]) == expected.first_at.get(milestone), milestone
