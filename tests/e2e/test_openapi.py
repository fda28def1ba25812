"""The OpenAPI document is complete: every operation answers a typed body, every reference
resolves, and every route but the health probe and the signed webhooks needs the key."""

from __future__ import annotations

import json
import re
from typing import Any

from tradelane.entrypoints.api.app import create_app

OPEN = {("get", "/health"), ("post", "/webhooks/tracking/{source}")}


def _document() -> dict[str, Any]:
    return create_app().openapi()


def test_every_operation_documents_a_typed_success_body() -> None:
    untyped = []
    for path, operations in _document()["paths"].items():
        for method, operation in operations.items():
            answers = [r for code, r in operation["responses"].items() if code.startswith("2")]
            schemas = [
                a.get("content", {}).get("application/json", {}).get("schema") for a in answers
            ]
            if not schemas or not all(schemas):
                untyped.append(f"{method} {path}")
    assert untyped == []


def test_every_schema_reference_resolves() -> None:
    document = _document()
    names = set(document["components"]["schemas"])
    refs = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(document)))
    assert refs and refs <= names


def test_every_route_but_the_open_ones_requires_the_bearer_key() -> None:
    unguarded = [
        (method, path)
        for path, operations in _document()["paths"].items()
        for method, operation in operations.items()
        if {"HTTPBearer": []} not in operation.get("security", []) and (method, path) not in OPEN
    ]
    assert unguarded == []
