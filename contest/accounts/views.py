"""What a user's own account screen and the admin's roster screen show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from contest.accounts.users import get_user, list_users
from contest.core.authz import require_admin, require_staff
from contest.core.models import User


def account_view(session: Session, *, actor: User | None) -> User:
    """The signed-in user's own record, read fresh."""
    user = require_staff(actor)
    return get_user(session, user.id or 0)


@dataclass(frozen=True)
class UsersView:
    users: Sequence[User]  # by department, then name
    me: int  # the admin looking, who cannot demote or deactivate themselves


def users_view(session: Session, *, actor: User | None, search: str = "") -> UsersView:
    admin = require_admin(actor)
    return UsersView(users=list_users(session, actor=admin, search=search), me=admin.id or 0)
