"""Policy files: a seller's weights in YAML or TOML, with errors that name field and value."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradelane.domain.errors import InputErrors
from tradelane.files.policy_file import load_policy, policy_to_yaml
from tradelane.selection.policy import Policy


def test_the_default_policy_round_trips_through_yaml(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(policy_to_yaml(Policy()), encoding="utf-8")
    assert load_policy(path) == Policy()


def test_a_toml_file_changes_only_what_it_names(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text('version = "seller-7"\nmiss_cost = 12.5\nbackups = 1\n', encoding="utf-8")
    policy = load_policy(path)
    assert (policy.version, policy.miss_cost, policy.backups) == ("seller-7", 12.5, 1)
    assert policy.rules == Policy().rules


def test_a_bad_weight_is_reported_with_its_path_and_value(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(
        "version: x\nrules:\n  - name: cheap\n    description: d d\n"
        "    prefer: [teleport]\n    bonus: -3\n",
        encoding="utf-8",
    )
    with pytest.raises(InputErrors) as raised:
        load_policy(path)
    fields = {(e.field, e.value) for e in raised.value.errors}
    assert ("rules[0].prefer[0]", "teleport") in fields
    assert ("rules[0].bonus", -3) in fields
