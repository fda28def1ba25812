"""`tradelane eta train|evaluate|show` on a real export and its mapping."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import shared_file
from tests.e2e.cli_env import cli_data_dir
from tradelane.entrypoints.cli import app

runner = CliRunner()
MAPPING = Path(__file__).resolve().parents[2] / "examples" / "dataco-mapping.yaml"


data_dir = cli_data_dir()


def test_train_stores_a_version_that_show_describes() -> None:
    history = shared_file("dataco_subset/DataCoSupplyChainDataset_6000rows.csv")
    assert "run `tradelane eta train`" in runner.invoke(app, ["eta", "show"]).output
    trained = runner.invoke(
        app, ["eta", "train", "--history", str(history), "--mapping", str(MAPPING)]
    )
    assert trained.exit_code == 0, trained.output
    assert "p90 coverage" in trained.output and "stored ETA model v1" in trained.output
    shown = runner.invoke(app, ["eta", "show"])
    assert shown.exit_code == 0 and "ETA model v1" in shown.output
    assert "2015-01-01" in shown.output and "lanes" in shown.output


def test_a_history_file_without_its_mapping_is_refused(tmp_path: Path) -> None:
    history = tmp_path / "h.csv"
    history.write_text("a,b\n1,2\n", encoding="utf-8")
    refused = runner.invoke(app, ["eta", "evaluate", "--history", str(history)])
    assert refused.exit_code == 2 and "--mapping" in refused.output
