"""`tradelane history import` then `tradelane scorecards` as a user drives them, and
GET /scorecards over the same store."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.cli_run import ok
from tests.conftest import shared_file
from tests.e2e.cli_env import cli_data_dir
from tests.keys import viewer_headers
from tradelane.bootstrap import open_application
from tradelane.config import Settings
from tradelane.entrypoints.api.app import create_app
from tradelane.entrypoints.cli import app

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
AT = "2026-12-01T00:00:00+00:00"
HISTORY = (
    "Mode,Country,Due,Arrived,Kg\n"
    "Air,DE,3-Mar-24,2-Mar-24,2\n"
    "Air,DE,3-Mar-24,5-Mar-24,Weight Captured Separately\n"
    "Sea,FR,3-Mar-24,1-Mar-24,40\n"
)
MAPPING = (
    "fields:\n  channel: {column: Mode}\n  lane: {column: Country}\n"
    '  scheduled_at: {column: Due, date_format: "%d-%b-%y"}\n'
    '  delivered_at: {column: Arrived, date_format: "%d-%b-%y"}\n'
    "  weight_kg: {column: Kg}\n"
)


data_dir = cli_data_dir()


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    (tmp_path / "history.csv").write_text(HISTORY, encoding="utf-8")
    (tmp_path / "map.yaml").write_text(MAPPING, encoding="utf-8")
    output = ok(
        "history", "import", str(tmp_path / "history.csv"), "--mapping", str(tmp_path / "map.yaml")
    )
    assert "imported 3 history records" in output
    assert "Weight Captured Separately" in output and "weight_kg 1" in output
    return tmp_path


def test_scorecards_by_channel_as_csv_print_one_row_per_channel(imported: Path) -> None:
    result = runner.invoke(app, ["scorecards", "--by", "channel", "--format", "csv", "--at", AT])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["channel"], r["shipments"], float(r["on_time_rate"])) for r in rows] == [
        ("Air", "2", 0.5),
        ("Sea", "1", 1.0),
    ]


def test_scorecards_write_parquet_and_show_a_table(imported: Path) -> None:
    out = imported / "cards.parquet"
    result = runner.invoke(
        app, ["scorecards", "--by", "lane", "--format", "parquet", "--out", str(out), "--at", AT]
    )
    assert result.exit_code == 0, result.output
    frame = pl.read_parquet(out)
    assert frame.select("lane", "shipments").rows() == [("DE", 2), ("FR", 1)]
    table = runner.invoke(app, ["scorecards", "--at", AT])
    assert table.exit_code == 0 and "2024-03" in table.output and "50.0%" in table.output
    refused = runner.invoke(app, ["scorecards", "--format", "parquet"])
    assert refused.exit_code == 2 and "--out" in refused.output


def test_get_scorecards_answers_the_same_figures(imported: Path, data_dir: Path) -> None:
    system = open_application(Settings(data_dir=data_dir))
    with TestClient(create_app(system)) as client:
        unauthorised = client.get("/scorecards", params={"by": "channel", "at": AT})
        answer = client.get(
            "/scorecards", params={"by": "channel", "at": AT}, headers=viewer_headers(system)
        )
    assert unauthorised.status_code == 401
    assert answer.status_code == 200
    assert [
        (c["channel"], c["lane"], c["shipments"], c["on_time_rate"]) for c in answer.json()
    ] == [
        ("Air", None, 2, 0.5),
        ("Sea", None, 1, 1.0),
    ]


def test_a_bad_date_in_the_history_names_row_and_column(tmp_path: Path) -> None:
    (tmp_path / "history.csv").write_text(HISTORY + "Air,DE,3-Mar-24,soon,1\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text(MAPPING, encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "history",
            "import",
            str(tmp_path / "history.csv"),
            "--mapping",
            str(tmp_path / "map.yaml"),
        ],
    )
    assert result.exit_code == 2
    assert (
        "row 5" in result.output
        and "Arrived" in result.output
        and "nothing was stored" in result.output
    )


def test_the_scms_example_mapping_imports_the_real_file(tmp_path: Path) -> None:
    path = shared_file("usaid_scms/SCMS_Delivery_History_Dataset.csv")
    result = runner.invoke(
        app, ["history", "import", str(path), "--mapping", str(EXAMPLES / "scms-mapping.yaml")]
    )
    assert result.exit_code == 0, result.output
    assert "imported 10,324 history records" in result.output
    cards = runner.invoke(app, ["scorecards", "--by", "channel", "--format", "csv", "--at", AT])
    channels = {row["channel"] for row in csv.DictReader(io.StringIO(cards.output))}
    assert channels == {"Air", "Air Charter", "Ocean", "Truck", "N/A"}
