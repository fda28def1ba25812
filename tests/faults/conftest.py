"""Fixtures of the fault suite: skip with the reason when PostgreSQL or Redis is unreachable."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import text

from tests.conftest import POSTGRES_URL
from tests.faults.stack import TASK_TIME_LIMIT_S, VISIBILITY_TIMEOUT_S, Stack
from tests.webhook_signing import GENERIC_SECRET
from tradelane.store.engine import make_engine
from tradelane.store.migrate import migrate

REDIS_URL = os.environ.get("TRADELANE_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


@pytest.fixture(scope="session")
def redis_available() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")


@pytest.fixture
def stack(postgres_available: None, redis_available: None, tmp_path: Path) -> Iterator[Stack]:
    schema = f"f_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    migrate(engine)
    queue = f"faults-{schema}"
    env = {
        "TRADELANE_DATABASE_URL": url,
        "TRADELANE_BROKER_URL": REDIS_URL,
        "TRADELANE_QUEUE": queue,
        "TRADELANE_DATA_DIR": str(tmp_path),
        "TRADELANE_TRACKING_WEBHOOK_SECRET": GENERIC_SECRET,
        "TRADELANE_TASK_TIME_LIMIT_S": str(TASK_TIME_LIMIT_S),
        "TRADELANE_VISIBILITY_TIMEOUT_S": str(VISIBILITY_TIMEOUT_S),
    }
    built = Stack(env=env, engine=engine, folder=tmp_path)
    try:
        yield built
    finally:
        built.stop_workers()
        engine.dispose()
        bindings = (f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        redis.Redis.from_url(REDIS_URL).delete(queue, *bindings)
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
