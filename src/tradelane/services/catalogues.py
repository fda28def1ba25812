"""Load a catalogue into the store; read the active (latest) catalogue back."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from tradelane.domain.catalog import Catalogue
from tradelane.domain.errors import NotFound
from tradelane.files.catalogue_file import default_catalogue, load_catalogue
from tradelane.services.ports import CatalogueWork
from tradelane.store.repositories import StoredCatalogue

__all__ = ["active_catalogue", "install_catalogue", "install_catalogue_file"]


def install_catalogue(
    catalogue: Catalogue, *, source: str, uow: CatalogueWork, now: datetime
) -> int:
    """Store `catalogue` as the newest version; returns its version id."""
    with uow:
        version = uow.catalogues.add(catalogue, source=source, now=now)
        uow.commit()
    return version


def install_catalogue_file(path: Path | None, *, uow: CatalogueWork, now: datetime) -> int:
    """Validate and store a catalogue file (the packaged default when `path` is None)."""
    catalogue = default_catalogue() if path is None else load_catalogue(path)
    return install_catalogue(catalogue, source=str(path or "default"), uow=uow, now=now)


def active_catalogue(*, uow: CatalogueWork) -> StoredCatalogue:
    with uow:
        stored = uow.catalogues.latest()
    if stored is None:
        raise NotFound("catalogue", "active (run `tradelane init` first)")
    return stored
