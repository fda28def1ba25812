"""A tenant's webhook subscriptions through the service: each tenant lists and deletes only its
own, and has at most MAX_PER_TENANT."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.builders import NOW
from tradelane.domain.errors import Conflict, NotFound
from tradelane.notifications.subscriptions import MAX_PER_TENANT
from tradelane.services.webhook_subscriptions import subscribe, subscriptions, unsubscribe
from tradelane.store.uow import UnitOfWork


def test_a_tenant_lists_and_deletes_only_its_own(engine: Engine) -> None:
    a, b = UnitOfWork(engine, tenant="a"), UnitOfWork(engine, tenant="b")
    mine, secret = subscribe("https://a.example/hook", topics=None, uow=a, now=NOW)
    assert secret.startswith("whsec_") and subscriptions(uow=b) == []
    with pytest.raises(NotFound):
        unsubscribe(mine.id, uow=b, now=NOW)
    assert subscriptions(uow=a) == [mine]
    unsubscribe(mine.id, uow=a, now=NOW)
    assert subscriptions(uow=a) == []
    with pytest.raises(NotFound):
        unsubscribe(mine.id, uow=a, now=NOW)  # deleting twice: nothing left to delete


def test_a_tenant_has_at_most_the_cap_of_subscriptions(engine: Engine) -> None:
    a = UnitOfWork(engine, tenant="a")
    for n in range(MAX_PER_TENANT):
        subscribe(f"https://a.example/{n}", topics=None, uow=a, now=NOW)
    with pytest.raises(Conflict):
        subscribe("https://a.example/more", topics=None, uow=a, now=NOW)
    subscribe("https://b.example/hook", topics=None, uow=UnitOfWork(engine, tenant="b"), now=NOW)
