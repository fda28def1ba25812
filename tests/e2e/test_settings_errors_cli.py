"""Bad settings and an unreachable database are one clear line naming what is wrong, never a
traceback, and never show a password or a webhook secret."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from tests.conftest import POSTGRES_URL
from tests.e2e.cli_env import cli_data_dir
from tradelane.entrypoints.cli import app
from tradelane.store.engine import make_engine

runner = CliRunner()
PASSWORD = "hunter2secret"


data_dir = cli_data_dir(unset=("TRADELANE_WEBHOOKS", "TRADELANE_FX_RATES"))


def _fails_clearly(args: list[str], *expected: str) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (result.output, result.exception)
    for part in expected:
        assert part in result.output
    assert "Traceback" not in result.output and "SettingsError" not in result.output
    return result.output


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("TRADELANE_WEBHOOKS", '{"https://a.example/h": "whsec_', "is not a JSON object"),
        ("TRADELANE_WEBHOOKS", '["whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"]', "dictionary"),
        ("TRADELANE_WEBHOOKS", '{"https://a.example/h": ["whsec_c2VjcmV0"]}', "a.example"),
        ("TRADELANE_FX_RATES", "{EUR: 1.08}", "is not a JSON object"),
        ("TRADELANE_FX_RATES", '{"EUR": "lots"}', "'EUR'"),
    ],
)
def test_a_malformed_json_setting_names_the_variable_and_hides_secrets(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    shown = _fails_clearly(["monitor", "deliver"], variable, expected)
    assert "c2VjcmV0" not in shown


def test_an_unreachable_database_is_one_line_naming_the_url_without_its_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRADELANE_DATABASE_URL", f"postgresql://tl:{PASSWORD}@127.0.0.1:1/tl")
    shown = _fails_clearly(
        ["init"], "cannot reach the database at postgresql+psycopg://tl:***@127.0.0.1:1/tl"
    )
    assert PASSWORD not in shown and len(shown.strip().splitlines()) <= 3


def test_a_database_url_that_cannot_be_parsed_is_named_without_its_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRADELANE_DATABASE_URL", f"nosuchdb://tl:{PASSWORD}@host/x")
    shown = _fails_clearly(["init"], "TRADELANE_DATABASE_URL")
    assert PASSWORD not in shown


@pytest.fixture
def schema(postgres_available: None) -> Iterator[str]:
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    yield name
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
    admin.dispose()


@pytest.mark.postgres
def test_init_prints_the_database_url_with_its_password_hidden(
    monkeypatch: pytest.MonkeyPatch, schema: str
) -> None:
    url = make_url(POSTGRES_URL).set(
        password=PASSWORD, query={"options": f"-csearch_path={schema}"}
    )
    monkeypatch.setenv("TRADELANE_DATABASE_URL", url.render_as_string(hide_password=False))
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert f"{url.username}:***@{url.host}" in result.output
    assert PASSWORD not in result.output
