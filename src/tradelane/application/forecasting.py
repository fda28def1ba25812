"""Use cases of forecasting: delivery history import, ETA models (evaluate, train, the stored
versions, predicted transit for assignment) and the inventory plan before a peak.

The ETA service brings in scikit-learn (seconds): its methods import it when called.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tradelane.application.base import ApplicationBase
from tradelane.domain.catalog import TransitProfile
from tradelane.services.history_import import HistoryImportReport, import_history_file
from tradelane.services.history_import import Progress as HistoryProgress
from tradelane.services.inventory_plan import InventoryPlan, PlanCommand, plan_inventory
from tradelane.store.eta_models import EtaModelStore

if TYPE_CHECKING:
    from tradelane.services.eta import EtaEvaluation, EtaSource

__all__ = ["ForecastingUseCases"]


def _no_progress(_done: int, _total: int) -> None:
    return None


class ForecastingUseCases(ApplicationBase):
    def import_history(
        self,
        path: Path,
        mapping: Path,
        *,
        replace: bool = False,
        progress: HistoryProgress = _no_progress,
    ) -> HistoryImportReport:
        """Store a delivery history read through its column mapping: all or nothing;
        Conflict on the same file again unless `replace`."""
        return import_history_file(
            path,
            mapping,
            uow=self.uow(),
            now=self.clock.now(),
            progress=progress,
            replace=replace,
        )

    def eta_models(self) -> EtaModelStore:
        """The stored ETA model versions (under the data directory)."""
        return EtaModelStore(self.settings.data_dir / "eta_models")

    def evaluate_eta(self, source: EtaSource, *, test_share: float = 0.2) -> EtaEvaluation:
        """Held-out scores of a model trained on the earlier shipments (nothing stored)."""
        from tradelane.services.eta import evaluate_eta

        return evaluate_eta(source, uow=self.uow(), test_share=test_share)

    def train_eta(self, source: EtaSource, *, test_share: float = 0.2) -> tuple[int, EtaEvaluation]:
        """Evaluate, then train on every shipment and store the model; returns its version."""
        from tradelane.services.eta import train_eta

        return train_eta(
            source,
            uow=self.uow(),
            models=self.eta_models(),
            now=self.clock.now(),
            test_share=test_share,
        )

    def predicted_transit(
        self, *, version: int | None = None
    ) -> tuple[dict[tuple[str, str], TransitProfile], str]:
        """The ETA model's transit profiles on the active catalogue's lanes where it beat the
        schedule, for a hand-over today, and its name (what `assign(predicted=...)` takes)."""
        from tradelane.services.eta import transit_overrides

        return transit_overrides(
            self.eta_models(),
            self.catalogue().catalogue,
            as_of=self.clock.now().date(),
            version=version,
        )

    def plan_inventory(self, command: PlanCommand) -> InventoryPlan:
        """The replenishment plan for the peak after `command.as_of`."""
        return plan_inventory(command, uow=self.uow())
