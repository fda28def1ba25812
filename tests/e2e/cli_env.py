"""The data folder every CLI end-to-end module runs in: one definition, imported by each.

    from tests.e2e.cli_env import cli_data_dir

    data_dir = cli_data_dir()  # autouse: each test gets a fresh folder under tmp_path

The CLI then reads TRADELANE_DATA_DIR = <tmp_path>/data, not the caller's database URL (or any
other variable named in `unset`), and prints to a console `columns` wide so tables do not wrap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

__all__ = ["cli_data_dir"]


def cli_data_dir(*, columns: int = 200, unset: Iterable[str] = ()) -> Callable[..., Path]:
    """An autouse `data_dir` fixture (the data folder, not yet created) for a test module."""
    names = ("TRADELANE_DATABASE_URL", *unset)

    @pytest.fixture(autouse=True)
    def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        monkeypatch.setenv("TRADELANE_DATA_DIR", str(tmp_path / "data"))
        for name in names:
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("COLUMNS", str(columns))
        return tmp_path / "data"

    return data_dir
