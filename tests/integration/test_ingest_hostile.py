"""Tracking files with impossible times, read whole or not at all, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from tests.builders import NOW
from tradelane.domain.errors import ValidationError
from tradelane.services.ingest_tracking import import_tracking_file
from tradelane.store.tables import shipments, tracking_events
from tradelane.store.uow import UnitOfWork

HEADER = "carrier,tracking_number,occurred_at,milestone\n"
TN = "YT2611210000001"


def stored(engine: Engine) -> tuple[int, int]:
    with engine.connect() as connection:
        events = connection.execute(select(func.count()).select_from(tracking_events))
        parcels = connection.execute(select(func.count()).select_from(shipments))
        return events.scalar_one(), parcels.scalar_one()


def csv_file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "tracking.csv"
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows))
    return path


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_a_csv_row_overflowing_in_utc_is_rejected_and_the_good_rows_are_stored(
    tmp_path: Path, uow: UnitOfWork, engine: Engine, when: str
) -> None:
    path = csv_file(
        tmp_path,
        f"yunexpress,{TN},2026-11-21T00:00:00+00:00,picked_up",
        f"yunexpress,{TN},{when},departed_origin",
        f"yunexpress,{TN},2026-11-28T00:00:00+00:00,delivered",
    )
    report = import_tracking_file(path, format="csv", uow=uow, now=NOW)
    assert [(e.field, e.value, e.where) for e in report.rejected] == [
        ("occurred_at", when, f"{path}, row 3")
    ]
    assert (report.stored, stored(engine)) == (2, (2, 1))


@pytest.mark.parametrize("when", ["1900-01-01T00:00:00+00:00", "9999-01-01T00:00:00+00:00"])
def test_scans_far_from_their_receipt_are_refused_naming_the_plausible_window(
    tmp_path: Path, uow: UnitOfWork, engine: Engine, when: str
) -> None:
    path = csv_file(
        tmp_path,
        f"yunexpress,{TN},{when},picked_up",
        f"yunexpress,{TN},2026-11-21T00:00:00+00:00,departed_origin",
    )
    report = import_tracking_file(path, format="csv", uow=uow, now=NOW)
    [error] = report.rejected
    assert (error.field, error.value, error.where) == ("occurred_at", when, f"yunexpress {TN}")
    assert "years before" in error.message or "after its receipt" in error.message
    assert (report.stored, stored(engine)) == (1, (1, 1))


def test_a_file_that_fails_after_its_first_chunk_leaves_nothing_stored(
    tmp_path: Path, uow: UnitOfWork, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tradelane.services import ingest_tracking

    monkeypatch.setattr(ingest_tracking, "CSV_CHUNK_ROWS", 10)
    rows = [f"yunexpress,YT{n:013d},2026-11-21T00:00:00+00:00,picked_up" for n in range(45)]
    path = csv_file(tmp_path, *rows)
    path.write_bytes(path.read_bytes() + b"yunexpress,YT\xff,2026-11-21T00:00:00+00:00,picked_up\n")
    with pytest.raises(ValidationError, match="not UTF-8") as caught:
        import_tracking_file(path, format="csv", uow=uow, now=NOW)
    assert caught.value.where == f"{path}, line 47"
    assert stored(engine) == (0, 0)
