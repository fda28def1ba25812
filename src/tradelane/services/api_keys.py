"""API keys per tenant: create (shown once), list, revoke, and authenticate a request's key.

A key reads `tl_<test|live>_<key id>_<secret>`; only its SHA-256 is stored, so a lost key
cannot be shown again, only revoked and replaced. Revocation holds from the next request on
(keys are looked up on every request, never cached). Keys are long random tokens, so a plain
SHA-256 (no slow password hash) is enough to make the stored value useless to a reader.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from tradelane.domain.access import Principal, Role
from tradelane.domain.errors import Unauthorized, ValidationError
from tradelane.services.ports import KeyWork
from tradelane.store.key_repository import StoredKey
from tradelane.store.tenancy import TENANT_ID_MAX

__all__ = [
    "ENVIRONMENTS",
    "CreatedKey",
    "authenticate",
    "check_tenant_id",
    "create_key",
    "list_keys",
    "revoke_key",
]

ENVIRONMENTS = ("test", "live")
_KEY = re.compile(r"^tl_(test|live)_([0-9a-f]{12})_([A-Za-z0-9_-]{20,100})$")
_TENANT = re.compile(rf"^[a-z0-9][a-z0-9-]{{0,{TENANT_ID_MAX - 1}}}$")


@dataclass(frozen=True)
class CreatedKey:
    """The stored key and the key itself, which is never shown again."""

    stored: StoredKey
    key: str


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_tenant_id(tenant_id: str) -> str:
    if not _TENANT.match(tenant_id):
        raise ValidationError(
            "a tenant id is lower-case letters, digits and '-' (at most 64)",
            field="tenant",
            value=tenant_id,
        )
    return tenant_id


def create_key(
    tenant_id: str,
    role: Role,
    *,
    environment: str,
    uow: KeyWork,
    now: datetime,
    label: str = "",
    token: Callable[[int], str] = secrets.token_urlsafe,
) -> CreatedKey:
    """A new key for `tenant_id` (created if new); the tenant and key land in one commit."""
    if environment not in ENVIRONMENTS:
        raise ValidationError("choose test or live", field="environment", value=environment)
    key_id = token(9).encode().hex()[:12]
    key = f"tl_{environment}_{key_id}_{token(32)}"
    stored = StoredKey(
        key_id=key_id,
        tenant_id=check_tenant_id(tenant_id),
        role=role,
        environment=environment,
        secret_sha256=_sha256(key),
        label=label[:100],
        created_at=now,
        revoked_at=None,
    )
    with uow:
        uow.keys.ensure_tenant(stored.tenant_id, now=now)
        uow.keys.add(stored)
        uow.commit()
    return CreatedKey(stored, key)


def list_keys(*, uow: KeyWork, tenant_id: str | None = None) -> list[StoredKey]:
    with uow:
        return uow.keys.all(tenant_id=tenant_id)


def revoke_key(key_id: str, *, uow: KeyWork, now: datetime) -> StoredKey:
    with uow:
        revoked = uow.keys.revoke(key_id, now=now)
        uow.commit()
    return revoked


def authenticate(key: str, *, uow: KeyWork) -> Principal:
    """The caller a key stands for; Unauthorized when it is malformed, unknown or revoked."""
    found = _KEY.match(key)
    if found is None:
        raise Unauthorized("not a tradelane API key (tl_test_... or tl_live_...)")
    with uow:
        stored = uow.keys.find(found.group(2))
    if stored is None or not hmac.compare_digest(stored.secret_sha256, _sha256(key)):
        raise Unauthorized("unknown API key")
    if stored.revoked_at is not None:
        raise Unauthorized(f"API key {stored.key_id} was revoked")
    return Principal(stored.tenant_id, stored.role, stored.key_id)
