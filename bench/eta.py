"""ETA model on synthetic delivery history: training time and prediction throughput.

Synthetic history: `--size` delivered shipments over two years on 40 channels x 60 lanes; each
lane has its own transit level, channels their own speed, weekends and peak windows add days,
heavy parcels a little, and lanes drift (a slow month now and then), with lognormal noise.
Measured in one run: training the quantile model (p50 + p90, with its calibration split) on
`--size` shipments, predicting the `--size` / 4 that follow them in time, and the plain
baseline, per-lane empirical quantiles (p50 / p90 of each channel x lane's training shipments),
fitted and predicted on the same rows. Both are scored on the held-out shipments. Gradient
boosting runs on one thread (the machine is shared). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).parent))
from common import peak_rss_mb, report, timed
from tradelane.forecasting.eta_model import EtaSamples, score, time_split, train
from tradelane.selection.season import default_peak_windows

START_DAY = 20_454  # 2026-01-01 as days since 1970-01-01
WINDOWS = [w for year in (2025, 2026, 2027) for w in default_peak_windows(year)]


def history(size: int, seed: int) -> EtaSamples:
    rng = np.random.default_rng(seed)
    channels, lanes = 40, 60
    channel = rng.integers(0, channels, size)
    lane = rng.integers(0, lanes, size)
    anchor = START_DAY - 730 + np.sort(rng.integers(0, 730, size))
    level = rng.uniform(4, 25, lanes)[lane] * rng.uniform(0.7, 1.3, channels)[channel]
    weekend = ((anchor + 3) % 7 >= 5) * 1.5
    peak = np.zeros(size, dtype=np.bool_)
    for window in WINDOWS:
        first = (window.start.toordinal() - 719_163, window.end.toordinal() - 719_163)
        peak |= (anchor >= first[0]) & (anchor <= first[1])
    weight = rng.lognormal(0, 1, size)
    drift = 4.0 * (np.sin((anchor / 45.0) + lane) > 0.8)
    days = (level + weekend + 3.0 * peak + 0.3 * np.log1p(weight) + drift) * rng.lognormal(
        0, 0.25, size
    )
    scheduled = np.round(level * 1.1)
    return EtaSamples(
        channel=[f"ch-{c:02d}" for c in channel.tolist()],
        lane=[f"L{k:02d}" for k in lane.tolist()],
        anchor_day=anchor.astype(np.int64),
        delivered_day=(anchor + np.ceil(days)).astype(np.int64),
        days=days,
        scheduled=scheduled,
        weight_kg=weight,
    )


def lane_quantiles(fit: EtaSamples, held: EtaSamples) -> tuple[np.ndarray, np.ndarray]:
    """Baseline: each channel x lane's empirical p50 / p90 (pooled where a pair is unseen)."""
    keys = np.char.add(np.asarray(fit.channel), np.asarray(fit.lane))
    names, group = np.unique(keys, return_inverse=True)
    order = np.lexsort((fit.days, group))
    cuts = np.searchsorted(group[order], np.arange(len(names) + 1))
    p50s, p90s = np.empty(len(names)), np.empty(len(names))
    for k in range(len(names)):
        days = fit.days[order[cuts[k] : cuts[k + 1]]]
        p50s[k], p90s[k] = days[len(days) // 2], days[min(int(len(days) * 0.9), len(days) - 1)]
    at = np.searchsorted(names, np.char.add(np.asarray(held.channel), np.asarray(held.lane)))
    at = np.minimum(at, len(names) - 1)
    known = names[at] == np.char.add(np.asarray(held.channel), np.asarray(held.lane))
    p50 = np.where(known, p50s[at], np.median(fit.days))
    p90 = np.where(known, p90s[at], np.quantile(fit.days, 0.9))
    return p50, p90


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    samples, build_seconds = timed(lambda: history(args.size + args.size // 4, args.seed))
    early, late = time_split(samples, 0.2)
    fit, held = samples.take(early), samples.take(late)
    with threadpool_limits(limits=1):
        model, train_seconds = timed(lambda: train(fit, windows=WINDOWS))
        (p50, p90), predict_seconds = timed(lambda: model.predict(held))
    (b50, b90), baseline_seconds = timed(lambda: lane_quantiles(fit, held))
    model_scores, base_scores = score(held, p50, p90), score(held, b50, b90)
    print(
        f"{len(samples):,} shipments (built in {build_seconds:.1f} s): trained on {len(fit):,} "
        f"in {train_seconds:.1f} s; predicted {len(held):,} in {predict_seconds:.2f} s; "
        f"model p50 MAE {model_scores.p50_mae_days:.2f} d, p90 cover "
        f"{model_scores.p90_coverage:.1%}; per-lane quantiles MAE "
        f"{base_scores.p50_mae_days:.2f} d, cover {base_scores.p90_coverage:.1%} "
        f"(fit + predict {baseline_seconds:.2f} s)"
    )
    report(
        {
            "bench": "eta",
            "shipments": len(fit),
            "train_seconds": round(train_seconds, 2),
            "predicted": len(held),
            "predict_per_second": round(len(held) / predict_seconds),
            "p50_mae_days": round(model_scores.p50_mae_days, 3),
            "p90_coverage": round(model_scores.p90_coverage, 4),
            "baseline": "per-lane empirical quantiles",
            "baseline_seconds": round(baseline_seconds, 2),
            "baseline_per_second": round(len(held) / baseline_seconds),
            "baseline_p50_mae_days": round(base_scores.p50_mae_days, 3),
            "baseline_p90_coverage": round(base_scores.p90_coverage, 4),
            "threads": 1,
            "peak_rss_mb": peak_rss_mb(),
        }
    )


if __name__ == "__main__":
    main()
