"""Writers of one process on an SQLite store take turns: the next starts once the store is
free, rolled-back and committed transactions alike let it go, and what is stored is the same."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import Engine, text

from tradelane.store.engine import make_engine

HOLD_S = 0.235  # just past one of SQLite's busy-handler wake-ups (228 ms); the next is at 328


def _store(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'writers.db'}")
    with engine.begin() as connection:
        connection.execute(text("create table marks (n integer primary key)"))
    return engine


def test_a_waiting_writer_starts_as_soon_as_the_one_before_commits(tmp_path: Path) -> None:
    engine = _store(tmp_path)
    first_wrote = threading.Event()
    committed_at: list[float] = []

    def first() -> None:
        with engine.connect() as connection:
            connection.execute(text("insert into marks values (1)"))
            first_wrote.set()
            time.sleep(HOLD_S)
            connection.commit()
            committed_at.append(time.perf_counter())

    writer = threading.Thread(target=first)
    writer.start()
    first_wrote.wait(5)
    with engine.connect() as connection:
        connection.execute(text("insert into marks values (2)"))
        wrote_at = time.perf_counter()
        connection.commit()
    writer.join(5)
    assert wrote_at - committed_at[0] < 0.05  # SQLite's own retry would wake ~90 ms later
    with engine.connect() as connection:
        assert connection.execute(text("select n from marks order by n")).scalars().all() == [1, 2]
    engine.dispose()


def test_a_rolled_back_or_abandoned_writer_frees_the_store(tmp_path: Path) -> None:
    engine = _store(tmp_path)
    with engine.connect() as connection:
        connection.execute(text("insert into marks values (1)"))
        connection.rollback()
    with engine.connect() as connection:
        connection.execute(text("insert into marks values (2)"))  # closed without commit
    started = time.perf_counter()
    done = threading.Event()

    def other_thread() -> None:
        with engine.begin() as connection:
            connection.execute(text("insert into marks values (3)"))
        done.set()

    threading.Thread(target=other_thread).start()
    assert done.wait(2)
    assert time.perf_counter() - started < 1
    with engine.connect() as connection:
        assert connection.execute(text("select n from marks")).scalars().all() == [3]
    engine.dispose()
