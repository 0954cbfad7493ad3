"""What a user's own account screen and the admin's roster screen show."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from contest.accounts.throttle import account_of, locks
from contest.accounts.users import get_user, list_users
from contest.core.authz import require_admin, require_staff
from contest.core.models import User
from contest.core.timeutil import utcnow


def account_view(session: Session, *, actor: User | None) -> User:
    """The signed-in user's own record, read fresh."""
    user = require_staff(actor)
    return get_user(session, user.id or 0)


@dataclass(frozen=True)
class UsersView:
    users: Sequence[User]  # by department, then name
    me: int  # the admin looking, who cannot demote or deactivate themselves
    locked: Mapping[int, datetime]  # user id -> until when failed sign-ins hold them off


def users_view(
    session: Session, *, actor: User | None, search: str = "", now: datetime | None = None
) -> UsersView:
    admin = require_admin(actor)
    found = list_users(session, actor=admin, search=search)
    held = locks(session, now or utcnow())
    locked = {u.id or 0: held[a] for u in found if (a := account_of(u, "")) in held}
    return UsersView(users=found, me=admin.id or 0, locked=locked)
