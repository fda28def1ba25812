"""Stored A/B tests: one row per experiment, its design kept as JSON. Each tenant names,
reads and changes only its own experiments (store/tenancy.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Connection, insert, select, update

from tradelane.domain.errors import Conflict, NotFound
from tradelane.optimization.experiment_design import Experiment
from tradelane.store.tables import experiments
from tradelane.store.tenancy import tenant_owns

__all__ = ["ExperimentRepository"]


class ExperimentRepository:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, experiment: Experiment, *, now: datetime) -> None:
        """Store a new experiment; Conflict when its id is taken."""
        taken = select(experiments.c.id).where(_owned(experiment.id))
        if self._c.execute(taken).first() is not None:
            raise Conflict(f"experiment {experiment.id!r} already exists")
        row = {
            "id": experiment.id,
            "status": _status(experiment),
            "created_at": now,
            "document": experiment.model_dump(mode="json"),
        }
        self._c.execute(insert(experiments).values(row))

    def get(self, experiment_id: str) -> Experiment:
        row = self._c.execute(select(experiments.c.document).where(_owned(experiment_id))).first()
        if row is None:
            raise NotFound("experiment", experiment_id)
        return Experiment.model_validate(row.document)

    def save(self, experiment: Experiment) -> None:
        """Replace a stored experiment's design (stop, new Thompson shares)."""
        statement = update(experiments).where(_owned(experiment.id))
        values = {"status": _status(experiment), "document": experiment.model_dump(mode="json")}
        self._c.execute(statement.values(values))

    def all(self) -> list[Experiment]:
        query = select(experiments.c.document).where(tenant_owns(experiments.c.tenant_id))
        rows = self._c.execute(query.order_by(experiments.c.created_at, experiments.c.id))
        return [Experiment.model_validate(row.document) for row in rows]


def _owned(experiment_id: str) -> ColumnElement[bool]:
    return (experiments.c.id == experiment_id) & tenant_owns(experiments.c.tenant_id)


def _status(experiment: Experiment) -> str:
    return "running" if experiment.stopped_at is None else "stopped"
