"""`tradelane scheduler` without a broker runs the tick in-process; a second scheduler within
the interval finds every job leased and runs nothing. `tradelane worker` needs a broker."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tradelane.entrypoints.cli import app

runner = CliRunner()
pytestmark = pytest.mark.wall_clock


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRADELANE_DATA_DIR", str(tmp_path))
    for name in ("TRADELANE_DATABASE_URL", "TRADELANE_BROKER_URL", "TRADELANE_WEBHOOKS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path


def test_two_schedulers_in_one_interval_run_each_job_once() -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0  # a catalogue: switching has a shard
    first = runner.invoke(app, ["scheduler", "--iterations", "1"])
    assert first.exit_code == 0, first.output
    for job in ("poll (all):", "sweep (all):", "switching (default): tenant default", "deliver"):
        assert job in first.output
    second = runner.invoke(app, ["scheduler", "--iterations", "1"])
    assert second.exit_code == 0 and "nothing due" in second.output
    assert "sweep" not in second.output and "switching" not in second.output


def test_a_worker_without_a_broker_is_refused_naming_the_variable() -> None:
    refused = runner.invoke(app, ["worker"])
    assert refused.exit_code != 0 and "TRADELANE_BROKER_URL" in refused.output
