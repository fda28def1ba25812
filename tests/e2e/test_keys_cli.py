"""`tradelane keys`: a key is printed once, listed without its secret, and revoked."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tests.e2e.cli_env import cli_data_dir
from tradelane.bootstrap import open_application
from tradelane.domain.errors import Unauthorized
from tradelane.entrypoints.cli import app

runner = CliRunner()


data_dir = cli_data_dir()


def test_a_created_key_authenticates_is_listed_without_its_secret_and_can_be_revoked() -> None:
    created = runner.invoke(app, ["keys", "create", "--tenant", "acme", "--role", "operator"])
    assert created.exit_code == 0, created.output
    key = created.output.strip().splitlines()[-1]
    assert key.startswith("tl_live_")
    caller = open_application().authenticate(key)
    assert (caller.tenant_id, caller.role.value) == ("acme", "operator")
    listed = runner.invoke(app, ["keys", "list", "--tenant", "acme"])
    assert caller.key_id in listed.output and key not in listed.output
    assert runner.invoke(app, ["keys", "revoke", caller.key_id]).exit_code == 0
    with pytest.raises(Unauthorized, match="revoked"):
        open_application().authenticate(key)


def test_an_unknown_role_is_refused_naming_the_option() -> None:
    refused = runner.invoke(app, ["keys", "create", "--tenant", "acme", "--role", "root"])
    assert refused.exit_code != 0 and "--role" in refused.output and "root" in refused.output
