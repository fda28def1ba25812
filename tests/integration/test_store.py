"""Round trips and all-or-nothing imports on SQLite and on the real PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, select

from tests.builders import NOW
from tradelane.domain.errors import InputErrors
from tradelane.files.catalogue_file import default_catalogue
from tradelane.files.order_file import write_orders_csv
from tradelane.services.catalogues import active_catalogue, install_catalogue
from tradelane.services.order_import import import_order_file
from tradelane.simulation.order_stream import generate_orders
from tradelane.store.migrate import current_revision, head_revision
from tradelane.store.tables import metadata, order_lines, orders
from tradelane.store.uow import UnitOfWork


def _snapshot(engine: Engine) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with engine.connect() as connection:
        heads = [tuple(r) for r in connection.execute(select(orders).order_by(orders.c.order_id))]
        lines = [
            tuple(r)
            for r in connection.execute(
                select(order_lines).order_by(order_lines.c.order_id, order_lines.c.line_no)
            )
        ]
    return heads, lines


def test_migrations_create_exactly_the_declared_tables(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diff == []


def test_catalogue_round_trips_through_the_store(uow: UnitOfWork) -> None:
    catalogue = default_catalogue()
    version = install_catalogue(catalogue, source="default", uow=uow, now=NOW)
    stored = active_catalogue(uow=uow)
    assert stored.version_id == version
    assert stored.catalogue == catalogue
    assert stored.loaded_at == NOW


def test_orders_file_round_trips_through_the_store(uow: UnitOfWork, tmp_path: Path) -> None:
    sent = generate_orders(300, seed=9, start=NOW)
    path = tmp_path / "orders.csv"
    write_orders_csv(sent, path)
    report = import_order_file(path, uow=uow, now=NOW)
    assert report.imported == 300
    with uow:
        assert uow.orders.count() == 300
        back = uow.orders.get_many([o.order_id for o in sent])
    assert back == sent


def test_jsonl_multi_line_orders_round_trip(uow: UnitOfWork, tmp_path: Path) -> None:
    first, second = generate_orders(2, seed=4, start=NOW)
    combined = first.model_copy(update={"lines": [*first.lines, *second.lines]})
    path = tmp_path / "orders.jsonl"
    path.write_text(combined.model_dump_json() + "\n", encoding="utf-8")
    import_order_file(path, uow=uow, now=NOW)
    with uow:
        assert uow.orders.get(combined.order_id) == combined


def test_an_orders_row_holds_its_stacked_parcel_and_declared_value(
    uow: UnitOfWork, engine: Engine
) -> None:
    first, second = generate_orders(2, seed=4, start=NOW)
    combined = first.model_copy(update={"lines": [*first.lines, *second.lines]})
    with uow:
        uow.orders.add_many([combined], now=NOW)
        uow.commit()
    with engine.connect() as connection:
        row = connection.execute(select(orders)).one()
    parcel = combined.parcel
    assert parcel is not None and combined.parcel_sides_cm == (
        parcel.length_cm,
        parcel.width_cm,
        parcel.height_cm,
    )
    assert (row.length_cm, row.width_cm, row.height_cm) == combined.parcel_sides_cm
    assert row.declared_value == combined.declared_value.amount == combined.declared_amount


def _import_then_refuse(uow: UnitOfWork, engine: Engine, tmp_path: Path, bad: str) -> InputErrors:
    good = tmp_path / "good.csv"
    write_orders_csv(generate_orders(20, seed=1, start=NOW), good)
    import_order_file(good, uow=uow, now=NOW)
    before = _snapshot(engine)
    path = tmp_path / "bad.csv"
    write_orders_csv(generate_orders(30, seed=2, start=NOW, prefix="NEW"), path)
    path.write_text(path.read_text(encoding="utf-8") + bad, encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        import_order_file(path, uow=uow, now=NOW, chunk_size=7)  # earlier chunks already sent
    assert _snapshot(engine) == before
    return caught.value


def test_a_bad_row_refuses_the_whole_batch_and_keeps_the_store(
    uow: UnitOfWork, engine: Engine, tmp_path: Path
) -> None:
    bad = "LATE-1,2026-11-27T00:00:00Z,DE,S,5,abc,,,,,,,,,,,,\n"
    error = _import_then_refuse(uow, engine, tmp_path, bad)
    [problem] = error.errors
    assert (problem.field, problem.value) == ("weight_kg", "abc")
    assert problem.where.endswith("bad.csv, row 32")


def test_duplicate_id_within_a_file_is_refused(
    uow: UnitOfWork, engine: Engine, tmp_path: Path
) -> None:
    dup = "NEW-0000001,2026-11-27T00:00:00Z,DE,S,5,1,,,,,,,,,,,,\n"
    error = _import_then_refuse(uow, engine, tmp_path, dup)
    assert [(e.field, e.value) for e in error.errors] == [("order_id", "NEW-0000001")]


def test_order_already_in_the_store_is_refused(
    uow: UnitOfWork, engine: Engine, tmp_path: Path
) -> None:
    again = "ORD-0000005,2026-11-27T00:00:00Z,DE,S,5,1,,,,,,,,,,,,\n"
    error = _import_then_refuse(uow, engine, tmp_path, again)
    assert [(e.message, e.value) for e in error.errors] == [
        ("order id already imported", "ORD-0000005")
    ]
