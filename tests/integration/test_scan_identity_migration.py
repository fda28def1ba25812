"""The scan-identity migration keeps stored scans and lets one instant hold several milestones."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tests.conftest import POSTGRES_URL
from tradelane.store.engine import make_engine
from tradelane.store.migrate import migrate

BEFORE = "0006_outbox_delivery"
INSERT = text(
    "INSERT INTO tracking_events (tracking_number, occurred_at, status_code, location, carrier,"
    " milestone, status_text, unknown_code, source, received_at) VALUES ('YT2611210000001',"
    " '2026-11-21 00:00:00', '', '', 'yunexpress', :milestone, '', false, 'csv',"
    " '2026-11-27 09:00:00')"
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def bare_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty database (no migration run yet)."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        yield engine
        engine.dispose()
        return
    request.getfixturevalue("postgres_available")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    yield engine
    engine.dispose()
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_upgrading_keeps_stored_scans_and_adds_the_milestone_to_their_identity(
    bare_engine: Engine,
) -> None:
    migrate(bare_engine, BEFORE)
    with bare_engine.begin() as connection:
        connection.execute(INSERT, {"milestone": "picked_up"})
    migrate(bare_engine)
    with bare_engine.begin() as connection:
        connection.execute(INSERT, {"milestone": "departed_origin"})
        kept = connection.execute(
            text("SELECT milestone, local_time FROM tracking_events ORDER BY milestone")
        ).all()
    assert [tuple(row) for row in kept] == [("departed_origin", None), ("picked_up", None)]
