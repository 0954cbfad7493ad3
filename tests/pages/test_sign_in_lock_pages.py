"""Where a sign-in comes from (behind nginx: X-Forwarded-For from a trusted proxy only), and the
admin's users page showing a sign-in lock and lifting it."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from contest.accounts.users import authenticate
from contest.core.errors import AuthFailed
from contest.core.i18n import t
from tests.factories import user_id_of
from tests.pages.support import button, demo_app, demo_runtime, sign_in_as
from ui.client import client_address

TRUSTED = "127.0.0.1,::1"


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "client"),
    [
        (None, [], TRUSTED, "127.0.0.1"),  # on this machine, no proxy
        ("198.51.100.7", [], TRUSTED, "198.51.100.7"),  # straight to the replica
        ("198.51.100.7", ["10.0.0.1"], TRUSTED, "198.51.100.7"),  # not a proxy: header ignored
        (None, ["6.6.6.6, 10.20.30.40"], TRUSTED, "10.20.30.40"),  # nginx appended the client
        (None, ["6.6.6.6", "10.20.30.40"], TRUSTED, "10.20.30.40"),  # two header lines
        ("10.0.0.2", ["1.1.1.1, 10.20.30.40"], "10.0.0.0/24", "10.20.30.40"),  # nginx elsewhere
        ("10.0.0.2", ["1.1.1.1, 10.0.0.3"], "10.0.0.0/24", "1.1.1.1"),  # two proxies in a row
        (None, ["[::ffff:203.0.113.9]"], TRUSTED, "203.0.113.9"),
        (None, ["not-an-address"], TRUSTED, ""),
    ],
)
def test_the_client_is_read_from_a_trusted_proxy_only(
    peer: str | None, forwarded: list[str], trusted: str, client: str
) -> None:
    assert client_address(peer, forwarded, trusted) == client


def test_an_admin_sees_a_sign_in_lock_and_lifts_it(app_env: Path) -> None:
    demo_app()
    runtime = demo_runtime()
    for _ in range(5):
        with pytest.raises(AuthFailed), runtime.session() as session:
            authenticate(session, login="D1001", password="wrong-guess", address="203.0.113.5")
    at = AppTest.from_file(str(Path(__file__).parents[2] / "app.py"), default_timeout=180)
    at.run()
    sign_in_as(at, "D9001")
    at.switch_page("pages/admin_users.py").run()
    table = at.dataframe[0].value
    column = t("users.locked", "ko")
    locked = table[table[t("users.employee_no", "ko")] == "D1001"][column].iloc[0]
    assert locked != "—"
    at.selectbox(key="user_choice").set_value(user_id_of(runtime, "D1001")).run()
    unlock = button(at, t("users.unlock", "ko"))
    assert not unlock.disabled
    unlock.click().run()
    assert not at.exception
    table = at.dataframe[0].value
    assert set(table[column]) == {"—"}
    with runtime.session() as session:  # the guessed-at colleague signs in at once
        assert authenticate(
            session, login="D1001", password="demo-pass-2026", address="203.0.113.5"
        )
