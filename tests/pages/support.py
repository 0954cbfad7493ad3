"""AppTest helpers the page tests share: the app on the demo data folder, signing in, reading back.

They work in the environment the ``app_env`` fixture sets (demo mode in a temporary data folder),
where the app's first run seeds the demo contest.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import col, select
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button

from contest.core.config import Settings
from contest.core.models import Entry
from contest.runtime import Runtime, build_runtime
from tests.factories import user_id_of

APP = Path(__file__).resolve().parents[2] / "app.py"


def demo_runtime() -> Runtime:
    """The runtime of the data folder the environment names (the one the app under test uses)."""
    return build_runtime(Settings())


def demo_app() -> AppTest:
    """app.py after its first run, which seeds the demo contest on an empty database."""
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.run()
    return at


def sign_in_as(at: AppTest, employee_no: str) -> int:
    """Put the demo user with this employee number in the session and run again (which
    registers their pages); their id."""
    user_id = user_id_of(demo_runtime(), employee_no)
    at.session_state["user_id"] = user_id
    at.session_state["sign_in_epoch"] = 0  # demo users never signed out
    at.run()
    return user_id


def signed_in_session(employee_no: str) -> AppTest:
    """A fresh browser session that signed in as this demo user before its first run, so app.py
    itself (the router and the sidebar) runs signed in. The demo is seeded first."""
    demo_app()
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.session_state["user_id"] = user_id_of(demo_runtime(), employee_no)
    at.session_state["sign_in_epoch"] = 0  # demo users never signed out
    return at.run()


def entries(**where: object) -> list[Entry]:
    """The demo database's entries whose columns equal ``where``, by number."""
    with demo_runtime().session() as session:
        query = select(Entry).order_by(col(Entry.number))
        for name, value in where.items():
            query = query.where(getattr(Entry, name) == value)
        return list(session.exec(query).all())


def button(at: AppTest, label: str) -> Button:
    """The first button with this label."""
    return next(b for b in at.button if b.label == label)
