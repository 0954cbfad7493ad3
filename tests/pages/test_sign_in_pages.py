"""AppTest: an open session ends on its next rerun once its user signed out elsewhere or an
admin changed the account; a sign-out ends the user's sessions everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from contest.accounts.remember import sign_out
from contest.accounts.users import set_role
from contest.core.models import Role, User
from tests.pages.support import demo_runtime, signed_in_session

pytestmark = pytest.mark.usefixtures("app_env")


def _user(employee_no: str) -> User:
    with demo_runtime().session() as session:
        return session.exec(select(User).where(User.employee_no == employee_no)).one()


def _signed_out(at: AppTest) -> bool:
    """The session forgot its user and the page drew nothing of theirs (AppTest reruns only the
    page file; in a browser the router then shows the sign-in form)."""
    return not at.exception and "user_id" not in at.session_state and not at.title


def test_signing_out_on_one_device_ends_the_other(app_env: Path) -> None:
    """The phone's sign-out button runs remember.sign_out (clicked for real in
    tests/e2e/test_remember.py); the laptop's open session ends on its next rerun."""
    laptop = signed_in_session("D1001")
    assert not _signed_out(laptop)
    with demo_runtime().session() as session:
        sign_out(session, actor=_user("D1001"))
    assert _signed_out(laptop.run())


def test_a_role_change_ends_open_sessions(app_env: Path) -> None:
    at = signed_in_session("D1002")
    assert not _signed_out(at)
    with demo_runtime().session() as session:
        admin = session.exec(select(User).where(User.employee_no == "D9001")).one()
        set_role(session, actor=admin, user_id=_user("D1002").id or 0, role=Role.JUDGE)
    assert _signed_out(at.run())
