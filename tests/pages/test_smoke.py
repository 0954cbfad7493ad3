"""Every registered page renders for the roles that may use it and is absent for the others,
and reads plainly in English: no raw keys, None, booleans, dicts, JSON, Korean interface
strings or Korean counting words (tests/plain_words.py). The Korean pages are read in Chromium
with axe-core (tests/e2e/test_plain_pages.py); the markup, and so what axe-core judges, is the
same in both languages, and every word a page sends is in AppTest's element tree
(tests/pages/plain_read.py), so the English reading needs no browser.

One copy of the seeded demo (tests/conftest.py ``seeded_demo``) for the whole module.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import col, select
from streamlit.testing.v1 import AppTest

from contest.core.config import Settings
from contest.core.i18n import t
from contest.core.models import Entry, Role, User
from contest.demo.seed import DEMO_PASSWORD
from contest.runtime import build_runtime
from tests.conftest import demo_copy_in
from tests.pages.plain_read import read
from tests.pages.support import APP, button
from tests.plain_words import leftovers
from ui.nav import ENTRY, ENTRY_PARAM, PAGES, pages_for

ROOT = Path(__file__).resolve().parents[2]
DEMO_LOGINS = {Role.STAFF: "D1001", Role.JUDGE: "D2001", Role.ADMIN: "D9001"}
CASES = [(role, spec.path) for role in DEMO_LOGINS for spec in PAGES]


@pytest.fixture(scope="module")
def demo_users(
    tmp_path_factory: pytest.TempPathFactory, seeded_demo: Path
) -> Iterator[dict[str, int]]:
    """Demo-mode environment (like the ``app_env`` fixture) on one copy of the seeded demo for
    the module; user ids by login."""
    data = demo_copy_in(seeded_demo, tmp_path_factory.mktemp("appdata"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CONTEST_DATA_DIR", str(data))
        patch.setenv("CONTEST_DEMO", "true")
        patch.delenv("CONTEST_DATABASE_URL", raising=False)
        patch.chdir(ROOT)
        runtime = build_runtime(Settings())
        with runtime.session() as session:
            ids = {u.employee_no: u.id or 0 for u in session.exec(select(User)).all()}
        runtime.engine.dispose()
        yield ids


def app() -> AppTest:
    return AppTest.from_file(str(APP), default_timeout=60)


def signed_in(demo_users: dict[str, int], login: str, lang: str = "ko") -> AppTest:
    at = app()
    at.session_state["lang_switch"] = lang
    at.session_state["user_id"] = demo_users[login]
    at.session_state["sign_in_epoch"] = 0  # demo users never signed out
    return at.run()


def through_router(at: AppTest) -> AppTest:
    """Run app.py again after a page called st.rerun (AppTest then stays on the page file)."""
    return at.switch_page("app.py").run()


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "markdown", "caption", "error") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize(("role", "path"), CASES, ids=[f"{r.value}-{p}" for r, p in CASES])
def test_page_renders_or_is_absent_for_each_role(
    demo_users: dict[str, int], role: Role, path: str
) -> None:
    """Each page in a session of its own: AppTest formats a select box's choice (the gallery's
    order) outside the app's run, so in Korean, and a later run in that session would fail."""
    at = signed_in(demo_users, DEMO_LOGINS[role], "en")
    forget_language(DEMO_LOGINS[role])  # a signed-in user's switch is saved with the account
    assert not at.exception
    assert leftovers(read(at), "en") == []  # the home page and the sidebar
    allowed = path in {spec.path for spec in pages_for(role)}
    if allowed:
        if path == ENTRY:
            at.query_params[ENTRY_PARAM] = str(first_entry_id())
        at.switch_page(path).run()
        assert not at.exception, [e.value for e in at.exception]
        assert leftovers(read(at), "en") == []
    else:
        with pytest.raises(ValueError, match="navigation page"):
            at.switch_page(path)


def forget_language(login: str) -> None:
    with build_runtime(Settings()).session() as session:
        user = session.exec(select(User).where(User.employee_no == login)).one()
        user.language = None
        session.add(user)


def first_entry_id() -> int:
    with build_runtime(Settings()).session() as session:
        entry = session.exec(select(Entry).order_by(col(Entry.number))).first()
        return (entry.id if entry else None) or 0


def test_the_sign_in_page_reads_plainly_in_english(demo_users: dict[str, int]) -> None:
    at = app()
    at.session_state["lang_switch"] = "en"
    at.run()
    assert not at.exception
    assert leftovers(read(at), "en") == []


def test_the_reading_finds_korean_interface_words(demo_users: dict[str, int]) -> None:
    """The check can fail: the Korean sign-in page, read as if it were English, is caught."""
    found = leftovers(read(app().run()), "en")
    assert any(said.startswith("other language") for said in found), found


def test_admin_pages_are_for_admins_only() -> None:
    admin_paths = {"pages/admin_contest.py", "pages/admin_users.py"}
    for role in (Role.STAFF, Role.JUDGE):
        assert not admin_paths & {spec.path for spec in pages_for(role)}
    assert admin_paths <= {spec.path for spec in pages_for(Role.ADMIN)}


def test_sign_in_page_shows_demo_credentials(demo_users: dict[str, int]) -> None:
    at = app().run()
    assert not at.exception
    table = at.table[0].value
    cells = table.astype(str).to_numpy().ravel().tolist()
    assert {"D1001", "D2001", "D9001", DEMO_PASSWORD} <= set(cells)


def sign_in_form(at: AppTest, login: str, password: str) -> AppTest:
    at.text_input(key="login").input(login)
    at.text_input(key="password").input(password)
    return button(at, t("auth.sign_in", "ko")).click().run()


def test_signing_in_through_the_form_lands_on_home(demo_users: dict[str, int]) -> None:
    at = sign_in_form(app().run(), "D1001", DEMO_PASSWORD)
    assert not at.exception and not at.error
    assert at.session_state["user_id"] == demo_users["D1001"]
    through_router(at)
    assert "AI 혁신 포스터 경진대회" in at.title[0].value
    assert t("home.submission_window", "ko") in texts(at)


def test_wrong_password_shows_the_korean_error(demo_users: dict[str, int]) -> None:
    at = sign_in_form(app().run(), "D1002", "not-the-password-1")
    assert [e.value for e in at.error] == [t("error.auth_failed", "ko")]
    assert "user_id" not in at.session_state


def test_language_switch_turns_home_english(demo_users: dict[str, int]) -> None:
    """The switch's own widget key is set before the run: AppTest's later runs re-execute only
    the page file, not app.py where the switch lives. Clicking it is in tests/e2e too."""
    at = signed_in(demo_users, "D1001")
    assert at.button_group(key="lang_switch").value == "ko"
    assert t("home.submission_window", "ko") in texts(at)
    at = app()
    at.session_state["user_id"] = demo_users["D1001"]
    at.session_state["sign_in_epoch"] = 0  # demo users never signed out
    at.session_state["lang_switch"] = "en"
    at.run()
    assert not at.exception
    assert at.session_state["lang"] == "en"
    assert t("home.submission_window", "en") in texts(at)
    assert t("home.submission_window", "ko") not in texts(at)
    assert at.button(key="sign_out").label == t("auth.sign_out", "en")
