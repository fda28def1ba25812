"""Quantile ETA model: p50 and p90 delivery days from delivery history (scikit-learn).

    EtaSamples (one delivered shipment each: channel, lane, anchor day, days to delivery,
    the schedule's own figure, weight) ─▶ features:
        channel, lane (categorical; the MAX_CATEGORIES - 1 most frequent, the rest pooled),
        weekday and peak flag of the anchor day, weight band, the schedule's figure,
        recent lane delay (mean days past schedule of the lane's shipments delivered in the
        RECENT_DAYS before the anchor day: only what was known then)
    ─▶ two HistGradientBoostingRegressor, quantile loss at 0.5 and 0.9
    ─▶ EtaModel.predict: (p50, p90) days, p90 never below p50

What "days to delivery" means depends on what the history holds: from hand-over to delivery
where it has a hand-over (the schedule's figure is then its promised days), else from the
scheduled delivery day to the delivered day (days late; the schedule says 0). `evaluate`
splits by time: the last `test_share` of anchor days are held out, the model trains on the
rest, and both the model and the schedule are scored on the held-out shipments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from tradelane.domain.errors import ValidationError
from tradelane.selection.conditions import PeakWindow

if TYPE_CHECKING:  # imported when a model is built: scikit-learn's joblib loads sockets
    from sklearn.ensemble import HistGradientBoostingRegressor

__all__ = [
    "EtaMetrics",
    "EtaModel",
    "EtaSamples",
    "evaluate",
    "lane_metrics",
    "train",
]

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
EPOCH = date(1970, 1, 1)
RECENT_DAYS = 30
MAX_CATEGORIES = 250  # HistGradientBoosting takes at most 255 categories per feature
WEIGHT_BANDS_KG = np.array([0.5, 2.0, 10.0, 30.0, 100.0, 1_000.0])
FEATURES = ("channel", "lane", "weekday", "peak", "weight_band", "scheduled", "recent_delay")
MIN_SAMPLES = 20
CALIBRATION_SHARE = 0.15


@dataclass(frozen=True)
class EtaSamples:
    """Delivered shipments as columns. Days are days since 1970-01-01 (UTC)."""

    channel: Sequence[str]
    lane: Sequence[str]
    anchor_day: Ints  # hand-over day, or the scheduled day where there is no hand-over
    delivered_day: Ints
    days: Floats  # what is predicted: days from the anchor to delivery
    scheduled: Floats  # the schedule's own figure for `days` (NaN: none)
    weight_kg: Floats  # NaN: unknown

    def __post_init__(self) -> None:
        n = len(self.channel)
        if any(len(c) != n for c in (self.lane, self.anchor_day, self.days, self.weight_kg)):
            raise ValidationError("ETA sample columns differ in length", field="columns")

    def __len__(self) -> int:
        return len(self.channel)

    def take(self, rows: Ints) -> EtaSamples:
        return EtaSamples(
            [self.channel[i] for i in rows.tolist()],
            [self.lane[i] for i in rows.tolist()],
            self.anchor_day[rows],
            self.delivered_day[rows],
            self.days[rows],
            self.scheduled[rows],
            self.weight_kg[rows],
        )


@dataclass(frozen=True)
class EtaMetrics:
    """Held-out scores. Coverage: share delivered within p90 (model) / the schedule."""

    samples: int
    p50_mae_days: float
    p90_coverage: float
    schedule_mae_days: float | None
    schedule_coverage: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "samples": self.samples,
            "p50_mae_days": round(self.p50_mae_days, 3),
            "p90_coverage": round(self.p90_coverage, 4),
            "schedule_mae_days": _rounded(self.schedule_mae_days, 3),
            "schedule_coverage": _rounded(self.schedule_coverage, 4),
        }


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _codes(values: Sequence[str], known: Sequence[str]) -> Floats:
    index = {name: k for k, name in enumerate(known)}
    return np.array([index.get(v, np.nan) for v in values], dtype=np.float64)


def _frequent(values: Sequence[str]) -> list[str]:
    names, counts = np.unique(np.asarray(values, dtype=object).astype(str), return_counts=True)
    order = np.argsort(-counts, kind="stable")[: MAX_CATEGORIES - 1]
    return sorted(str(names[i]) for i in order)


def _peak_days(days: Ints, windows: Sequence[PeakWindow]) -> NDArray[np.bool_]:
    peak = np.zeros(len(days), dtype=np.bool_)
    for window in windows:
        first, last = (window.start - EPOCH).days, (window.end - EPOCH).days
        peak |= (days >= first) & (days <= last)
    return peak


def recent_lane_delay(samples: EtaSamples, history: EtaSamples | None = None) -> Floats:
    """Per sample: mean days past schedule of `history` shipments on its lane delivered in the
    RECENT_DAYS before its anchor day (NaN: none). `history` defaults to the samples."""
    known = history or samples
    late = known.days - np.nan_to_num(known.scheduled)
    result = np.full(len(samples), np.nan)
    lanes = np.asarray(samples.lane, dtype=object)
    known_lanes = np.asarray(known.lane, dtype=object)
    for lane in set(samples.lane):
        mine = np.flatnonzero(lanes == lane)
        theirs = np.flatnonzero(known_lanes == lane)
        order = theirs[np.argsort(known.delivered_day[theirs], kind="stable")]
        delivered = known.delivered_day[order]
        total = np.concatenate(([0.0], np.cumsum(late[order])))
        anchor = samples.anchor_day[mine]
        hi = np.searchsorted(delivered, anchor, side="left")
        lo = np.searchsorted(delivered, anchor - RECENT_DAYS, side="left")
        count = hi - lo
        with np.errstate(invalid="ignore", divide="ignore"):
            result[mine] = np.where(count > 0, (total[hi] - total[lo]) / count, np.nan)
    return result


@dataclass
class EtaModel:
    """Two fitted quantile regressors and what they were trained on."""

    channels: list[str]
    lanes: list[str]
    windows: list[PeakWindow]
    p50: HistGradientBoostingRegressor
    p90: HistGradientBoostingRegressor
    history: EtaSamples  # what `recent_lane_delay` reads at prediction time
    window_start: date
    window_end: date
    metrics: dict[str, Any] = field(default_factory=dict)
    constant: list[int] = field(default_factory=list)  # feature columns with no value at all
    p50_offset: float = 0.0  # calibration on the latest training shipments (see `train`)
    p90_offset: float = 0.0

    def features(self, samples: EtaSamples, known: EtaSamples | None = None) -> Floats:
        """Feature matrix (FEATURES order); `known`: the shipments whose delivery the recent
        lane delay may use (default: the training history)."""
        anchor = samples.anchor_day
        weight = samples.weight_kg
        band = np.where(np.isnan(weight), np.nan, np.searchsorted(WEIGHT_BANDS_KG, weight))
        x = np.column_stack(
            [
                _codes(samples.channel, self.channels),
                _codes(samples.lane, self.lanes),
                (anchor + 3) % 7,  # 1970-01-01 was a Thursday: Monday = 0
                _peak_days(anchor, self.windows).astype(np.float64),
                band,
                samples.scheduled,
                recent_lane_delay(samples, known or self.history),
            ]
        )
        x[:, self.constant] = np.nan_to_num(x[:, self.constant])
        return x

    def predict(
        self, samples: EtaSamples, known: EtaSamples | None = None
    ) -> tuple[Floats, Floats]:
        """(p50, p90) days per sample."""
        x = self.features(samples, known)
        p50 = self.p50.predict(x) + self.p50_offset
        return p50, np.maximum(self.p90.predict(x) + self.p90_offset, p50)


def _regressor(quantile: float, seed: int) -> HistGradientBoostingRegressor:
    from sklearn.ensemble import HistGradientBoostingRegressor  # see the TYPE_CHECKING import

    return HistGradientBoostingRegressor(
        loss="quantile",
        quantile=quantile,
        max_iter=200,
        learning_rate=0.1,
        max_leaf_nodes=31,
        categorical_features=[0, 1],
        early_stopping=True,
        validation_fraction=0.1,
        n_iter_no_change=10,
        random_state=seed,
    )


def train(
    samples: EtaSamples,
    *,
    windows: Sequence[PeakWindow],
    seed: int = 0,
    calibration_share: float = CALIBRATION_SHARE,
) -> EtaModel:
    """Fit p50 and p90 on the earlier shipments, then calibrate on the latest ones.

    The latest `calibration_share` of the training shipments (by anchor day) are kept out of
    the fit; p50 is shifted by their median error and p90 by the 90th percentile of their
    error beyond it (split-conformal quantile regression), so p90 covers 90 % of recent
    shipments even where days are whole numbers or the lanes drift. ValidationError when there
    are too few shipments."""
    if len(samples) < MIN_SAMPLES:
        raise ValidationError(
            f"at least {MIN_SAMPLES} delivered shipments are needed to train",
            field="history",
            value=len(samples),
        )
    fit_rows, calibration_rows = time_split(samples, calibration_share)
    if len(fit_rows) < MIN_SAMPLES // 2 or not len(calibration_rows):
        fit_rows, calibration_rows = np.arange(len(samples)), np.zeros(0, dtype=np.int64)
    fitted = samples.take(fit_rows)
    model = EtaModel(
        channels=_frequent(samples.channel),
        lanes=_frequent(samples.lane),
        windows=list(windows),
        p50=_regressor(0.5, seed),
        p90=_regressor(0.9, seed),
        history=samples,
        window_start=EPOCH + timedelta(days=int(samples.anchor_day.min())),
        window_end=EPOCH + timedelta(days=int(samples.anchor_day.max())),
    )
    x = model.features(fitted)
    model.constant = [int(c) for c in np.flatnonzero(np.isnan(x).all(axis=0))]
    x[:, model.constant] = 0.0
    model.p50.fit(x, fitted.days)
    model.p90.fit(x, fitted.days)
    if len(calibration_rows):
        held = samples.take(calibration_rows)
        p50, p90 = model.predict(held)
        model.p50_offset = float(np.median(held.days - p50))
        model.p90_offset = nearest_coverage_offset(held.days - p90, 0.9)
    return model


def nearest_coverage_offset(residual: Floats, target: float) -> float:
    """The shift `o` among the residuals' own values that makes the share of residuals <= o
    closest to `target` (whole-day histories tie many residuals: the plain quantile would
    overshoot)."""
    values = np.unique(residual)
    covered = np.searchsorted(np.sort(residual), values, side="right") / len(residual)
    return float(values[int(np.argmin(np.abs(covered - target)))])


def score(samples: EtaSamples, p50: Floats, p90: Floats) -> EtaMetrics:
    has = ~np.isnan(samples.scheduled)
    return EtaMetrics(
        samples=len(samples),
        p50_mae_days=float(np.mean(np.abs(samples.days - p50))),
        p90_coverage=float(np.mean(samples.days <= p90)),
        schedule_mae_days=float(np.mean(np.abs(samples.days[has] - samples.scheduled[has])))
        if has.any()
        else None,
        schedule_coverage=float(np.mean(samples.days[has] <= samples.scheduled[has]))
        if has.any()
        else None,
    )


def time_split(samples: EtaSamples, test_share: float) -> tuple[Ints, Ints]:
    """(train rows, held-out rows): the held-out shipments are the latest by anchor day."""
    if not 0 < test_share < 1:
        raise ValidationError("must be in (0, 1)", field="test_share", value=test_share)
    cut = np.quantile(samples.anchor_day, 1 - test_share)
    return np.flatnonzero(samples.anchor_day < cut), np.flatnonzero(samples.anchor_day >= cut)


def evaluate(
    samples: EtaSamples, *, windows: Sequence[PeakWindow], test_share: float = 0.2, seed: int = 0
) -> tuple[EtaModel, EtaSamples, EtaMetrics]:
    """Train on the earlier shipments, score on the later: (model, held-out, metrics)."""
    early, late = time_split(samples, test_share)
    model = train(samples.take(early), windows=windows, seed=seed)
    held = samples.take(late)
    p50, p90 = model.predict(held, known=samples)  # only deliveries before each anchor count
    return model, held, score(held, p50, p90)


def lane_metrics(
    model: EtaModel, held: EtaSamples, known: EtaSamples | None = None
) -> dict[tuple[str, str], dict[str, Any]]:
    """Per (channel, lane) of the held-out shipments: model vs schedule MAE, and which wins."""
    p50, p90 = model.predict(held, known)
    keys = [f"{c}\x1f{lane}" for c, lane in zip(held.channel, held.lane, strict=True)]
    names, group = np.unique(np.asarray(keys, dtype=object).astype(str), return_inverse=True)
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for k, name in enumerate(names.tolist()):
        rows = np.flatnonzero(group == k)
        metrics = score(held.take(rows), p50[rows], p90[rows])
        beats = metrics.schedule_mae_days is not None and (
            metrics.p50_mae_days < metrics.schedule_mae_days
        )
        channel, lane = name.split("\x1f", 1)
        found[(channel, lane)] = {**metrics.as_dict(), "model_beats_schedule": beats}
    return found
