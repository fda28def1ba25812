"""Read deviation-rule windows from YAML (or TOML by extension).

    defaults:                       # optional; any window left out keeps the strategy default
      no_departure_hours: 48
    overrides:
      - channel_id: cn-eu-truck     # a channel, a destination country, or both
        no_arrival_hours: 480
      - channel_id: wh-duisburg
        disabled: [no_departure, no_arrival, customs_hold]
      - country: BR
        customs_hold_hours: 168

Errors name the file, the path inside it (`overrides[1].country`) and the value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pydantic

from tradelane.domain.errors import InputErrors, ValidationError
from tradelane.files.errors import from_pydantic, read_document
from tradelane.monitoring.thresholds import MonitoringConfig

__all__ = ["load_monitoring_config", "monitoring_config_from_mapping"]


def monitoring_config_from_mapping(document: Any, *, where: str) -> MonitoringConfig:
    """Validate a parsed document (None or empty: all defaults)."""
    if document is None:
        return MonitoringConfig()
    if not isinstance(document, dict):
        raise ValidationError("must be a mapping with 'defaults' and/or 'overrides'", where=where)
    try:
        return MonitoringConfig.model_validate(document)
    except pydantic.ValidationError as exc:
        raise InputErrors(where, from_pydantic(exc, where=where)) from None


def load_monitoring_config(path: Path) -> MonitoringConfig:
    document = read_document(path, what="monitoring file")
    return monitoring_config_from_mapping(document, where=str(path))
