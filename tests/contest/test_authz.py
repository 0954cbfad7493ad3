"""Every admin service checks the actor itself, whatever the page shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session, func, select

from contest.accounts import users as accounts
from contest.accounts.roster import import_roster
from contest.contests import manage as contests
from contest.core import audit
from contest.core.authz import require_admin, require_judge, require_staff
from contest.core.errors import NotSignedIn, PermissionDenied
from contest.core.models import AuditEvent, Contest, Role, User
from contest.runtime import Runtime
from tests.factories import create_contest, create_user

ROSTER = "사번,이름,부서,이메일\n5001,홍길동,총무과,hong@incheon.go.kr\n".encode()

# Each admin service, called with everything but the actor.
AdminCall = Callable[[Session, User | None, dict[str, int]], Any]
ADMIN_CALLS: dict[str, AdminCall] = {
    "list_users": lambda s, a, ids: accounts.list_users(s, actor=a),
    "set_role": lambda s, a, ids: accounts.set_role(
        s, actor=a, user_id=ids["target"], role=Role.ADMIN
    ),
    "set_active": lambda s, a, ids: accounts.set_active(
        s, actor=a, user_id=ids["target"], active=False
    ),
    "reset_password": lambda s, a, ids: accounts.reset_password(s, actor=a, user_id=ids["target"]),
    "import_roster": lambda s, a, ids: import_roster(s, actor=a, data=ROSTER),
    "create_contest": lambda s, a, ids: contests.create_contest(
        s, actor=a, name="몰래 만든 대회", year=2027, slug="sneaky-2027"
    ),
    "update_settings": lambda s, a, ids: contests.update_settings(
        s, actor=a, contest_id=ids["contest"], changes={"votes_per_voter": 99}, reason="확대"
    ),
    "set_current": lambda s, a, ids: contests.set_current(s, actor=a, contest_id=ids["other"]),
    "audit.list_events": lambda s, a, ids: audit.list_events(s, actor=a),
}


def one_of_each_role(runtime: Runtime) -> dict[str, int]:
    """Ids of a staff member, a judge, an admin, an inactive admin, a target user, the current
    contest and another one."""
    with runtime.session() as session:
        users = {
            "staff": create_user(session),
            "judge": create_user(session, role=Role.JUDGE),
            "admin": create_user(session, role=Role.ADMIN),
            "inactive_admin": create_user(session, role=Role.ADMIN, is_active=False),
            "target": create_user(session),
        }
        ids = {name: user.id or 0 for name, user in users.items()}
        ids["contest"] = create_contest(session).id or 0
        ids["other"] = create_contest(session, current=False).id or 0
    return ids


def _snapshot(session: Session) -> tuple[Any, ...]:
    count = lambda model: session.exec(select(func.count()).select_from(model)).one()  # noqa: E731
    target = session.exec(select(User).where(User.email == "hong@incheon.go.kr")).first()
    current = session.exec(select(Contest.id).where(Contest.is_current)).all()
    return count(User), count(Contest), count(AuditEvent), target, current


@pytest.mark.parametrize("who", ["staff", "judge", "inactive_admin", None])
@pytest.mark.parametrize("call", list(ADMIN_CALLS))
def test_admin_services_refuse_everyone_else(runtime: Runtime, who: str | None, call: str) -> None:
    world = one_of_each_role(runtime)
    with runtime.session() as session:
        before = _snapshot(session)
        actor = session.get(User, world[who]) if who else None
        expected = NotSignedIn if who is None else PermissionDenied
        with pytest.raises(expected):
            ADMIN_CALLS[call](session, actor, world)
    with runtime.session() as session:
        assert _snapshot(session) == before
        target = session.get(User, world["target"])
        assert target is not None and target.role == "staff" and target.is_active


@pytest.mark.parametrize("call", list(ADMIN_CALLS))
def test_an_active_admin_may(runtime: Runtime, call: str) -> None:
    world = one_of_each_role(runtime)
    with runtime.session() as session:
        ADMIN_CALLS[call](session, session.get(User, world["admin"]), world)


def test_role_checks() -> None:
    staff = User(employee_no="1", name="a", department="d", email="a@x.kr", role="staff")
    judge = User(employee_no="2", name="b", department="d", email="b@x.kr", role="judge")
    admin = User(employee_no="3", name="c", department="d", email="c@x.kr", role="admin")
    for user in (staff, judge, admin):
        assert require_staff(user) is user
    assert require_judge(judge) is judge and require_admin(admin) is admin
    for check, refused in ((require_judge, (staff, admin)), (require_admin, (staff, judge))):
        for user in refused:
            with pytest.raises(PermissionDenied):
                check(user)
    admin.is_active = False
    with pytest.raises(PermissionDenied):
        require_staff(admin)
    for check in (require_staff, require_judge, require_admin):
        with pytest.raises(NotSignedIn):
            check(None)
