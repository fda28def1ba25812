"""A model trained on a seller's own history gives selection predicted transit profiles for the
lanes where it beat the history's schedule, and only for catalogue channels and countries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

from tests.builders import an_order
from tests.unit.selection.selecting import USD
from tradelane.domain.catalog import TransitProfile
from tradelane.files.catalogue_file import default_catalogue
from tradelane.selection.policy import Policy
from tradelane.services.assign import assign_orders
from tradelane.services.catalogues import install_catalogue
from tradelane.services.eta import EtaSource, train_eta, transit_overrides
from tradelane.services.order_import import import_orders
from tradelane.store.eta_models import EtaModelStore
from tradelane.store.uow import UnitOfWork

MAPPING = """timezone: UTC
fields:
  channel:       {column: channel}
  lane:          {column: country}
  shipped_at:    {column: shipped, date_format: "%Y-%m-%d"}
  delivered_at:  {column: delivered, date_format: "%Y-%m-%d"}
  transit_days:  {column: days}
  promised_days: {column: promised}
"""


def history(path: Path) -> Path:
    rng = np.random.default_rng(8)
    lines = ["channel,country,shipped,delivered,days,promised"]
    start = date(2025, 6, 1)
    for k in range(900):
        channel, country = [("epacket-cn", "DE"), ("epacket-cn", "US"), ("mystery", "DE")][k % 3]
        shipped = start + timedelta(days=k // 3)
        days = round(16 * rng.lognormal(0, 0.15))  # slower than the 9 days promised
        delivered = shipped + timedelta(days=days)
        lines.append(f"{channel},{country},{shipped},{delivered},{days},9")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_lanes_the_model_beats_get_its_profile(uow: UnitOfWork, tmp_path: Path) -> None:
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    models = EtaModelStore(tmp_path / "eta_models")
    now = datetime(2026, 1, 1, tzinfo=UTC)
    source = EtaSource(history(tmp_path / "h.csv"), mapping)
    train_eta(source, uow=uow, models=models, now=now)
    found, name = transit_overrides(models, default_catalogue(), as_of=date(2026, 1, 5))
    assert name == "ETA model v1"
    assert set(found) == {("epacket-cn", "DE"), ("epacket-cn", "US")}  # "mystery" is no channel
    for profile in found.values():
        assert 13 <= profile.p50_days <= 19 and profile.p90_days >= profile.p50_days


def test_assignments_say_which_eta_they_used(uow: UnitOfWork, tmp_path: Path) -> None:
    now = datetime(2026, 1, 5, tzinfo=UTC)
    install_catalogue(default_catalogue(), source="default", uow=uow, now=now)
    import_orders(
        [an_order("A", country="DE", value="9", weight_kg=0.2)], source="t", uow=uow, now=now
    )
    slow = {("epacket-cn", "DE"): TransitProfile(p50_days=16, p90_days=22)}
    assign_orders(uow=uow, now=now, fx=USD, policy=Policy(), predicted=(slow, "ETA model v3"))
    with uow:
        record = uow.assignments.current("A")
    assert record is not None and record.primary_channel_id is not None
    used = "ETA model v3" if record.primary_channel_id == "epacket-cn" else "transit profile"
    assert used in record.reason
