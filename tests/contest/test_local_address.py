"""The guard against QR codes for this machine decides by parsing and resolving the address,
not by its spelling (127.1, localhost., 0, 2130706433 and [::ffff:127.0.0.1] used to pass)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from contest.core.errors import InvalidState
from contest.core.models import Role
from contest.exhibition.displays import create_display
from contest.exhibition.links import is_local
from contest.runtime import build_runtime
from tests.factories import create_contest, create_user, make_settings

THIS_MACHINE = [
    "http://127.0.0.1:8501",
    "http://127.1",
    "http://127.0.1",
    "http://0",
    "http://0.0.0.0",
    "http://2130706433",
    "http://0x7f000001",
    "http://0x7f.1",
    "http://017700000001",
    "http://localhost",
    "http://LocalHost.:8501",
    "http://kiosk.localhost",
    "http://[::1]:8501",
    "http://[::]",
    "http://[::ffff:127.0.0.1]",
    "http://[::ffff:7f00:1]",
    "http://[0:0:0:0:0:ffff:127.0.0.2]",
]
ELSEWHERE = [
    "https://poster.incheon.go.kr",  # not resolvable here: never refused for that
    "http://10.20.30.40",
    "http://192.168.0.7:8501",
    "http://[2001:db8::7]",
    "http://[::ffff:10.0.0.1]",
]


@pytest.mark.parametrize("address", THIS_MACHINE)
def test_every_form_of_this_machine_is_refused(address: str) -> None:
    assert is_local(address)


@pytest.mark.parametrize("address", ELSEWHERE)
def test_other_machines_pass(address: str) -> None:
    assert not is_local(address)


def test_a_name_that_resolves_to_this_machine_only_is_refused() -> None:
    name = socket.gethostname()
    try:
        found = {info[4][0] for info in socket.getaddrinfo(name, None)}
    except OSError:
        pytest.skip("this machine's name does not resolve here")
    if not all(a.startswith("127.") or a == "::1" for a in found):
        pytest.skip("this machine's name resolves to a network address here")
    assert is_local(f"http://{name}:8501")


@pytest.mark.parametrize("address", ["http://127.1", "http://[::ffff:127.0.0.1]"])
def test_kiosk_links_and_labels_refuse_them_outside_demo_mode(
    tmp_path: Path, db_url: str, address: str
) -> None:
    runtime = build_runtime(make_settings(tmp_path, database_url=db_url, base_url=address))
    try:
        with runtime.session() as session:
            contest = create_contest(session)
            admin = create_user(session, role=Role.ADMIN)
        with pytest.raises(InvalidState, match="local_address"), runtime.session() as session:
            create_display(session, actor=admin, settings=runtime.settings, theme=contest.themes[0])
    finally:
        runtime.engine.dispose()
