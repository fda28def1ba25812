"""Use cases the application binds for the CLI and the API alike: the catalogue installed
once, quotes and assignments read back, and an ETA model trained then used as predicted
transit, all on the application's clock, data folder and tenant."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.builders import an_order
from tests.integration.test_eta_selection import MAPPING, history
from tradelane.bootstrap import Application, build
from tradelane.clock import FixedClock
from tradelane.config import Settings
from tradelane.domain.errors import NotFound
from tradelane.services.eta import EtaSource

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _application(tmp_path: Path) -> Application:
    app = build(Settings(data_dir=tmp_path), clock=FixedClock(NOW))
    app.migrate()
    return app


def test_the_catalogue_is_installed_and_read_back_as_the_active_one(tmp_path: Path) -> None:
    app = _application(tmp_path)
    assert app.installed_catalogue() is None
    with pytest.raises(NotFound):
        app.catalogue()
    first = app.install_catalogue_file(None)
    again = app.install_catalogue(app.catalogue().catalogue, source="copy")
    assert again == first + 1
    stored = app.installed_catalogue()
    assert stored is not None and stored.version_id == again


def test_a_quote_stores_nothing_and_explain_reads_what_assign_stored(tmp_path: Path) -> None:
    app = _application(tmp_path)
    app.install_catalogue_file(None)
    order = an_order("Q-1", country="DE", value="9", weight_kg=0.2)
    quoted = app.quote(order)
    assert quoted.decision.primary is not None
    assert app.assignment_history("Q-1") == []
    app.import_orders([order], source="test")
    app.assign()
    [record] = app.assignment_history("Q-1")
    assert record.primary_channel_id == quoted.decision.primary.channel_id
    assert app.for_tenant("someone-else").assignment_history("Q-1") == []


def test_a_trained_eta_model_gives_predicted_transit_on_the_active_catalogue(
    tmp_path: Path,
) -> None:
    app = _application(tmp_path)
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    version, evaluation = app.train_eta(EtaSource(history(tmp_path / "h.csv"), mapping))
    assert version == 1 and evaluation.metrics.samples > 0
    assert app.eta_models().meta(None)["trained_at"] == NOW.isoformat()
    with pytest.raises(NotFound):
        app.predicted_transit()  # no catalogue to map the model's lanes onto yet
    app.install_catalogue_file(None)
    profiles, name = app.predicted_transit()
    assert name == "ETA model v1"
    assert set(profiles) == {("epacket-cn", "DE"), ("epacket-cn", "US")}
