"""Train, evaluate and show ETA models from delivery history.

    history: an imported file (read through its mapping) or the store's imported history
      ─▶ EtaSamples (services/eta_history) ─▶ forecasting.eta_model.evaluate (time split)
      ─▶ train: refit on every shipment, store it with its window and the held-out metrics
The maths runs with one thread per library pool: on a shared machine OpenMP's spinning
threads make gradient boosting many times slower.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from threadpoolctl import threadpool_limits

from tradelane.domain.catalog import Catalogue, TransitProfile
from tradelane.domain.errors import ValidationError
from tradelane.forecasting.eta_model import EtaMetrics, EtaSamples, evaluate, lane_metrics, train
from tradelane.selection.conditions import PeakWindow
from tradelane.selection.season import default_peak_windows
from tradelane.services.eta_history import eta_samples, file_samples
from tradelane.store.eta_models import EtaModelStore
from tradelane.store.uow import UnitOfWork

__all__ = [
    "EtaEvaluation",
    "EtaSource",
    "evaluate_eta",
    "load_samples",
    "train_eta",
    "transit_overrides",
]

T = TypeVar("T")


@dataclass(frozen=True)
class EtaSource:
    """A history file and its mapping, or (both None) the store's imported history."""

    history: Path | None = None
    mapping: Path | None = None

    def describe(self) -> str:
        return "imported history" if self.history is None else str(self.history)


@dataclass(frozen=True)
class EtaEvaluation:
    metrics: EtaMetrics
    lanes: dict[tuple[str, str], dict[str, Any]]
    train_samples: int


def load_samples(source: EtaSource, *, uow: UnitOfWork) -> EtaSamples:
    if source.history is not None:
        if source.mapping is None:
            raise ValidationError("a history file needs its mapping", field="--mapping")
        return file_samples(source.history, source.mapping)
    with uow:
        return eta_samples(uow.history.frame())


def peak_windows_of(samples: EtaSamples) -> list[PeakWindow]:
    first = 1970 + int(samples.anchor_day.min(initial=0)) // 366
    last = 1970 + int(samples.anchor_day.max(initial=0)) // 365 + 1
    return [w for year in range(first, last + 1) for w in default_peak_windows(year)]


def single_threaded(work: Callable[[], T]) -> T:
    with threadpool_limits(limits=1):
        return work()


def evaluate_eta(source: EtaSource, *, uow: UnitOfWork, test_share: float = 0.2) -> EtaEvaluation:
    """Held-out scores of a model trained on the earlier shipments (nothing stored)."""
    samples = load_samples(source, uow=uow)
    windows = peak_windows_of(samples)

    def run() -> EtaEvaluation:
        model, held, metrics = evaluate(samples, windows=windows, test_share=test_share)
        return EtaEvaluation(
            metrics, lane_metrics(model, held, known=samples), len(samples) - len(held)
        )

    return single_threaded(run)


def train_eta(
    source: EtaSource,
    *,
    uow: UnitOfWork,
    models: EtaModelStore,
    now: datetime,
    test_share: float = 0.2,
) -> tuple[int, EtaEvaluation]:
    """Evaluate, then train on every shipment and store the model; returns its version."""
    evaluation = evaluate_eta(source, uow=uow, test_share=test_share)
    samples = load_samples(source, uow=uow)
    model = single_threaded(lambda: train(samples, windows=peak_windows_of(samples)))
    beaten = sorted(
        f"{c}|{lane}" for (c, lane), m in evaluation.lanes.items() if m["model_beats_schedule"]
    )
    meta = {
        "trained_at": now.isoformat(),
        "source": source.describe(),
        "window_start": model.window_start.isoformat(),
        "window_end": model.window_end.isoformat(),
        "samples": len(samples),
        "test_share": test_share,
        "held_out": evaluation.metrics.as_dict(),
        "lanes_beating_schedule": beaten,
        "lanes_evaluated": len(evaluation.lanes),
    }
    model.metrics = meta
    return models.save(model, meta), evaluation


def transit_overrides(
    models: EtaModelStore, catalogue: Catalogue, *, as_of: date, version: int | None = None
) -> tuple[dict[tuple[str, str], TransitProfile], str]:
    """Predicted transit profiles for selection, and the model's name.

    Only for lanes where the stored model beat the history's own schedule on held-out
    shipments, and only where the history names a catalogue channel id and a destination
    country that channel serves (a history of other names is left to scorecards). The profile
    keeps the lane's peak uplift; p50 / p90 are the model's for a shipment handed over on
    `as_of` with the lane's catalogue p50 as its schedule."""
    meta = models.meta(version)
    beaten = [key.split("|", 1) for key in meta["lanes_beating_schedule"]]
    served = {
        (channel.id, lane.country): lane for channel in catalogue.channels for lane in channel.lanes
    }
    wanted = [(c, country) for c, country in beaten if (c, country) in served]
    if not wanted:
        return {}, f"ETA model v{meta['version']}"
    model = models.load(meta["version"])
    day = (as_of - date(1970, 1, 1)).days
    samples = EtaSamples(
        channel=[c for c, _ in wanted],
        lane=[country for _, country in wanted],
        anchor_day=np.full(len(wanted), day, dtype=np.int64),
        delivered_day=np.full(len(wanted), day, dtype=np.int64),
        days=np.zeros(len(wanted)),
        scheduled=np.array([served[key].transit.p50_days for key in wanted]),
        weight_kg=np.full(len(wanted), np.nan),
    )
    p50, p90 = single_threaded(lambda: model.predict(samples))
    found = {
        key: TransitProfile(
            p50_days=max(float(a), 0.1),
            p90_days=max(float(b), float(a), 0.1),
            peak_uplift_pct=served[key].transit.peak_uplift_pct,
        )
        for key, a, b in zip(wanted, p50.tolist(), p90.tolist(), strict=True)
    }
    return found, f"ETA model v{meta['version']}"
