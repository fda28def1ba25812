"""Trained ETA models, versioned in the data directory: eta-v0001.joblib + eta-v0001.json.

The JSON beside each model holds its version, training window, sample count, source and
metrics, so `eta show` reads it without loading scikit-learn. Versions only go up; a model
file is written under a temporary name and renamed, so a half-written model is never read.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tradelane.domain.errors import NotFound

if TYPE_CHECKING:
    from tradelane.forecasting.eta_model import EtaModel

__all__ = ["EtaModelStore"]


class EtaModelStore:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def versions(self) -> list[int]:
        if not self.directory.is_dir():
            return []
        return sorted(int(p.stem.removeprefix("eta-v")) for p in self.directory.glob("eta-v*.json"))

    def save(self, model: EtaModel, meta: dict[str, Any]) -> int:
        """Store a model; returns its version."""
        self.directory.mkdir(parents=True, exist_ok=True)
        version = max(self.versions(), default=0) + 1
        stem = self.directory / f"eta-v{version:04d}"
        import joblib  # imported when used: it brings in scikit-learn's machinery

        partial = stem.with_suffix(".joblib.partial")
        joblib.dump(model, partial, compress=3)
        os.replace(partial, stem.with_suffix(".joblib"))
        stem.with_suffix(".json").write_text(
            json.dumps({"version": version, **meta}, indent=2, sort_keys=True), encoding="utf-8"
        )
        return version

    def meta(self, version: int | None = None) -> dict[str, Any]:
        found = self._stem(version).with_suffix(".json")
        loaded: dict[str, Any] = json.loads(found.read_text(encoding="utf-8"))
        return loaded

    def load(self, version: int | None = None) -> EtaModel:
        import joblib  # imported when used

        from tradelane.forecasting.eta_model import EtaModel

        model = joblib.load(self._stem(version).with_suffix(".joblib"))
        if not isinstance(model, EtaModel):
            raise NotFound("ETA model", f"v{version} (not a model file)")
        return model

    def _stem(self, version: int | None) -> Path:
        versions = self.versions()
        chosen = versions[-1] if version is None and versions else version
        if chosen is None or chosen not in versions:
            raise NotFound(
                "ETA model", "any (run `tradelane eta train`)" if chosen is None else f"v{chosen}"
            )
        return self.directory / f"eta-v{chosen:04d}"
