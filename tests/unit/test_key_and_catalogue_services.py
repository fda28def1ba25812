"""API keys and catalogues on a fake unit of work: created, authenticated, revoked and
installed through the services' ports, without a database."""

from __future__ import annotations

import pytest

from tests.builders import NOW
from tests.fake_uow import FakeUnitOfWork
from tradelane.domain.access import Role
from tradelane.domain.errors import NotFound, Unauthorized, ValidationError
from tradelane.files.catalogue_file import default_catalogue
from tradelane.services.api_keys import authenticate, create_key, list_keys, revoke_key
from tradelane.services.catalogues import active_catalogue, install_catalogue


def test_a_created_key_authenticates_as_its_tenant_and_role_until_revoked() -> None:
    uow = FakeUnitOfWork()
    created = create_key("acme", Role.OPERATOR, environment="test", uow=uow, now=NOW)
    assert created.key.startswith(f"tl_test_{created.stored.key_id}_")
    assert created.stored.secret_sha256 not in created.key  # only the hash is kept
    assert uow.keys.tenants == {"acme"} and uow.commits == 1
    caller = authenticate(created.key, uow=uow)
    assert (caller.tenant_id, caller.role) == ("acme", Role.OPERATOR)
    revoke_key(created.stored.key_id, uow=uow, now=NOW)
    with pytest.raises(Unauthorized, match="revoked"):
        authenticate(created.key, uow=uow)
    assert [k.revoked_at for k in list_keys(uow=uow, tenant_id="acme")] == [NOW]


def test_a_key_with_a_changed_secret_or_unknown_id_is_refused() -> None:
    uow = FakeUnitOfWork()
    created = create_key("acme", Role.VIEWER, environment="live", uow=uow, now=NOW)
    forged = created.key[:-4] + "AAAA"
    for key in (forged, "tl_live_000000000000_" + "x" * 43, "nonsense"):
        with pytest.raises(Unauthorized):
            authenticate(key, uow=uow)


def test_a_bad_tenant_or_environment_stores_nothing() -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(ValidationError) as bad_tenant:
        create_key("Acme Corp", Role.ADMIN, environment="live", uow=uow, now=NOW)
    with pytest.raises(ValidationError) as bad_environment:
        create_key("acme", Role.ADMIN, environment="prod", uow=uow, now=NOW)
    assert (bad_tenant.value.field, bad_environment.value.field) == ("tenant", "environment")
    assert uow.keys.rows == {} and uow.commits == 0


def test_revoking_an_unknown_key_is_not_found() -> None:
    with pytest.raises(NotFound):
        revoke_key("0" * 12, uow=FakeUnitOfWork(), now=NOW)


def test_the_latest_installed_catalogue_is_active() -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(NotFound):
        active_catalogue(uow=uow)
    house = default_catalogue()
    install_catalogue(house, source="first", uow=uow, now=NOW)
    second = house.model_copy(update={"name": "second"})
    version = install_catalogue(second, source="second", uow=uow, now=NOW)
    active = active_catalogue(uow=uow)
    assert (active.version_id, active.catalogue.name, active.source) == (
        version,
        "second",
        "second",
    )
