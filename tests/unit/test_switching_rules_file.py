"""Switching rules files: the packaged defaults, and errors that name file, path and value."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tradelane.domain.errors import InputErrors, ValidationError
from tradelane.files.catalogue_file import default_catalogue
from tradelane.files.rules_file import check_rules_against, default_rules, load_rules
from tradelane.switching.triggers import SwitchingRules


def _write(tmp_path: Path, document: object, name: str = "rules.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def _errors(path: Path) -> list[ValidationError]:
    with pytest.raises(InputErrors) as caught:
        load_rules(path)
    return caught.value.errors


def test_packaged_rules_carry_the_strategy_defaults_and_fit_the_default_catalogue() -> None:
    rules = default_rules()
    assert rules.triggers.lane_delay_hours is not None
    assert rules.triggers.lane_delay_hours.degraded == 48
    assert rules.evaluation.partial_share == 0.3
    assert rules.peaks.preparations
    check_rules_against(rules, default_catalogue(), where="switching_rules.yaml")


def test_packaged_file_and_model_defaults_agree_except_for_preparations() -> None:
    packaged = default_rules()
    assert packaged.triggers == SwitchingRules().triggers
    assert packaged.evaluation == SwitchingRules().evaluation
    assert packaged.peaks.model_copy(update={"preparations": []}) == SwitchingRules().peaks


def test_an_empty_file_means_every_default(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    assert load_rules(path) == SwitchingRules()


def test_a_bad_threshold_is_reported_with_file_path_and_value(tmp_path: Path) -> None:
    path = _write(tmp_path, {"triggers": {"lane_delay_hours": {"degraded": -5}}})
    (error,) = _errors(path)
    assert error.where == str(path)
    assert error.field == "triggers.lane_delay_hours.degraded"
    assert error.value == -5


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    document = {
        "evaluation": {"enter_after_evaluations": 0, "partial_share": 1.5},
        "triggers": {"clearance_hours": {"degraded": 96, "failed": 48}, "typo": 1},
        "peaks": {"preparations": [{"peak": "boxing_day", "channel_id": "x", "share": 0.3}]},
    }
    fields = {e.field for e in _errors(_write(tmp_path, document))}
    assert fields == {
        "evaluation.enter_after_evaluations",
        "evaluation.partial_share",
        "triggers.clearance_hours",
        "triggers.typo",
        "peaks.preparations[0].peak",
    }


def test_failed_level_must_lie_above_degraded(tmp_path: Path) -> None:
    path = _write(tmp_path, {"triggers": {"clearance_hours": {"degraded": 96, "failed": 48}}})
    (error,) = _errors(path)
    assert "failed 48.0 must be above degraded 96.0" in error.message


def test_toml_rules_are_accepted_by_extension(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(
        'name = "tight"\n[evaluation]\nenter_after_evaluations = 2\n'
        "[triggers.lane_delay_hours]\ndegraded = 24\n",
        encoding="utf-8",
    )
    rules = load_rules(path)
    assert rules.name == "tight" and rules.evaluation.enter_after_evaluations == 2
    assert rules.triggers.lane_delay_hours is not None
    assert rules.triggers.lane_delay_hours.failed is None


def test_malformed_yaml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("triggers: [unclosed", encoding="utf-8")
    with pytest.raises(ValidationError, match="not valid YAML") as caught:
        load_rules(path)
    assert caught.value.where == str(path)


def test_preparation_naming_an_unknown_channel_or_lane_is_refused() -> None:
    document = default_rules().model_dump(mode="json")
    document["peaks"]["preparations"] = [
        {"peak": "black_friday", "channel_id": "no-such-line", "share": 0.3},
        {"peak": "black_friday", "channel_id": "wh-duisburg", "country": "US", "share": 0.3},
    ]
    rules = SwitchingRules.model_validate(document)
    with pytest.raises(InputErrors) as caught:
        check_rules_against(rules, default_catalogue(), where="mine.yaml")
    found = [(e.field, e.value, e.message) for e in caught.value.errors]
    assert found == [
        ("peaks.preparations[0].channel_id", "no-such-line", "no such channel in the catalogue"),
        (
            "peaks.preparations[1].channel_id",
            "wh-duisburg",
            "channel 'wh-duisburg' has no lane to US",
        ),
    ]
