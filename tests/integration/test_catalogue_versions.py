"""Stored catalogue versions: the newest is the one in use and every version reads back as
stored, though a process parses each content once (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

from tests.builders import NOW
from tradelane.files.catalogue_file import default_catalogue
from tradelane.store.uow import UnitOfWork


def test_each_version_reads_back_as_stored_and_a_newer_one_takes_over(uow: UnitOfWork) -> None:
    first = default_catalogue()
    second = first.model_copy(update={"name": "narrower", "channels": first.channels[:2]})
    with uow:
        first_id = uow.catalogues.add(first, source="first", now=NOW)
        uow.commit()
        before = uow.catalogues.latest()
        second_id = uow.catalogues.add(second, source="second", now=NOW + timedelta(hours=1))
        uow.commit()
        after = uow.catalogues.latest()
        again = uow.catalogues.get(first_id)
    assert before is not None and after is not None
    assert (before.version_id, before.source, before.catalogue) == (first_id, "first", first)
    assert (after.version_id, after.source, after.catalogue) == (second_id, "second", second)
    assert [c.id for c in after.catalogue.channels] == [c.id for c in first.channels[:2]]
    assert (again.version_id, again.loaded_at, again.catalogue) == (first_id, NOW, first)
