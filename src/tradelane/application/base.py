"""What every group of use cases stands on: the infrastructure, the configured rules and
policy, and the choices made once (webhook destinations, switching and monitoring rules).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Self

from tradelane.domain.catalog import Catalogue
from tradelane.files.monitoring_file import load_monitoring_config
from tradelane.files.rules_file import default_rules
from tradelane.infrastructure import Tradelane
from tradelane.monitoring.thresholds import MonitoringConfig
from tradelane.selection.policy import Policy
from tradelane.services.catalogues import (
    active_catalogue,
    install_catalogue,
    install_catalogue_file,
)
from tradelane.store.repositories import StoredCatalogue
from tradelane.switching.triggers import SwitchingRules

__all__ = ["ApplicationBase", "silent"]


def silent(_done: int, _total: int, _stage: str) -> None:
    return None


@dataclass
class ApplicationBase(Tradelane):
    """Tradelane's infrastructure plus what the use cases share. `switching_rules` None: the
    packaged rules; `monitoring` None: TRADELANE_MONITORING_FILE, else the defaults."""

    switching_rules: SwitchingRules | None = None
    monitoring: MonitoringConfig | None = None
    policy: Policy = field(default_factory=Policy)

    @property
    def destinations(self) -> list[str]:
        """The system webhook destinations (TRADELANE_WEBHOOKS) every notice and event is
        queued for; each tenant's own subscriptions are added when a message is written
        (store/outbox_repository.py)."""
        return sorted(self.settings.webhooks)

    def for_tenant(self, tenant_id: str) -> Self:
        """The same application (engine, clock, rules) reading and writing as `tenant_id`."""
        return replace(self, tenant=tenant_id)

    def _rules(self, rules: SwitchingRules | None) -> SwitchingRules:
        """The rules asked for, else the configured ones, else the packaged defaults."""
        return rules or self.switching_rules or default_rules()

    def _now(self, now: datetime | None) -> datetime:
        return self.clock.now() if now is None else now

    def catalogue(self) -> StoredCatalogue:
        """The active catalogue; NotFound when none is installed."""
        return active_catalogue(uow=self.uow())

    def installed_catalogue(self) -> StoredCatalogue | None:
        """The active catalogue, None before one is installed."""
        with self.uow() as uow:
            return uow.catalogues.latest()

    def install_catalogue(self, catalogue: Catalogue, *, source: str) -> int:
        """Store `catalogue` as the newest version; returns its version id."""
        return install_catalogue(catalogue, source=source, uow=self.uow(), now=self.clock.now())

    def install_catalogue_file(self, path: Path | None) -> int:
        """Validate and store a catalogue file (None: the packaged default); its version id."""
        return install_catalogue_file(path, uow=self.uow(), now=self.clock.now())

    def monitoring_config(self) -> MonitoringConfig:
        if self.monitoring is not None:
            return self.monitoring
        path = self.settings.monitoring_file
        return MonitoringConfig() if path is None else load_monitoring_config(path)
