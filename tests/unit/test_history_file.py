"""Any delivery-history CSV through a mapping: BOM and CR / CRLF line ends, dates in their
formats, text in numeric columns counted as missing, errors naming row, column and value."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradelane.domain.errors import InputErrors, TradelaneError, ValidationError
from tradelane.domain.history import HistoryRecord, HistoryStatus
from tradelane.files.history_file import HistoryReading, read_history
from tradelane.files.history_mapping import load_history_mapping

MAPPING = """
timezone: Asia/Shanghai
fields:
  order_id:     {column: "Ref"}
  channel:      {column: "Mode"}
  lane:         {column: "Country", values: {Deutschland: DE}}
  shipped_at:   {column: "Sent", date_format: "%d.%m.%Y", missing: ["not captured"]}
  scheduled_at: {column: "Due", date_format: "%d-%b-%y"}
  delivered_at: {column: "Arrived", date_format: "%d-%b-%y"}
  weight_kg:    {column: "Kg"}
  cost:         {expr: "number(col('Freight')) * 2 if col('Freight') != 'n/a' else ''"}
  currency:     {default: usd}
  status:       {column: "State", default: delivered, values: {Gone: lost}}
"""
HEADER = "Ref,Mode,Country,Sent,Due,Arrived,Kg,Freight,State"


def read(
    tmp_path: Path, rows: list[str], *, newline: str = "\n", bom: bool = False
) -> HistoryReading:
    (tmp_path / "map.yaml").write_text(MAPPING, encoding="utf-8")
    text = newline.join([HEADER, *rows]) + newline
    (tmp_path / "history.csv").write_bytes(("\ufeff" if bom else "").encode() + text.encode())
    return read_history(tmp_path / "history.csv", load_history_mapping(tmp_path / "map.yaml"))


def entries(reading: HistoryReading) -> list[HistoryRecord | ValidationError]:
    return [entry for _, entry in reading.entries]


@pytest.mark.parametrize(("newline", "bom"), [("\n", False), ("\r\n", True), ("\r", True)])
def test_bom_and_every_line_ending_read_the_same_records(
    tmp_path: Path, newline: str, bom: bool
) -> None:
    rows = [
        "A-1,Air,Deutschland,01.03.2024,10-Mar-24,9-Mar-24,12.5,40,",
        "A-2,Truck,FR,,1-Apr-24,3-Apr-24,3,1,",
    ]
    first, second = entries(read(tmp_path, rows, newline=newline, bom=bom))
    assert isinstance(first, HistoryRecord) and isinstance(second, HistoryRecord)
    assert (first.order_id, first.channel, first.lane, first.row) == ("A-1", "Air", "DE", 2)
    assert first.shipped_at == datetime(2024, 2, 29, 16, 0, tzinfo=UTC)  # midnight in Shanghai
    assert (first.delivered_day, first.scheduled_day) == (date(2024, 3, 9), date(2024, 3, 10))
    assert first.transit_days == pytest.approx(8.0)
    assert first.promised_days == pytest.approx(9.0)
    assert (first.weight_kg, first.cost, first.currency) == (12.5, 80.0, "USD")
    assert first.on_time is True
    assert (second.row, second.on_time, second.transit_days) == (3, False, None)


def test_text_in_numeric_columns_is_missing_and_counted_not_zero(tmp_path: Path) -> None:
    reading = read(
        tmp_path,
        [
            "A-1,Air,DE,,10-Mar-24,9-Mar-24,Weight Captured Separately,n/a,",
            "A-2,Air,DE,not captured,10-Mar-24,9-Mar-24,Weight Captured Separately,-3,",
            "A-3,Air,DE,,10-Mar-24,9-Mar-24,See ASN-8 (ID#:1),5,",
        ],
    )
    records = entries(reading)
    assert all(isinstance(r, HistoryRecord) and r.weight_kg is None for r in records)
    assert [r.cost for r in records if isinstance(r, HistoryRecord)] == [None, None, 10.0]
    assert dict(reading.missing) == {
        ("weight_kg", "Weight Captured Separately"): 2,
        ("weight_kg", "See ASN-8 (ID#:1)"): 1,
        ("cost", "-6"): 1,
        ("shipped_at", "not captured"): 1,
    }


def test_an_unreadable_date_names_row_column_and_value(tmp_path: Path) -> None:
    [good, bad] = entries(
        read(
            tmp_path,
            ["A-1,Air,DE,,10-Mar-24,9-Mar-24,1,1,", "A-2,Air,DE,,10-Mar-24,2024/03/09,1,1,"],
        )
    )
    assert isinstance(good, HistoryRecord)
    assert isinstance(bad, ValidationError)
    assert (bad.where.endswith("row 3"), bad.field, bad.value) == (True, "Arrived", "2024/03/09")
    assert "%d-%b-%y" in bad.message


def test_an_empty_channel_or_an_unknown_status_is_an_error(tmp_path: Path) -> None:
    empty, unknown, lost = entries(
        read(
            tmp_path,
            [
                "A-1,,DE,,10-Mar-24,9-Mar-24,1,1,",
                "A-2,Air,DE,,10-Mar-24,9-Mar-24,1,1,Vanished",
                "A-3,Air,DE,,10-Mar-24,,1,1,Gone",
            ],
        )
    )
    assert isinstance(empty, ValidationError) and empty.field == "Mode"
    assert isinstance(unknown, ValidationError)
    assert (unknown.field, unknown.value) == ("State", "Vanished")
    assert isinstance(lost, HistoryRecord)
    assert (lost.status, lost.on_time) == (HistoryStatus.LOST, False)


def test_a_mapped_column_the_file_lacks_is_refused_at_once(tmp_path: Path) -> None:
    (tmp_path / "map.yaml").write_text(MAPPING, encoding="utf-8")
    (tmp_path / "history.csv").write_text("Ref,Mode\nA-1,Air\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="does not have: Country"):
        read_history(tmp_path / "history.csv", load_history_mapping(tmp_path / "map.yaml"))


def test_a_mapping_without_channel_names_the_missing_field(tmp_path: Path) -> None:
    (tmp_path / "map.yaml").write_text("fields:\n  lane: {column: C}\n", encoding="utf-8")
    with pytest.raises(InputErrors, match="channel"):
        load_history_mapping(tmp_path / "map.yaml")


HOSTILE = ['"', ",", "\n", "\r", "\x00", "NaN", "1e309", "-1", "9" * 40, "0001-01-01", "é",
           "31-Dec-99", "1-Jan-00", "\ufeff", "S" * 200, '""', "\x85", "Gone"]  # fmt: skip


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cuts=st.lists(st.tuples(st.integers(0, 400), st.sampled_from(HOSTILE)), max_size=6))
def test_a_corrupted_history_reads_as_records_or_named_errors(
    tmp_path: Path, cuts: list[tuple[int, str]]
) -> None:
    text = "\n".join([HEADER, "A-1,Air,DE,01.03.2024,10-Mar-24,9-Mar-24,12.5,40,",
                      "A-2,Truck,FR,,1-Apr-24,3-Apr-24,3,1,Gone"]) + "\n"  # fmt: skip
    for position, token in cuts:
        at = position % (len(text) + 1)
        text = text[:at] + token + text[at:]
    (tmp_path / "map.yaml").write_text(MAPPING, encoding="utf-8")
    (tmp_path / "history.csv").write_text(text, encoding="utf-8")
    try:
        reading = read_history(
            tmp_path / "history.csv", load_history_mapping(tmp_path / "map.yaml")
        )
        found = entries(reading)
    except TradelaneError:
        return
    assert all(isinstance(entry, HistoryRecord | ValidationError) for entry in found)
    for entry in found:
        if isinstance(entry, HistoryRecord):
            assert entry.channel and entry.lane and len(entry.channel) <= 64
            assert entry.weight_kg is None or entry.weight_kg >= 0
