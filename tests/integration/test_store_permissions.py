"""A new SQLite store holds customer addresses: owner-only file in an owner-only folder."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from tradelane.store.engine import make_engine
from tradelane.store.migrate import migrate


@pytest.fixture
def usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)  # the common default, which leaves new files world-readable
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_sqlite_store_is_0600_in_a_0700_folder(tmp_path: Path, usual_umask: None) -> None:
    database = tmp_path / "fresh" / "tradelane.db"
    engine = make_engine(f"sqlite:///{database}")
    migrate(engine)
    with engine.connect() as connection:
        connection.execute(text("select count(*) from outbox"))
        wal = database.with_name(database.name + "-wal")
        assert wal.exists()
        assert _mode(wal) == 0o600
    engine.dispose()
    assert _mode(database) == 0o600
    assert _mode(database.parent) == 0o700
