"""Read simulation scenarios: packaged ones by name, or YAML/TOML files by path.

Errors name the file, the path inside it (`disruptions[0].severity`) and the value. A
scenario names its catalogue: `default` (the packaged one) or a file relative to itself.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import pydantic

from tradelane.domain.catalog import Catalogue
from tradelane.domain.errors import InputErrors, ValidationError
from tradelane.files.catalogue_file import default_catalogue, load_catalogue
from tradelane.files.errors import from_pydantic, read_document
from tradelane.simulation.scenarios import Scenario, check_against

__all__ = ["load_scenario", "packaged_scenarios", "read_scenario", "scenario_from_mapping"]

PACKAGE = "tradelane.data.scenarios"
SUFFIXES = (".yaml", ".yml", ".toml")


def packaged_scenarios() -> list[str]:
    """Names of the scenarios that ship with tradelane."""
    folder = resources.files(PACKAGE)
    return sorted(
        entry.name.rsplit(".", 1)[0] for entry in folder.iterdir() if entry.name.endswith(SUFFIXES)
    )


def scenario_from_mapping(document: Any, *, where: str) -> Scenario:
    """Validate a parsed document; InputErrors lists every problem with path and value."""
    if not isinstance(document, dict):
        raise ValidationError("a scenario must be a mapping with 'name', 'seed', ...", where=where)
    try:
        return Scenario.model_validate(document)
    except pydantic.ValidationError as exc:
        raise InputErrors(where, from_pydantic(exc, where=where)) from None


def load_scenario(path: Path) -> tuple[Scenario, Catalogue]:
    """A scenario file and the catalogue it names, checked against each other."""
    where = str(path)
    document = read_document(path, what="scenario")
    scenario = scenario_from_mapping(document, where=where)
    if scenario.catalogue == "default":
        catalogue = default_catalogue()
    else:
        catalogue = load_catalogue(path.parent / scenario.catalogue)
    check_against(scenario, catalogue, where=where)
    return scenario, catalogue


def read_scenario(name_or_path: str) -> tuple[Scenario, Catalogue]:
    """A packaged scenario by name (`default`, ...) or a scenario file by path."""
    if name_or_path in packaged_scenarios():
        folder = resources.files(PACKAGE)
        entry = next(e for e in folder.iterdir() if e.name.rsplit(".", 1)[0] == name_or_path)
        with resources.as_file(entry) as path:
            return load_scenario(Path(path))
    path = Path(name_or_path)
    if not path.exists():
        known = ", ".join(packaged_scenarios())
        raise ValidationError(
            f"no such scenario file, and not a packaged scenario ({known})",
            field="scenario",
            value=name_or_path,
        )
    return load_scenario(path)
