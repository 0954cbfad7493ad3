"""Kiosk links: the token travels after '#' (never in a request line, so never in an access
log), a zone has at most SCREENS_PER_ZONE links in use, and a link opens only while the
exhibition is open. Both databases."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from contest.contests.queries import get_contest
from contest.core.errors import LimitReached, PermissionDenied
from contest.core.timeutil import utcnow
from contest.exhibition.displays import (
    SCREENS_PER_ZONE,
    create_display,
    kiosk_view,
    revoke_display,
)
from contest.runtime import Runtime
from tests.factories import add_entry, contest_with_entries


def test_a_zone_has_a_bounded_number_of_screen_links(any_runtime: Runtime) -> None:
    s = contest_with_entries(any_runtime, entries=1)
    admin, themes = s["admin"], s["contest"].themes
    made = []
    for _ in range(SCREENS_PER_ZONE):
        with any_runtime.session() as session:
            made.append(
                create_display(session, actor=admin, settings=any_runtime.settings, theme=themes[0])
            )
    with pytest.raises(LimitReached) as caught, any_runtime.session() as session:
        create_display(session, actor=admin, settings=any_runtime.settings, theme=themes[0])
    assert (caught.value.key, caught.value.params) == (
        "error.display.too_many",
        {"limit": SCREENS_PER_ZONE},
    )
    with any_runtime.session() as session:  # another zone has its own
        create_display(session, actor=admin, settings=any_runtime.settings, theme=themes[1])
    with any_runtime.session() as session:
        revoke_display(session, actor=admin, display_id=made[0].display.id or 0)
    with any_runtime.session() as session:  # a revoked link frees its place
        create_display(session, actor=admin, settings=any_runtime.settings, theme=themes[0])


def test_a_screen_link_holds_only_while_the_exhibition_is_open(any_runtime: Runtime) -> None:
    s = contest_with_entries(any_runtime, entries=0)
    contest, admin = s["contest"], s["admin"]
    with any_runtime.session() as session:
        add_entry(session, contest=contest, author=s["author"], theme=contest.themes[0])
        made = create_display(
            session, actor=admin, settings=any_runtime.settings, theme=contest.themes[0]
        )
    address = urlsplit(made.link)
    assert address.query == "" and address.path.endswith("/kiosk")
    token = parse_qs(address.fragment)["screen"][0]

    def shown(at: timedelta) -> str:
        try:
            with any_runtime.session() as session:
                view = kiosk_view(
                    session, settings=any_runtime.settings, token=token, now=utcnow() + at
                )
        except PermissionDenied as refused:
            return refused.key
        return f"{len(view.posters)} posters"

    assert shown(timedelta(0)) == "error.display.closed"  # no exhibition dates yet
    now = utcnow()
    with any_runtime.session() as session:
        held = get_contest(session, contest.id or 0)
        held.exhibition_public = True
        held.exhibition_opens_at = now + timedelta(days=1)
        held.exhibition_closes_at = now + timedelta(days=3)
        session.add(held)
    assert shown(timedelta(0)) == "error.display.closed"  # before it opens
    assert shown(timedelta(days=2)) == "1 posters"
    assert shown(timedelta(days=4)) == "error.display.closed"  # after it ends
    with any_runtime.session() as session:
        held = get_contest(session, contest.id or 0)
        held.exhibition_public = False  # the admin's switch turns the screens off too
        session.add(held)
    assert shown(timedelta(days=2)) == "error.display.closed"
