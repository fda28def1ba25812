"""A model trained on a seller's own history gives selection predicted transit profiles for the
lanes where it beat the history's schedule, and only for catalogue channels and countries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

from tradelane.files.catalogue_file import default_catalogue
from tradelane.services.eta import EtaSource, train_eta, transit_overrides
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
