"""Engine construction: SQLite in WAL mode with foreign keys on, its writers in a process
queued on a lock (store/sqlite_writer.py), or PostgreSQL via psycopg 3.

PostgreSQL connections are pooled per process: POOL_SIZE kept open, MAX_OVERFLOW more under a
burst, each checked before use (a server restart costs one failed ping, not a failed request)
and replaced after POOL_RECYCLE_S. Size the server for processes × (POOL_SIZE + MAX_OVERFLOW)
connections (README, "Running at scale").

A new SQLite file is created owner-only (0600; SQLite gives its -wal and -shm files the same
mode) and a folder created for it is 0700, since the store holds customer addresses.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from tradelane.store.conflicts import BUSY_TIMEOUT_SECONDS
from tradelane.store.sqlite_writer import queue_writers, queued_writer_connection

__all__ = ["make_engine"]

POOL_SIZE, MAX_OVERFLOW, POOL_RECYCLE_S = 5, 5, 1800
FILE_MODE = 0o600
FOLDER_MODE = 0o700


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # In WAL mode NORMAL syncs the log at checkpoints, not at every commit: a committed
    # transaction survives a crash of the application; only a power loss or an OS crash may
    # roll back the last few commits (never corrupting the store).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
    cursor.close()


def _private_file(path: Path) -> None:
    """Create `path` (and missing folders) owner-only; an existing file is left as it is."""
    path.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    except FileExistsError:
        return
    os.close(descriptor)


def make_engine(url: str, **options: Any) -> Engine:
    """An engine for `url`; creates the SQLite file (private) and its folder when needed."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _private_file(Path(parsed.database))
        connect_args = {"factory": queued_writer_connection(), **options.pop("connect_args", {})}
        engine = create_engine(url, connect_args=connect_args, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        queue_writers(engine)
        return engine
    options.setdefault("pool_pre_ping", True)
    options.setdefault("pool_size", POOL_SIZE)
    options.setdefault("max_overflow", MAX_OVERFLOW)
    options.setdefault("pool_recycle", POOL_RECYCLE_S)
    return create_engine(url, **options)
