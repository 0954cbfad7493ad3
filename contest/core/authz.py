"""Role checks every service makes itself, whatever the page shows."""

from __future__ import annotations

from contest.core.errors import NotSignedIn, PermissionDenied
from contest.core.models import Role, User

# Judges and admins are city staff too: they may submit and vote like anyone else.
STAFF_ROLES = frozenset({Role.STAFF, Role.JUDGE, Role.ADMIN})


def require_role(actor: User | None, *roles: Role) -> User:
    """Return the actor if active and holding one of ``roles``; raise otherwise."""
    if actor is None:
        raise NotSignedIn()
    if not actor.is_active or Role(actor.role) not in roles:
        raise PermissionDenied()
    return actor


def require_staff(actor: User | None) -> User:
    return require_role(actor, *STAFF_ROLES)


def require_admin(actor: User | None) -> User:
    return require_role(actor, Role.ADMIN)


def require_judge(actor: User | None) -> User:
    return require_role(actor, Role.JUDGE)
