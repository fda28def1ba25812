"""Advisories on the store (SQLite and PostgreSQL): the migration adds and drops the table,
each tenant sees only its own, and an advisory recorded through the service switches the lanes
it hits at the next evaluation, away from every channel it hits, until it ends and the lanes
recover through the hold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import Engine, inspect

from tests.switching_builders import HOUR, store_assigned_order
from tests.switching_fakes import RecordingReassigner
from tradelane.domain.advisories import Advisory, AdvisoryKind, lanes_hit
from tradelane.domain.errors import Conflict, ValidationError
from tradelane.files.catalogue_file import default_catalogue
from tradelane.files.rules_file import default_rules
from tradelane.services.advisories import end_advisory, list_advisories, record_advisory
from tradelane.services.switching import evaluate_switching
from tradelane.store.migrate import alembic_config, migrate
from tradelane.store.uow import UnitOfWork
from tradelane.switching.states import HealthState

T0 = datetime(2026, 9, 14, 8, 0, tzinfo=UTC)  # a quiet week: no peak window is open
CATALOGUE = default_catalogue()
RULES = default_rules()
LONG_BEACH = Advisory(
    id="mx-lgb-1",
    kind=AdvisoryKind.PORT_CONGESTION,
    port="US-LGB",
    severity=0.7,
    starts_at=T0 - 12 * HOUR,
    source="Marine Exchange",
)


def test_the_migration_adds_the_table_and_takes_it_away(bare_engine: Engine) -> None:
    migrate(bare_engine, "0019_intake_counts")
    assert "advisories" not in inspect(bare_engine).get_table_names()
    migrate(bare_engine)
    assert "advisories" in inspect(bare_engine).get_table_names()
    config = alembic_config()
    with bare_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0019_intake_counts")
    assert "advisories" not in inspect(bare_engine).get_table_names()


def test_each_tenant_records_lists_and_ends_only_its_own(engine: Engine) -> None:
    seller = UnitOfWork(engine, tenant="seller-a")
    record_advisory(LONG_BEACH, uow=seller, catalogue=CATALOGUE, now=T0)
    assert list_advisories(uow=UnitOfWork(engine, tenant="seller-b")) == []
    assert list_advisories(uow=seller, active_at=T0) == [LONG_BEACH]
    with pytest.raises(Conflict):
        record_advisory(LONG_BEACH, uow=seller, catalogue=CATALOGUE, now=T0)
    ended = end_advisory(LONG_BEACH.id, uow=seller, now=T0 + HOUR)
    assert ended.ends_at == T0 + HOUR
    assert list_advisories(uow=seller, active_at=T0 + 2 * HOUR) == []
    assert list_advisories(uow=seller) == [ended]
    with pytest.raises(Conflict):
        end_advisory(LONG_BEACH.id, uow=seller, now=T0 + 2 * HOUR)


def test_an_advisory_hitting_no_lane_is_refused(engine: Engine) -> None:
    nowhere = LONG_BEACH.model_copy(update={"port": "XX-NOPE"})
    with pytest.raises(ValidationError, match="no lane"):
        record_advisory(nowhere, uow=UnitOfWork(engine), catalogue=CATALOGUE, now=T0)


def _evaluate(uow: UnitOfWork, hours: float) -> tuple[list[str], list[str]]:
    report = evaluate_switching(
        uow=uow,
        catalogue=CATALOGUE,
        rules=RULES,
        now=T0 + timedelta(hours=hours),
        reassign=RecordingReassigner(),
    )
    return [r.reason for r in report.opened], [r.ended_by or "" for r in report.closed]


def test_a_recorded_advisory_switches_its_lanes_until_it_ends_and_they_recover(
    uow: UnitOfWork,
) -> None:
    with uow:
        for i in range(5):
            store_assigned_order(uow, f"SEA-{i}", "cn-us-fastsea", at=T0 - HOUR)
        uow.commit()
    assert _evaluate(uow, 0) == ([], [])  # nothing in tracking shows the congestion
    record_advisory(LONG_BEACH, uow=uow, catalogue=CATALOGUE, now=T0)
    opened, _ = _evaluate(uow, 1)
    assert len(opened) == len(lanes_hit(LONG_BEACH, CATALOGUE)) == 1
    assert "Marine Exchange, advisory mx-lgb-1" in opened[0]
    with uow:
        [switch] = uow.switches.open_switches()
        state = uow.channel_states.all()[("cn-us-fastsea", "US")].state
    assert (switch.channel_id, switch.country, switch.share) == ("cn-us-fastsea", "US", 1.0)
    assert switch.trigger["cause"]["kind"] == "clearance_port"
    assert switch.trigger["cause"]["value"] == "US-LGB"
    assert switch.backup_channel_id not in switch.trigger["cause"]["channels"]
    assert state is HealthState.FAILED
    assert _evaluate(uow, 7) == ([], [])  # still in force: the switch stays
    end_advisory(LONG_BEACH.id, uow=uow, now=T0 + 8 * HOUR)
    hold = RULES.evaluation.silent_recovery_hold_hours  # its traffic went: no flow is seen
    assert _evaluate(uow, 9) == ([], [])  # recovering starts
    assert _evaluate(uow, 9 + hold - 1) == ([], [])
    assert _evaluate(uow, 9 + hold)[1] == ["rule:recovery_hold"]
