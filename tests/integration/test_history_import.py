"""History import stores every record of a real export or nothing, and reads back as the
documented Polars frame (USAID SCMS delivery history; DataCo supply-chain subset)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from tests.conftest import shared_file
from tradelane.domain.errors import Conflict, InputErrors
from tradelane.services.history_import import history_frame, import_history_file
from tradelane.store.history_repository import HISTORY_SCHEMA
from tradelane.store.tables import history_imports, history_records
from tradelane.store.uow import UnitOfWork

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
SCMS = "usaid_scms/SCMS_Delivery_History_Dataset.csv"
DATACO = "dataco_subset/DataCoSupplyChainDataset_6000rows.csv"


def plain_rows(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_scms_history_imports_whole_with_its_text_weights_counted_missing(
    engine: Engine,
) -> None:
    path = shared_file(SCMS)
    report = import_history_file(
        path, EXAMPLES / "scms-mapping.yaml", uow=UnitOfWork(engine), now=NOW
    )
    rows = plain_rows(path)
    assert report.records == len(rows)
    not_numbers = [r for r in rows if not _is_number(r["Weight (Kilograms)"])]
    assert sum(n for (name, _), n in report.missing.items() if name == "weight_kg") == len(
        not_numbers
    )
    assert report.missing[("weight_kg", "Weight Captured Separately")] == sum(
        r["Weight (Kilograms)"] == "Weight Captured Separately" for r in rows
    )
    frame = history_frame(uow=UnitOfWork(engine))
    assert dict(frame.schema) == HISTORY_SCHEMA
    assert frame.height == len(rows)
    assert frame["weight_kg"].null_count() == len(not_numbers)
    assert frame.filter(frame["weight_kg"] == 0).height == sum(
        _is_number(r["Weight (Kilograms)"]) and float(r["Weight (Kilograms)"]) == 0 for r in rows
    )


def test_dataco_days_give_transit_and_on_time(sqlite_engine: Engine) -> None:
    path = shared_file(DATACO)
    import_history_file(
        path, EXAMPLES / "dataco-mapping.yaml", uow=UnitOfWork(sqlite_engine), now=NOW
    )
    frame = history_frame(uow=UnitOfWork(sqlite_engine), channel="First Class")
    rows = [r for r in plain_rows(path) if r["Shipping Mode"] == "First Class"]
    shipped = [r for r in rows if r["Delivery Status"] != "Shipping canceled"]
    late = sum(
        int(r["Days for shipping (real)"]) > int(r["Days for shipment (scheduled)"])
        for r in shipped
    )
    assert frame.height == len(rows)
    assert frame["on_time"].drop_nulls().len() == len(shipped)
    assert int((~frame["on_time"].drop_nulls()).sum()) == late


def test_one_bad_row_stores_nothing_and_names_row_and_column(
    engine: Engine, tmp_path: Path
) -> None:
    source = tmp_path / "history.csv"
    source.write_text(
        "Mode,Country,Due,Arrived\r\nAir,DE,1-Mar-24,2-Mar-24\r\nAir,DE,1-Mar-24,yesterday\r\n"
        + "Air,FR,1-Mar-24,2-Mar-24\r\n" * 7000,
        encoding="utf-8",
    )
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "fields:\n  channel: {column: Mode}\n  lane: {column: Country}\n"
        '  scheduled_at: {column: Due, date_format: "%d-%b-%y"}\n'
        '  delivered_at: {column: Arrived, date_format: "%d-%b-%y"}\n',
        encoding="utf-8",
    )
    with pytest.raises(InputErrors) as raised:
        import_history_file(source, mapping, uow=UnitOfWork(engine), now=NOW, chunk_size=10)
    [error] = raised.value.errors
    assert (error.where, error.field, error.value) == (f"{source}, row 3", "Arrived", "yesterday")
    with engine.connect() as connection:
        for table in (history_records, history_imports):
            assert connection.execute(select(func.count()).select_from(table)).scalar() == 0


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_the_same_file_twice_is_refused_unless_replaced(engine: Engine, tmp_path: Path) -> None:
    source, mapping = tmp_path / "history.csv", tmp_path / "map.yaml"
    source.write_text("Mode,Country\nAir,DE\nSea,FR\n", encoding="utf-8")
    mapping.write_text("fields:\n  channel: {column: Mode}\n  lane: {column: Country}\n")
    first = import_history_file(source, mapping, uow=UnitOfWork(engine), now=NOW)
    with pytest.raises(Conflict, match=f"import {first.import_id}"):
        import_history_file(source, mapping, uow=UnitOfWork(engine), now=NOW)
    again = import_history_file(source, mapping, uow=UnitOfWork(engine), now=NOW, replace=True)
    frame = history_frame(uow=UnitOfWork(engine))
    assert frame["import_id"].unique().to_list() == [again.import_id]
    assert frame.height == 2
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(history_imports)).scalar() == 1
