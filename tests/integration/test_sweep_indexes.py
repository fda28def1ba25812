"""The sweep reads each rule's candidates through that rule's partial index on PostgreSQL, so
its SQL and the index predicates (store/tables.py) cannot drift apart unnoticed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, event, text

from tests.builders import NOW
from tests.integration.shipment_rows import a_shipment_row, insert_shipments
from tradelane.files.catalogue_file import default_catalogue
from tradelane.monitoring.plan import MonitoringPlan
from tradelane.monitoring.rules import RULES, Rule
from tradelane.monitoring.thresholds import MonitoringConfig, ThresholdOverride
from tradelane.selection.season import default_peak_windows
from tradelane.store.alert_repository import AlertRepository
from tradelane.store.deviation_sql import DeviationSql
from tradelane.store.tables import shipment_watch_indexes

CONFIG = MonitoringConfig(overrides=(ThresholdOverride(channel_id="cn-eu-truck", country="DE"),))
PLAN = MonitoringPlan.build(CONFIG, default_catalogue().channels, default_peak_windows(NOW.year))


@pytest.fixture
def explaining(postgres_engine: Engine, rule: Rule) -> Iterator[Connection]:
    """A connection whose statements are EXPLAINed instead of run, sequential scans off and
    only `rule`'s watch index left (this test's schema is its own)."""
    insert_shipments(postgres_engine, *(a_shipment_row() for _ in range(20)))
    with postgres_engine.begin() as connection:
        for index in shipment_watch_indexes:
            if index.name != f"ix_shipments_watch_{rule.id.value}":
                connection.execute(text(f'DROP INDEX "{index.name}"'))

    def explain(*args: Any) -> tuple[str, Any]:
        statement, parameters = args[2], args[3]
        return f"EXPLAIN {statement}", parameters

    with postgres_engine.connect() as connection:
        connection.execute(text("SET enable_seqscan = off"))
        event.listen(connection, "before_cursor_execute", explain, retval=True)
        yield connection
        event.remove(connection, "before_cursor_execute", explain)


@pytest.mark.postgres
@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id.value)
def test_each_rule_finds_its_candidates_through_its_partial_index(
    explaining: Connection, rule: Rule
) -> None:
    query = AlertRepository.breaching(rule, DeviationSql(PLAN, now=NOW))
    assert query is not None
    plan = "\n".join(row[0] for row in explaining.execute(query))
    assert f"ix_shipments_watch_{rule.id.value}" in plan, plan
