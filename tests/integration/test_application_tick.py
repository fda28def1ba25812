"""The application's tick: sweep, then switching evaluation, then delivery, as the scheduler
runs it; and the in-process scheduler thread that runs it beside the API."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.switching_builders import HOUR, store_lane_incident
from tradelane.bootstrap import Application, build
from tradelane.clock import FixedClock
from tradelane.config import Settings
from tradelane.domain.access import Role
from tradelane.domain.errors import ValidationError
from tradelane.entrypoints.scheduler import start_ticking
from tradelane.entrypoints.workers.jobs import job_shards, run_job
from tradelane.services.catalogues import install_catalogue_file
from tradelane.switching.states import HealthState

T0 = datetime(2026, 9, 14, 8, 0, tzinfo=UTC)  # a quiet week: no peak window is open


def _application(tmp_path: Path) -> Application:
    app = build(Settings(data_dir=tmp_path))
    app.migrate()
    return app


def test_a_tick_before_any_catalogue_sweeps_and_skips_switching(tmp_path: Path) -> None:
    report = _application(tmp_path).tick(now=T0)
    assert report.evaluation is None and report.delivery is None and report.sweep.at == T0


def test_ticks_alert_on_stuck_parcels_and_switch_the_lane_after_k_evaluations(
    tmp_path: Path,
) -> None:
    app = _application(tmp_path)
    install_catalogue_file(None, uow=app.uow(), now=T0)
    with app.uow() as uow:
        store_lane_incident(uow, "epacket-cn", "US", at=T0)
        uow.commit()
    reports = [app.tick(now=T0 + hour * HOUR) for hour in range(3)]
    assert reports[0].sweep.opened_total >= 1
    evaluations = [r.evaluation for r in reports]
    assert all(e is not None for e in evaluations)
    assert [len(e.opened) for e in evaluations if e is not None] == [0, 0, 1]
    with app.uow() as uow:
        lane = uow.channel_states.all()[("epacket-cn", "US")]
    assert lane.state is HealthState.DEGRADED


def test_the_scheduler_thread_ticks_until_stopped() -> None:
    ran = threading.Event()
    runs: list[int] = []

    def job() -> None:
        runs.append(1)
        if len(runs) >= 3:
            ran.set()

    stop = start_ticking(job, timedelta(seconds=0.01), on_error=lambda exc: None)
    assert ran.wait(timeout=10)
    stop()
    counted = len(runs)
    threading.Event().wait(0.1)  # several intervals: a stopped scheduler runs nothing more
    assert counted >= 3 and len(runs) == counted


def test_the_tick_switches_a_tenants_lane_on_its_own_parcels_only(tmp_path: Path) -> None:
    app = _application(tmp_path)
    install_catalogue_file(None, uow=app.uow(), now=T0)  # the house catalogue serves both
    app.create_key("a", Role.OPERATOR)
    app.create_key("b", Role.OPERATOR)
    with app.for_tenant("a").uow() as uow:
        store_lane_incident(uow, "epacket-cn", "US", at=T0)
        uow.commit()
    reports = [app.tick(now=T0 + hour * HOUR) for hour in range(3)]
    assert set(reports[-1].evaluations) == {"a", "b", "default"}
    opened = {tenant: sum(len(r.evaluations[tenant].opened) for r in reports) for tenant in "ab"}
    assert opened == {"a": 1, "b": 0}
    for tenant, state in (("a", HealthState.DEGRADED), ("b", None)):
        with app.for_tenant(tenant).uow() as uow:
            lane = uow.channel_states.all().get(("epacket-cn", "US"))
        assert (lane and lane.state) == state, tenant


def test_the_scheduled_switching_job_has_a_shard_per_tenant_with_a_catalogue(
    tmp_path: Path,
) -> None:
    app = _application(tmp_path)
    assert [s for j, s in job_shards(app) if j == "switching"] == []
    assert run_job(app, "switching", "default") == (
        "tenant default: no catalogue installed (tradelane init)"
    )
    install_catalogue_file(None, uow=app.uow(), now=T0)
    app.create_key("a", Role.OPERATOR)
    with app.for_tenant("a").uow() as uow:
        store_lane_incident(uow, "epacket-cn", "US", at=T0)
        uow.commit()
    tenants = [s for j, s in job_shards(app) if j == "switching"]
    assert tenants == ["a", "default"]
    summaries = [
        run_job(replace(app, clock=FixedClock(T0 + hour * HOUR)), "switching", tenant)
        for hour in range(3)
        for tenant in tenants
    ]
    assert summaries[-2].startswith("tenant a:") and summaries[-2].endswith("1 switch(es) opened")
    assert summaries[-1] == summaries[1]  # the default tenant's lanes are quiet
    with app.for_tenant("a").uow() as uow:
        lane = uow.channel_states.all()[("epacket-cn", "US")]
    assert lane.state is HealthState.DEGRADED


def test_an_unknown_job_is_refused_naming_the_field(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as refused:
        run_job(_application(tmp_path), "sweeep")
    assert refused.value.field == "job"
