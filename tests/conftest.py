"""Shared fixtures: migrated SQLite and PostgreSQL engines, the shared real-data folder."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tradelane.store.engine import make_engine
from tradelane.store.migrate import migrate
from tradelane.store.uow import UnitOfWork

POSTGRES_URL = os.environ.get(
    "TRADELANE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SHARED_DATA = Path(
    os.environ.get("TRADELANE_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)


# Tests of the CLI, selection, peaks, monitoring and switching: `make test` runs them again with
# the wall clock pinned to dates inside and outside peak windows (`-m wall_clock`).
WALL_CLOCK_AREAS = (
    "e2e/",
    "unit/selection/",
    "unit/monitoring/",
    "unit/test_peaks.py",
    "unit/test_switching_",
    "unit/test_selection_",
    "unit/test_channel_health",
    "integration/test_assign.py",
    "integration/test_channel_health.py",
    "integration/test_origin_stall_switching.py",
    "integration/test_season_store.py",
    "integration/test_sweep.py",
    "integration/test_switch",
)


# A season simulation runs on its scenario's own dates, never the wall clock. The browser test
# and ETA training run on the e2e suite's fixed clock like every e2e test, but cannot run under
# libfaketime: it is preloaded into Chromium too (its timers stall), and scikit-learn's thread
# waits fail with EINVAL when only the wall clock is shifted.
NOT_WALL_CLOCK = (
    "e2e/test_simulate_cli.py",
    "e2e/test_dashboard_browser.py",
    "e2e/test_eta_cli.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    tests = Path(__file__).parent
    for item in items:
        where = item.path.relative_to(tests).as_posix()
        if where.startswith(WALL_CLOCK_AREAS) and not where.startswith(NOT_WALL_CLOCK):
            item.add_marker(pytest.mark.wall_clock)


def shared_file(relative: str) -> Path:
    """A file of the shared real-data folder; skips the test with a reason when absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"shared real data not found at {path} (set TRADELANE_SHARED_DATA)")
    return path


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'tradelane.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


def _postgres_reachable() -> str | None:
    try:
        probe = make_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with probe.connect() as connection:
            connection.execute(text("select 1"))
        probe.dispose()
    except Exception as exc:  # any failure to connect means: skip, and say why
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    return None


@pytest.fixture(scope="session")
def postgres_available() -> None:
    problem = _postgres_reachable()
    if problem is not None:
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}: {problem}")


def _postgres_schema(*, migrated: bool) -> Iterator[Engine]:
    """An engine on a fresh schema of its own (migrated to head or empty), dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        if migrated:
            migrate(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def postgres_engine(postgres_available: None) -> Iterator[Engine]:
    """A migrated engine on a fresh schema of its own, dropped afterwards."""
    yield from _postgres_schema(migrated=True)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def bare_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty database (no migration run yet): migration tests start here."""
    if request.param == "postgres":
        request.getfixturevalue("postgres_available")
        yield from _postgres_schema(migrated=False)
        return
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Engine:
    """Each store test runs on SQLite and on the real PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_engine")  # type: ignore[no-any-return]


@pytest.fixture
def uow(engine: Engine) -> UnitOfWork:
    return UnitOfWork(engine)
