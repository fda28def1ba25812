"""API keys for tests: a key of a role for a tenant, and the header that sends it."""

from __future__ import annotations

from tradelane.bootstrap import Application
from tradelane.domain.access import Role
from tradelane.store.tenancy import DEFAULT_TENANT


def key_for(system: Application, role: Role = Role.ADMIN, tenant: str = DEFAULT_TENANT) -> str:
    return system.create_key(tenant, role, environment="test", label="tests").key


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def admin_headers(system: Application, tenant: str = DEFAULT_TENANT) -> dict[str, str]:
    return bearer(key_for(system, Role.ADMIN, tenant))


def viewer_headers(system: Application, tenant: str = DEFAULT_TENANT) -> dict[str, str]:
    return bearer(key_for(system, Role.VIEWER, tenant))
