"""Read selection policy files (YAML; TOML by extension) and write the default as YAML.

A policy file holds any subset of the Policy fields; the rest keep their defaults. Giving
`rules` replaces the whole rule list. Errors name the file, the field path and the value.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pydantic
import yaml

from tradelane.domain.errors import InputErrors, ValidationError
from tradelane.files.errors import from_pydantic, read_document
from tradelane.selection.policy import Policy

__all__ = ["load_policy", "policy_to_yaml"]


def load_policy(path: Path) -> Policy:
    where = str(path)
    document = read_document(path, what="policy")
    if not isinstance(document, dict):
        raise ValidationError("a policy must be a mapping of policy fields", where=where)
    try:
        return Policy.model_validate(document)
    except pydantic.ValidationError as exc:
        raise InputErrors(where, from_pydantic(exc, where=where)) from None


def policy_to_yaml(policy: Policy) -> str:
    """The policy as YAML that `load_policy` reads back to an equal Policy."""
    document: Any = json.loads(policy.model_dump_json())
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
