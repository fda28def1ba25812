"""The core decides; it never does I/O or reads the clock (DESIGN.md, layers).

Two checks: a static reading of every core file against the allow-list (tests/purity.py), and
each core module imported in a fresh process to see that no I/O library lands in sys.modules.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import tradelane
from tests.purity import CORE, Tree, scan

TREE = Tree(Path(tradelane.__file__).parent)
CORE_FILES = TREE.core_files()
PROBE = Path(__file__).resolve().parents[1] / "purity_probe.py"


def _shown(path: Path) -> str:
    return TREE.shown(path)


def test_every_core_package_present_is_scanned() -> None:
    present = {name for name in CORE if (TREE.root / name).is_dir()}
    scanned = {path.relative_to(TREE.root).parts[0] for path in CORE_FILES}
    assert scanned == present
    assert len(present) >= 5


@pytest.mark.parametrize("path", CORE_FILES, ids=_shown)
def test_core_module_imports_only_the_allow_list_and_reads_no_clock(path: Path) -> None:
    findings = scan(TREE, path)
    assert not findings, "\n".join(findings)


@pytest.fixture(scope="module")
def loaded_by_module() -> dict[str, list[str]]:
    modules = [TREE.module_of(path) for path in CORE_FILES]
    run = subprocess.run(
        [sys.executable, str(PROBE), *modules], capture_output=True, text=True, check=True
    )
    return dict(json.loads(run.stdout))


@pytest.mark.parametrize("path", CORE_FILES, ids=_shown)
def test_importing_a_core_module_afresh_loads_no_io_library(
    path: Path, loaded_by_module: dict[str, list[str]]
) -> None:
    loaded = loaded_by_module[TREE.module_of(path)]
    assert not loaded, f"{_shown(path)}: importing it loads {', '.join(loaded)}"
