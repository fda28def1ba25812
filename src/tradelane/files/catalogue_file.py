"""Read and write channel catalogue files (YAML; TOML accepted by extension).

Errors name the file, the path inside it (`channels[3].limits.max_weight_kg`) and the value.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pydantic
import yaml

from tradelane.domain.catalog import Catalogue
from tradelane.domain.errors import InputErrors, ValidationError
from tradelane.files.errors import from_pydantic, read_document

__all__ = ["catalogue_from_mapping", "catalogue_to_mapping", "default_catalogue", "load_catalogue"]

DEFAULT_CATALOGUE = "default_catalogue.yaml"


def catalogue_from_mapping(document: Any, *, where: str) -> Catalogue:
    """Validate a parsed document; InputErrors lists every problem with path and value.

    Top-level keys starting with `x-` are ignored: they hold YAML anchors for reuse.
    """
    if not isinstance(document, dict):
        raise ValidationError(
            "a catalogue must be a mapping with 'name' and 'channels'", where=where
        )
    document = {k: v for k, v in document.items() if not str(k).startswith("x-")}  # anchors
    try:
        return Catalogue.model_validate(document)
    except pydantic.ValidationError as exc:
        errors = from_pydantic(exc, where=where)
        _name_channels(errors, document)
        raise InputErrors(where, errors) from None


def _name_channels(errors: list[ValidationError], document: dict[str, Any]) -> None:
    """Add the channel id to 'channels[3]' paths so the user finds the entry by name."""
    channels = document.get("channels")
    if not isinstance(channels, list):
        return
    for error in errors:
        if not error.field.startswith("channels["):
            continue
        index = int(error.field[len("channels[") : error.field.index("]")])
        entry = channels[index] if index < len(channels) else None
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            error.where = f"{error.where}, channel {entry['id']!r}"


def load_catalogue(path: Path) -> Catalogue:
    return catalogue_from_mapping(read_document(path, what="catalogue"), where=str(path))


def default_catalogue() -> Catalogue:
    """The packaged China-origin catalogue (illustrative rates; see comments in the file)."""
    text = resources.files("tradelane.data").joinpath(DEFAULT_CATALOGUE).read_text("utf-8")
    return catalogue_from_mapping(yaml.safe_load(text), where=DEFAULT_CATALOGUE)


def catalogue_to_mapping(catalogue: Catalogue) -> dict[str, Any]:
    """A JSON-safe mapping that `catalogue_from_mapping` reads back to an equal catalogue."""
    return json.loads(catalogue.model_dump_json(exclude_defaults=False))  # type: ignore[no-any-return]
