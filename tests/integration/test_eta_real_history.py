"""The ETA pipeline on real delivery histories written by others (USAID SCMS, DataCo), read
through the same `history import` mappings a seller would write: a time split, the model
against the schedule the data itself carries."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.conftest import shared_file
from tradelane.services.eta import EtaSource, evaluate_eta, train_eta
from tradelane.services.history_import import import_history_file
from tradelane.store.eta_models import EtaModelStore
from tradelane.store.uow import UnitOfWork

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_on_scms_the_model_beats_the_scheduled_delivery_date(uow: UnitOfWork) -> None:
    source = EtaSource(
        shared_file("usaid_scms/SCMS_Delivery_History_Dataset.csv"), EXAMPLES / "scms-mapping.yaml"
    )
    metrics = evaluate_eta(source, uow=uow).metrics
    assert metrics.schedule_mae_days is not None
    assert metrics.p50_mae_days < metrics.schedule_mae_days
    assert 0.80 <= metrics.p90_coverage <= 0.95


def test_on_dataco_imported_into_the_store_the_model_beats_the_scheduled_days(
    uow: UnitOfWork, tmp_path: Path
) -> None:
    data = shared_file("dataco_subset/DataCoSupplyChainDataset_6000rows.csv")
    import_history_file(data, EXAMPLES / "dataco-mapping.yaml", uow=uow, now=NOW)
    models = EtaModelStore(tmp_path / "eta_models")
    version, evaluation = train_eta(EtaSource(), uow=uow, models=models, now=NOW)
    metrics = evaluation.metrics
    assert metrics.schedule_mae_days is not None
    assert metrics.p50_mae_days < metrics.schedule_mae_days
    assert 0.80 <= metrics.p90_coverage <= 0.95
    meta = models.meta(version)
    assert (meta["window_start"], meta["held_out"]["samples"]) == ("2015-01-01", metrics.samples)
    assert models.load(version).window_end.isoformat() == meta["window_end"]
