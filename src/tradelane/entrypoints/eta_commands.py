"""`tradelane eta train|evaluate|show`: ETA models learned from delivery history."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from tradelane.entrypoints.console import console, fail_on_errors
from tradelane.entrypoints.selection_options import open_system

if TYPE_CHECKING:  # the service brings in scikit-learn (seconds): commands import it when run
    from tradelane.services.eta import EtaEvaluation

__all__ = ["eta_app"]

eta_app = typer.Typer(help="Predicted delivery days (p50/p90) from history.", no_args_is_help=True)
HistoryOption = Annotated[
    Path | None,
    typer.Option("--history", help="History CSV (default: the imported history in the store)."),
]
MappingOption = Annotated[Path | None, typer.Option("--mapping", help="Its column mapping YAML.")]
ShareOption = Annotated[float, typer.Option("--test-share", help="Latest share held out.")]
SHOWN_LANES = 15


def _show(evaluation: EtaEvaluation) -> None:
    m = evaluation.metrics
    console.print(
        f"held out {m.samples:,} shipments (trained on {evaluation.train_samples:,} earlier): "
        f"p50 MAE {m.p50_mae_days:.2f} days, p90 coverage {m.p90_coverage:.1%}"
    )
    if m.schedule_mae_days is not None and m.schedule_coverage is not None:
        console.print(
            f"the data's own schedule: MAE {m.schedule_mae_days:.2f} days, on or before it "
            f"{m.schedule_coverage:.1%}"
        )
    table = Table(title="busiest lanes, held out")
    for column in ("channel", "lane", "shipments", "p50 MAE", "schedule MAE", "p90 cover", "uses"):
        table.add_column(column)
    busiest = sorted(evaluation.lanes.items(), key=lambda kv: -kv[1]["samples"])
    for (channel, lane), lane_m in busiest[:SHOWN_LANES]:
        schedule = lane_m["schedule_mae_days"]
        table.add_row(
            channel,
            lane,
            f"{lane_m['samples']:,}",
            f"{lane_m['p50_mae_days']:.2f}",
            "-" if schedule is None else f"{schedule:.2f}",
            f"{lane_m['p90_coverage']:.0%}",
            "model" if lane_m["model_beats_schedule"] else "schedule",
        )
    console.print(table)


@eta_app.command("evaluate")
def eta_evaluate(
    history: HistoryOption = None, mapping: MappingOption = None, test_share: ShareOption = 0.2
) -> None:
    """Train on the earlier shipments, score the latest against the data's own schedule."""
    from tradelane.services.eta import EtaSource

    with fail_on_errors():
        opened = open_system()
        _show(opened.evaluate_eta(EtaSource(history, mapping), test_share=test_share))


@eta_app.command("train")
def eta_train(
    history: HistoryOption = None, mapping: MappingOption = None, test_share: ShareOption = 0.2
) -> None:
    """Evaluate, then train on all shipments and store a new model version."""
    from tradelane.services.eta import EtaSource

    with fail_on_errors():
        opened = open_system()
        version, evaluation = opened.train_eta(EtaSource(history, mapping), test_share=test_share)
        _show(evaluation)
        console.print(f"stored ETA model v{version}")


@eta_app.command("show")
def eta_show(
    version: Annotated[int | None, typer.Option(help="Model version (default: latest).")] = None,
) -> None:
    """A stored model's training window, source and held-out metrics."""
    with fail_on_errors():
        opened = open_system()
        meta = opened.eta_models().meta(version)
        held = meta["held_out"]
        console.print(
            f"ETA model v{meta['version']}: trained {meta['trained_at']} on {meta['samples']:,} "
            f"shipments from {meta['source']}, {meta['window_start']} to {meta['window_end']}"
        )
        console.print(
            f"held out: p50 MAE {held['p50_mae_days']} days (schedule "
            f"{held['schedule_mae_days']}), p90 coverage {held['p90_coverage']:.1%}; beats the "
            f"schedule on {len(meta['lanes_beating_schedule'])} of {meta['lanes_evaluated']} lanes"
        )
