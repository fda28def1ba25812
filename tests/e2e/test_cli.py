"""The CLI as a user drives it, on an embedded database in a temporary data directory."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tests.e2e.cli_env import cli_data_dir
from tradelane.entrypoints.cli import app
from tradelane.files.catalogue_file import catalogue_to_mapping, default_catalogue

runner = CliRunner()


data_dir = cli_data_dir()


def test_init_then_list_channels_shows_the_default_catalogue() -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    result = runner.invoke(app, ["channels", "list"])
    assert result.exit_code == 0, result.output
    assert "dhl-express-cn" in result.output and "wh-duisburg" in result.output


def test_show_unknown_channel_exits_2_with_a_clear_message() -> None:
    runner.invoke(app, ["init"])
    result = runner.invoke(app, ["channels", "show", "no-such-line"])
    assert result.exit_code == 2
    assert "channel 'no-such-line' not found" in result.output


def test_validate_reports_path_and_value_of_a_bad_limit(tmp_path: Path) -> None:
    document = catalogue_to_mapping(default_catalogue())
    document["channels"][0]["limits"]["max_weight_kg"] = -1
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    result = runner.invoke(app, ["channels", "validate", str(path)])
    assert result.exit_code == 2
    assert "channels[0].limits.max_weight_kg" in result.output and "-1" in result.output


def test_sample_then_import_orders_and_refuse_a_second_import(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    assert (
        runner.invoke(app, ["orders", "sample", "--out", str(path), "--count", "120"]).exit_code
        == 0
    )
    first = runner.invoke(app, ["orders", "import", str(path)])
    assert first.exit_code == 0, first.output
    assert "imported 120 orders" in first.output
    second = runner.invoke(app, ["orders", "import", str(path)])
    assert second.exit_code == 2
    assert "order id already imported" in second.output and "nothing was stored" in second.output


@pytest.mark.slow
def test_demo_runs_on_a_fresh_machine(data_dir: Path) -> None:
    result = runner.invoke(app, ["demo", "--orders", "300", "--season-scale", "0.003"])
    assert result.exit_code == 0, result.output
    assert "orders by market" in result.output
    assert (data_dir / "demo.db").exists()
    assert "automated" in result.output and "on-time" in result.output
    assert (data_dir / "reports" / "simulation-default-2026.html").exists()
