"""The switching CLI as a user drives it, on an embedded database in a temporary data dir."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml
from typer.testing import CliRunner

from tests.e2e.cli_env import cli_data_dir
from tradelane.entrypoints.cli import app

runner = CliRunner()


data_dir = cli_data_dir(columns=220)


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_peaks_lists_the_thanksgiving_derived_days_and_chinese_new_year() -> None:
    output = run("peaks", "--year", "2026")
    assert "2026-11-27" in output and "Black Friday" in output
    assert "2026-11-30" in output and "Cyber Monday" in output
    assert "2026-02-17" in output and "Chinese New Year" in output
    assert "epacket-cn/US -> yun-line-cn 30%" in output


def test_peaks_cutoffs_give_a_last_handover_day_per_lane() -> None:
    run("init")
    output = run("peaks", "--year", "2026", "--cutoffs")
    assert "last hand-over for delivery by 2026-12-24" in output
    assert "2026-11-20" in output  # ePacket US: 24-day p90 stretched by 40 % → 34 days


def test_force_list_show_release_walks_the_audit_trail() -> None:
    run("init")
    forced = run(
        "switches",
        "force",
        "epacket-cn",
        "--country",
        "DE",
        "--share",
        "0.5",
        "--reason",
        "strike at the origin airport",
        "--by",
        "alice",
    )
    assert "forced switch #1" in forced
    listed = run("switches", "list")
    assert "person:alice" in listed and "50%" in listed and "open" in listed
    shown = run("switches", "show", "1")
    assert "strike at the origin airport" in shown and '"manual": true' in shown
    assert "released by person:bob" in run("switches", "release", "1", "--by", "bob")
    assert "0 switch(es)" in run("switches", "list")
    assert "person:bob" in run("switches", "list", "--all")
    again = runner.invoke(app, ["switches", "release", "1", "--by", "bob"])
    assert again.exit_code == 2 and "already ended" in again.output


def test_pin_refuses_a_backup_without_the_lane() -> None:
    run("init")
    result = runner.invoke(
        app,
        [
            "switches",
            "pin",
            "epacket-cn",
            "--country",
            "US",
            "--backup",
            "wh-duisburg",
            "--reason",
            "test",
            "--by",
            "alice",
        ],
    )
    assert result.exit_code == 2
    assert "wh-duisburg has no lane to US" in result.output
    assert "0 switch(es)" in run("switches", "list", "--all")


def test_evaluate_opens_the_prepared_peak_switch_when_black_friday_week_starts() -> None:
    run("init")
    output = run("switching", "evaluate", "--at", "2026-11-22T09:00:00+00:00")
    assert "evaluated" in output and "1 opened" in output
    assert "rule:peak:black_friday" in run("switches", "list")


def test_evaluate_refuses_a_time_without_offset() -> None:
    run("init")
    result = runner.invoke(app, ["switching", "evaluate", "--at", "2026-11-22T09:00:00"])
    assert result.exit_code == 2 and "no UTC offset" in result.output


def test_validate_names_the_path_and_value_of_a_bad_rule(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump({"evaluation": {"partial_share": 3}}), encoding="utf-8")
    result = runner.invoke(app, ["switching", "validate", str(path)])
    assert result.exit_code == 2
    assert "evaluation.partial_share" in result.output and "3" in result.output
    assert "ok" in run("switching", "validate", str(_packaged_copy(tmp_path)))


def _packaged_copy(tmp_path: Path) -> Path:
    path = tmp_path / "packaged.yaml"
    path.write_text(
        resources.files("tradelane.data").joinpath("switching_rules.yaml").read_text("utf-8"),
        encoding="utf-8",
    )
    return path
