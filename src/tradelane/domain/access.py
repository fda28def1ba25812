"""Who may do what: roles of an API key and the actions they allow.

viewer   read everything of its tenant
operator viewer + work alerts, force / pin / release switches, import and ship orders
admin    operator + catalogues, rules and API keys
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tradelane.domain.errors import Forbidden, ValidationError

__all__ = ["Action", "Principal", "Role", "parse_role"]


class Action(StrEnum):
    READ = "read"
    OPERATE = "operate"
    ADMINISTER = "administer"


class Role(StrEnum):
    VIEWER = "viewer"
    OPERATOR = "operator"
    ADMIN = "admin"

    def allows(self, action: Action) -> bool:
        return action in _ALLOWED[self]


_ALLOWED: dict[Role, frozenset[Action]] = {
    Role.VIEWER: frozenset({Action.READ}),
    Role.OPERATOR: frozenset({Action.READ, Action.OPERATE}),
    Role.ADMIN: frozenset(Action),
}


def parse_role(text: str, *, field: str = "role") -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise ValidationError(
            f"unknown role; choose one of {choices}", field=field, value=text
        ) from None


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: its tenant, its role and the key it used."""

    tenant_id: str
    role: Role
    key_id: str

    def require(self, action: Action) -> None:
        """Forbidden unless the role allows `action`."""
        if not self.role.allows(action):
            raise Forbidden(f"role {self.role.value} may not {action.value} (key {self.key_id})")
