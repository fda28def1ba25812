"""What the dashboard shows, gathered for one tenant: the lane health board (channel x
country, coloured by state), the alert queue, switches with their audit trail, one
shipment's timeline, the latest simulation report, a chart of open alerts by rule, and the
scorecards and experiments panels (panels.py)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import plotly.graph_objects as go

from tradelane.bootstrap import Application
from tradelane.entrypoints.api.dashboard.panels import (
    ExperimentPanel,
    experiment_panels,
    scorecard_panel,
)
from tradelane.monitoring.alerts import Alert, AlertState
from tradelane.optimization.scorecards import Scorecard
from tradelane.services.tracking_queries import ShipmentTimeline
from tradelane.switching.states import SwitchRecord

__all__ = ["Board", "gather_board", "latest_report"]

SHOWN_ALERTS = 50
SHOWN_SWITCHES = 30
NO_LANE = ""  # a grid cell where the channel has no lane
UNMEASURED = "unmeasured"  # a lane no evaluation has looked at yet


@dataclass
class Board:
    countries: list[str]
    rows: list[tuple[str, list[str]]]  # channel id, state per country (NO_LANE: no lane)
    alerts: list[Alert]
    switches: list[SwitchRecord]
    shipment: ShipmentTimeline | None = None
    searched: str = ""
    report_name: str | None = None
    chart_json: str = "{}"
    states: Counter[str] = field(default_factory=Counter)
    scorecards: list[Scorecard] = field(default_factory=list)
    experiments: list[ExperimentPanel] = field(default_factory=list)
    currency: str = ""


def _grid(app: Application) -> tuple[list[str], list[tuple[str, list[str]]]]:
    catalogue = app.catalogue().catalogue
    statuses = app.lane_states()
    countries = sorted({lane.country for c in catalogue.channels for lane in c.lanes})
    rows = []
    for channel in catalogue.channels:
        served = {lane.country for lane in channel.lanes}
        cells = []
        for country in countries:
            status = statuses.get((channel.id, country))
            state = status.state.value if status is not None else UNMEASURED
            cells.append(state if country in served else NO_LANE)
        rows.append((channel.id, cells))
    return countries, rows


def _chart(alerts: list[Alert]) -> str:
    by_rule = Counter(a.rule.value for a in alerts)
    figure = go.Figure(go.Bar(x=list(by_rule), y=list(by_rule.values())))
    figure.update_layout(
        title="open alerts by rule", height=260, margin={"l": 40, "r": 10, "t": 40, "b": 40}
    )
    return str(figure.to_json())


def gather_board(app: Application, *, tracking_number: str = "") -> Board:
    countries, rows = _grid(app)
    states = [AlertState.OPEN, AlertState.ACKNOWLEDGED]
    alerts = app.alert_page(before=None, limit=SHOWN_ALERTS, states=states).items
    switches = app.switch_page(before=None, limit=SHOWN_SWITCHES).items
    board = Board(countries, rows, alerts, switches, searched=tracking_number)
    board.states = Counter(cell for _, cells in rows for cell in cells if cell != NO_LANE)
    if tracking_number and app.owns_shipment(tracking_number):
        board.shipment = app.shipment_timeline(tracking_number)
    report = latest_report(app)
    board.report_name = None if report is None else report.name
    board.chart_json = _chart(alerts)
    board.scorecards = scorecard_panel(app)
    board.experiments = experiment_panels(app)
    board.currency = app.fx.settlement
    return board


def latest_report(app: Application) -> Path | None:
    """The newest simulation report `tradelane simulate` wrote, if any."""
    folder = app.settings.data_dir / "reports"
    found = (
        sorted(folder.glob("*.html"), key=lambda p: p.stat().st_mtime) if folder.is_dir() else []
    )
    return found[-1] if found else None
