"""Read switching rules files (YAML; TOML accepted by extension) and check them.

Errors name the file, the path inside it (`triggers.lane_delay_hours.degraded`) and the value;
`check_rules_against` also refuses preparations that name channels or lanes the catalogue
does not have.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import pydantic
import yaml

from tradelane.domain.catalog import Catalogue
from tradelane.domain.errors import InputErrors, ValidationError
from tradelane.files.errors import from_pydantic, read_document
from tradelane.switching.triggers import SwitchingRules

__all__ = ["check_rules_against", "default_rules", "load_rules", "rules_from_mapping"]

DEFAULT_RULES = "switching_rules.yaml"


def rules_from_mapping(document: Any, *, where: str) -> SwitchingRules:
    """Validate a parsed document; InputErrors lists every problem with path and value."""
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise ValidationError("a rules file must be a mapping", where=where)
    try:
        return SwitchingRules.model_validate(document)
    except pydantic.ValidationError as exc:
        raise InputErrors(where, from_pydantic(exc, where=where)) from None


def load_rules(path: Path) -> SwitchingRules:
    return rules_from_mapping(read_document(path, what="rules"), where=str(path))


def default_rules() -> SwitchingRules:
    """The packaged rules: the strategy's defaults with illustrative thresholds."""
    text = resources.files("tradelane.data").joinpath(DEFAULT_RULES).read_text("utf-8")
    return rules_from_mapping(yaml.safe_load(text), where=DEFAULT_RULES)


def _lane_problem(catalogue: Catalogue, channel_id: str, country: str | None) -> str | None:
    if channel_id not in catalogue.channel_ids:
        return "no such channel in the catalogue"
    channel = catalogue.channel(channel_id)
    if country is not None and channel.lane_for(country) is None:
        return f"channel {channel_id!r} has no lane to {country}"
    return None


def check_rules_against(rules: SwitchingRules, catalogue: Catalogue, *, where: str) -> None:
    """InputErrors when a peak preparation names a channel or lane the catalogue lacks."""
    errors: list[ValidationError] = []
    for index, prep in enumerate(rules.peaks.preparations):
        path = f"peaks.preparations[{index}]"
        checks = [("channel_id", prep.channel_id), ("backup_channel_id", prep.backup_channel_id)]
        for field, channel_id in checks:
            if channel_id is None:
                continue
            problem = _lane_problem(catalogue, channel_id, prep.country)
            if problem is not None:
                errors.append(
                    ValidationError(problem, field=f"{path}.{field}", value=channel_id, where=where)
                )
    if errors:
        raise InputErrors(where, errors)
