"""The purity check catches what a reviewer would try: each form planted in a core-like module.

A small package named like tradelane is written to a temporary folder: core packages `domain`
and `switching`, non-core `store` (imports sqlalchemy), `clock`, `config`, `files`, and a
`mailer` that reaches smtplib through `outbound`. One snippet at a time is planted in
`switching/planted.py`; the finding must name that file, the line and the import or call.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.purity import Tree, scan

PLANTED = "tradelane/switching/planted.py"
PROBE = Path(__file__).resolve().parents[1] / "purity_probe.py"
PACKAGE = {
    "__init__.py": "",
    "clock.py": "import datetime\n",
    "config.py": "import os\n",
    "files/__init__.py": "",
    "store/__init__.py": "",
    "store/uow.py": "import sqlalchemy\n",
    "mailer.py": "from tradelane.outbound import send\n",
    "outbound.py": "import smtplib\n",
    "domain/__init__.py": "",
    "domain/money.py": "from decimal import Decimal\n",
    "switching/__init__.py": "",
}

# (what is planted, the line it is on, what the finding must say)
PLANTS = [
    ("import datetime as dt\nx = dt.datetime.now()\n", 2, "uses datetime.datetime.now (reads"),
    ("from datetime import datetime as D\nx = D.now()\n", 2, "uses datetime.datetime.now (reads"),
    ("import datetime\nx = datetime.datetime.now()\n", 2, "uses datetime.datetime.now (reads"),
    ("from datetime import datetime\nx = datetime.now()\n", 2, "uses datetime.datetime.now"),
    ("from datetime import date\nx = date.today()\n", 2, "uses datetime.date.today (reads"),
    ("from time import time\nx = time()\n", 1, "imports time (not on the core allow-list)"),
    ("from time import time\nx = time()\n", 2, "uses time.time (reads the clock)"),
    ("from ..store.uow import UnitOfWork\n", 1, "imports tradelane.store.uow (outside the core"),
    ("from tradelane import store\n", 1, "imports tradelane.store (outside the core)"),
    ("from .. import store\n", 1, "imports tradelane.store (outside the core)"),
    ("import importlib\nm = importlib.import_module('x')\n", 1, "imports importlib (not on"),
    ("import importlib\nm = importlib.import_module('x')\n", 2, "uses importlib.import_module"),
    ("m = __import__('sqlalchemy')\n", 1, "calls __import__()"),
    ("import urllib.request\n", 1, "imports urllib.request (not on the core allow-list)"),
    ("from urllib import request\n", 1, "imports urllib (not on the core allow-list)"),
    ("import smtplib\n", 1, "imports smtplib (not on the core allow-list)"),
    ("import socket\n", 1, "imports socket (not on the core allow-list)"),
    ("with open('rates.csv') as f:\n    pass\n", 1, "calls open()"),
    ("import os\nx = os.environ['HOME']\n", 2, "uses os.environ (reads the environment)"),
    ("from os import getenv\nx = getenv('HOME')\n", 2, "uses os.getenv (reads the environment)"),
    ("import random\nx = random.random()\n", 2, "uses random.random (draws from the unseeded"),
    ("from random import shuffle\n", 1, "imports random.shuffle (draws from the unseeded"),
    ("import random\nr = random.Random()\n", 2, "random generator without a seed"),
    ("import numpy as np\nx = np.random.rand(3)\n", 2, "uses numpy.random.rand (draws from"),
    ("import numpy as np\ng = np.random.default_rng()\n", 2, "random generator without a seed"),
    ("from tradelane.clock import SystemClock\n", 1, "imports tradelane.clock (outside the core"),
    ("from tradelane import config\n", 1, "imports tradelane.config (outside the core"),
    ("import tradelane.config\n", 1, "imports tradelane.config (outside the core"),
    ("from tradelane.files import read\n", 1, "imports tradelane.files (outside the core)"),
    ("from tradelane.mailer import send\n", 1, "it imports tradelane.outbound -> smtplib"),
    ("import sqlalchemy\n", 1, "imports sqlalchemy (not on the core allow-list)"),
    ("from sqlalchemy.orm import Session\n", 1, "imports sqlalchemy.orm (not on the core"),
    (
        "from datetime import datetime\nfrom pydantic import Field\n"
        "stamp = Field(default_factory=datetime.now)\n",
        3,
        "uses datetime.datetime.now (reads the clock)",
    ),
]

PURE = """\
from __future__ import annotations
import random
import numpy as np
from datetime import UTC, date, datetime, timedelta
from tradelane import domain
from ..domain.money import Decimal
from tradelane.switching import planted

rng = random.Random(7)
generator: np.random.Generator = np.random.default_rng(7)
deadline = datetime(2026, 11, 27, tzinfo=UTC) + timedelta(days=1)

def read(open: str) -> str:
    return open

def stamp(now: datetime) -> date:
    return now.date()
"""


def _tree(root: Path, planted: str) -> Tree:
    for relative, text in {**PACKAGE, "switching/planted.py": planted}.items():
        (root / "tradelane" / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / "tradelane" / relative).write_text(text, encoding="utf-8")
    return Tree(root / "tradelane")


@pytest.mark.parametrize(("snippet", "line", "said"), PLANTS, ids=[p[2] for p in PLANTS])
def test_the_scanner_names_the_file_line_and_import_of_a_planted_violation(
    tmp_path: Path, snippet: str, line: int, said: str
) -> None:
    tree = _tree(tmp_path, snippet)
    findings = scan(tree, tree.root / "switching" / "planted.py")
    assert [f for f in findings if f.startswith(f"{PLANTED}:{line}: ") and said in f], findings


def test_the_scanner_lets_pure_code_through(tmp_path: Path) -> None:
    tree = _tree(tmp_path, PURE)
    assert scan(tree, tree.root / "switching" / "planted.py") == []


def _probe(root: Path, module: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    run = subprocess.run(
        [sys.executable, str(PROBE), module], capture_output=True, text=True, check=True, env=env
    )
    return list(json.loads(run.stdout)[module])


@pytest.mark.parametrize(
    ("snippet", "loaded"),
    [
        ("import smtplib\n", "smtplib"),
        ("import urllib.request\n", "urllib.request"),
        ("import email.utils\n", "socket"),
        ("import decimal\nimport pycountry\nimport socket\n", "socket"),
        ("from planted_core import mailer\n", "smtplib"),
    ],
)
def test_a_fresh_import_reports_an_io_library_loaded_directly_or_through_another_module(
    tmp_path: Path, snippet: str, loaded: str
) -> None:
    package = tmp_path / "planted_core"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "mailer.py").write_text("import smtplib\n")
    (package / "planted.py").write_text(snippet)
    found = _probe(tmp_path, "planted_core.planted")
    assert [f for f in found if f.startswith(f"{loaded} (imported by ")], found


def test_a_fresh_import_of_pure_code_reports_nothing(tmp_path: Path) -> None:
    (tmp_path / "pure_core.py").write_text("import decimal\nimport numpy\nimport pydantic\n")
    assert _probe(tmp_path, "pure_core") == []
