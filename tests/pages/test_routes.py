"""What every page address serves to whom: signed out, nothing but the sign-in page, a
visitor's poster page (a QR code's ``/?entry=ID``) and a kiosk screen."""

from __future__ import annotations

from contest.core.models import Role
from ui.nav import (
    NO_ACCESS,
    OPEN_PAGES,
    PAGES,
    PASSWORD,
    SIGN_IN,
    VISIT,
    is_poster_visit,
    pages_for,
    password_routes,
    signed_in_extras,
    signed_out_routes,
    url_path,
)

OPEN = {spec.path for spec in OPEN_PAGES}


def test_signed_out_every_address_serves_only_the_sign_in_page() -> None:
    routes = signed_out_routes(qr_scan=False)
    addresses = {url_path(s.path) for s in (*PAGES, *OPEN_PAGES)}
    assert {r.url_path for r in routes} == addresses | {"sign_in"}
    assert {r.script for r in routes} == {SIGN_IN, *OPEN}
    assert [r.script for r in routes if r.default] == [SIGN_IN]


def test_a_qr_scan_signed_out_opens_the_public_poster_page_and_nothing_more() -> None:
    """At both of a poster's addresses: the QR code's ``/?entry=ID`` and the staff page's."""
    routes = signed_out_routes(qr_scan=True)
    assert {r.script for r in routes} == {SIGN_IN, VISIT, *OPEN}
    visits = [r for r in routes if r.script == VISIT]
    assert [r for r in visits if r.default] == [r for r in routes if r.default]
    assert {r.url_path for r in visits} == {"sign_in", "entry"}


def test_a_poster_address_is_a_visit_unless_a_colleague_asked_to_sign_in() -> None:
    assert is_poster_visit({"entry": "13"}) and is_poster_visit({"entry": ""})
    assert not is_poster_visit({"entry": "13", "sign_in": "1"})
    assert not is_poster_visit({}) and not is_poster_visit({"gallery_theme": "시민행복"})


def test_a_new_password_first_then_the_page_asked_for() -> None:
    assert {r.script for r in password_routes()} == {PASSWORD}
    assert {r.url_path for r in password_routes()} >= {url_path(s.path) for s in PAGES}


def test_other_roles_pages_answer_with_a_refusal_not_the_page() -> None:
    for role in Role:
        own = {url_path(s.path) for s in pages_for(role)}
        extras = signed_in_extras(role)
        refused = {r.url_path for r in extras if r.script == NO_ACCESS}
        assert refused.isdisjoint(own)
        assert refused | own == {url_path(s.path) for s in PAGES}
        assert {r.script for r in extras} <= {NO_ACCESS, *OPEN}
