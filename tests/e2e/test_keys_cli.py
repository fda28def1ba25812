"""`tradelane keys`: a key is printed once, listed without its secret, and revoked."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tradelane.bootstrap import open_application
from tradelane.domain.errors import Unauthorized
from tradelane.entrypoints.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRADELANE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRADELANE_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path / "data"


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
