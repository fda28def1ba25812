"""Schemathesis against the served app's OpenAPI schema: generated requests to every route,
with an admin key, never get a server error (5xx). Bounded: a few examples per operation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import Case

from tests.builders import NOW
from tests.keys import admin_headers
from tests.served import served
from tradelane.bootstrap import build
from tradelane.config import Settings
from tradelane.entrypoints.api.app import create_app
from tradelane.services.catalogues import install_catalogue_file

EXAMPLES_PER_OPERATION = 6


@pytest.fixture(scope="module")
def served_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    system = build(Settings(data_dir=Path(tmp_path_factory.mktemp("fuzz"))))
    system.migrate()
    install_catalogue_file(None, uow=system.uow(), now=NOW)
    headers = admin_headers(system)
    with served(create_app(system)) as url:
        yield url, headers


def test_no_generated_request_gets_a_server_error(
    served_api: tuple[str, dict[str, str]],
) -> None:
    url, headers = served_api
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    server_errors: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def probe(case: Case) -> None:
            response = case.call(base_url=url, headers=headers)
            if response.status_code >= 500:
                server_errors.append(f"{case.method} {case.formatted_path}: {response.text[:300]}")

        probe()
    assert len(operations) >= 20 and server_errors == []
