"""Options and set-up shared by the selection commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tradelane.bootstrap import Application, open_application
from tradelane.files.policy_file import load_policy
from tradelane.selection.policy import Policy

__all__ = ["CatalogueOption", "PolicyOption", "open_system", "policy_of"]

PolicyOption = Annotated[
    Path | None, typer.Option("--policy", help="Policy YAML/TOML (default: built-in strategy).")
]
CatalogueOption = Annotated[
    Path | None, typer.Option("--catalogue", help="Catalogue YAML/TOML (default: the stored one).")
]


def open_system() -> Application:
    """The configured system with its database migrated."""
    return open_application()


def policy_of(path: Path | None) -> Policy:
    return Policy() if path is None else load_policy(path)
