"""The core decides; it never does I/O or reads the clock (DESIGN.md, layers)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tradelane

PACKAGE = Path(tradelane.__file__).parent
CORE = (
    "domain",
    "selection",
    "tracking",
    "monitoring",
    "switching",
    "optimization",
    "forecasting",
    "simulation",
)
FORBIDDEN_MODULES = (
    "sqlalchemy",
    "fastapi",
    "httpx",
    "typer",
    "requests",
    "psycopg",
    "celery",
    "tradelane.store",
    "tradelane.entrypoints",
    "tradelane.services",
)
CLOCK_CALLS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("date", "today"),
    ("time", "time"),
    ("time", "monotonic"),
    ("datetime", "today"),
}


def _core_files() -> list[Path]:
    return [f for name in CORE if (PACKAGE / name).is_dir() for f in (PACKAGE / name).rglob("*.py")]


def _violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        found += [f"imports {n}" for n in names if n.startswith(FORBIDDEN_MODULES)]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name) and (owner.id, node.func.attr) in CLOCK_CALLS:
                found.append(f"calls {owner.id}.{node.func.attr}() at line {node.lineno}")
    return found


def test_core_packages_exist_and_are_scanned() -> None:
    assert len(_core_files()) >= 5


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_module_does_no_io_and_reads_no_clock(path: Path) -> None:
    assert _violations(path) == []


def test_the_scanner_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlalchemy\nfrom datetime import datetime\nx = datetime.now()\n")
    assert _violations(bad) == ["imports sqlalchemy", "calls datetime.now() at line 3"]
