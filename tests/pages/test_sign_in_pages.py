"""AppTest: an open session ends on its next rerun once its user signed out elsewhere or an
admin changed the account; a sign-out ends the user's sessions everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from contest.accounts.remember import sign_out
from contest.accounts.users import set_role
from contest.core.config import Settings
from contest.core.models import Role, User
from contest.runtime import build_runtime
from tests.pages.test_gallery_pages import APP, demo_app

pytestmark = pytest.mark.usefixtures("app_env")


def _user(employee_no: str) -> User:
    with build_runtime(Settings()).session() as session:
        return session.exec(select(User).where(User.employee_no == employee_no)).one()


def signed_in(employee_no: str) -> AppTest:
    """A browser session that signed in as a demo user (the demo is seeded first)."""
    demo_app()
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.session_state["user_id"] = _user(employee_no).id
    at.session_state["sign_in_epoch"] = 0
    return at.run()


def _signed_out(at: AppTest) -> bool:
    """The session forgot its user and the page drew nothing of theirs (AppTest reruns only the
    page file; in a browser the router then shows the sign-in form)."""
    return not at.exception and "user_id" not in at.session_state and not at.title


def test_signing_out_on_one_device_ends_the_other(app_env: Path) -> None:
    """The phone's sign-out button runs remember.sign_out (clicked for real in
    tests/e2e/test_remember.py); the laptop's open session ends on its next rerun."""
    laptop = signed_in("D1001")
    assert not _signed_out(laptop)
    with build_runtime(Settings()).session() as session:
        sign_out(session, actor=_user("D1001"))
    assert _signed_out(laptop.run())


def test_a_role_change_ends_open_sessions(app_env: Path) -> None:
    at = signed_in("D1002")
    assert not _signed_out(at)
    with build_runtime(Settings()).session() as session:
        admin = session.exec(select(User).where(User.employee_no == "D9001")).one()
        set_role(session, actor=admin, user_id=_user("D1002").id or 0, role=Role.JUDGE)
    assert _signed_out(at.run())
