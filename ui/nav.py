"""Which pages exist, which roles see them and what every page address serves to whom.
app.py builds st.navigation from this.

Every address of the app answers everyone: signed out, ``/gallery`` serves the sign-in page at
that address, and after sign-in the same address serves the page itself (Streamlit knows a page
by its address). A poster's address, the QR code's ``/?entry=5`` or the staff page's
``/entry?entry=5``, serves a visitor the poster's public page (or when it will be public), with
a link to sign in at ``/entry?entry=5&sign_in=1``. So nobody meets Streamlit's "Page not found",
and only the sign-in page, a visitor's poster page and a kiosk screen run for someone who is
not signed in. An address no page has (a typo, an old link) opens the start
page with a note in the user's language (``forget_unknown_address``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import PurePosixPath

from streamlit.runtime.scriptrunner import get_script_run_ctx

from contest.core.models import Role

ALL = frozenset(Role)
JUDGES = frozenset({Role.JUDGE})
ADMINS = frozenset({Role.ADMIN})
CONTEST, JUDGING, ADMIN, ACCOUNT = (
    "nav.section.contest",
    "nav.section.judging",
    "nav.section.admin",
    "nav.section.account",
)


@dataclass(frozen=True)
class PageSpec:
    path: str
    title_key: str
    icon: str
    roles: frozenset[Role]
    section_key: str
    hidden: bool = False  # reachable by link (?entry=ID) but not listed in the menu


PAGES: tuple[PageSpec, ...] = (
    # Contest: everyone on the roster.
    PageSpec("pages/home.py", "nav.home", ":material/home:", ALL, CONTEST),
    PageSpec("pages/gallery.py", "nav.gallery", ":material/grid_view:", ALL, CONTEST),
    PageSpec("pages/submit.py", "nav.submit", ":material/upload:", ALL, CONTEST),
    PageSpec("pages/my_entries.py", "nav.my_entries", ":material/collections:", ALL, CONTEST),
    PageSpec("pages/results_public.py", "nav.results", ":material/bar_chart:", ALL, CONTEST),
    PageSpec(
        "pages/results_published.py",
        "nav.results_published",
        ":material/emoji_events:",
        ALL,
        CONTEST,
    ),
    PageSpec("pages/ai_usage.py", "nav.ai_usage", ":material/auto_awesome:", ALL, CONTEST),
    PageSpec("pages/entry.py", "nav.entry", ":material/image:", ALL, CONTEST, hidden=True),
    # Judging.
    PageSpec("pages/judging.py", "nav.judging", ":material/rate_review:", JUDGES, JUDGING),
    # Administration, roughly in the order a contest is run.
    PageSpec(
        "pages/admin_dashboard.py", "nav.admin_dashboard", ":material/monitoring:", ADMINS, ADMIN
    ),
    PageSpec("pages/admin_contest.py", "nav.admin_contest", ":material/settings:", ADMINS, ADMIN),
    PageSpec("pages/admin_users.py", "nav.admin_users", ":material/group:", ADMINS, ADMIN),
    PageSpec(
        "pages/admin_duplicates.py",
        "nav.admin_duplicates",
        ":material/content_copy:",
        ADMINS,
        ADMIN,
    ),
    PageSpec(
        "pages/admin_moderation.py", "nav.admin_moderation", ":material/shield:", ADMINS, ADMIN
    ),
    PageSpec("pages/admin_votes.py", "nav.admin_votes", ":material/how_to_vote:", ADMINS, ADMIN),
    PageSpec("pages/admin_judging.py", "nav.admin_judging", ":material/gavel:", ADMINS, ADMIN),
    PageSpec(
        "pages/admin_results.py", "nav.admin_results", ":material/leaderboard:", ADMINS, ADMIN
    ),
    PageSpec(
        "pages/admin_exhibition.py", "nav.admin_exhibition", ":material/qr_code_2:", ADMINS, ADMIN
    ),
    PageSpec("pages/admin_audit.py", "nav.admin_audit", ":material/history:", ADMINS, ADMIN),
    PageSpec(
        "pages/admin_privacy.py", "nav.admin_privacy", ":material/privacy_tip:", ADMINS, ADMIN
    ),
    PageSpec(
        "pages/admin_system.py", "nav.admin_system", ":material/monitor_heart:", ADMINS, ADMIN
    ),
    # Account.
    PageSpec("pages/account.py", "nav.account", ":material/person:", ALL, ACCOUNT),
)


def pages_for(role: Role) -> list[PageSpec]:
    return [spec for spec in PAGES if role in spec.roles]


SIGN_IN = "pages/sign_in.py"
VISIT = "pages/visit.py"  # a poster's public page (or when the exhibition is public)
ENTRY = "pages/entry.py"
ENTRY_PARAM = "entry"  # the poster a QR code or a copied address names
SIGN_IN_PARAM = "sign_in"  # with ENTRY_PARAM: the staff sign-in, not the visitor's page
PASSWORD = "pages/account.py"
NO_ACCESS = "pages/no_access.py"
HOME = "pages/home.py"
# Pages that run for anyone, signed in or not: a kiosk screen checks its own link.
OPEN_PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/kiosk.py", "nav.kiosk", ":material/tv:", ALL, CONTEST, hidden=True),
)


@dataclass(frozen=True)
class Route:
    """One address of the app and the script that serves it now."""

    script: str
    url_path: str
    title_key: str
    icon: str
    default: bool = False


def url_path(script: str) -> str:
    """The address Streamlit gives a page file: its name without ``.py``."""
    return PurePosixPath(script).stem


def _stand_in(script: str, spec: PageSpec, title_key: str, icon: str) -> Route:
    return Route(script, url_path(spec.path), title_key, icon)


def _open_routes() -> list[Route]:
    return [Route(s.path, url_path(s.path), s.title_key, s.icon) for s in OPEN_PAGES]


def is_poster_visit(params: Mapping[str, str]) -> bool:
    """A signed-out visit to a poster's address (``?entry=ID``), not its staff sign-in."""
    return ENTRY_PARAM in params and SIGN_IN_PARAM not in params


def signed_out_routes(*, qr_scan: bool) -> list[Route]:
    """Signed out: the sign-in page at every address; a poster's address (``qr_scan``: the QR
    code's ``/?entry=ID`` or the staff page's ``/entry?entry=ID``) opens its public page, which
    says when the exhibition is public and links colleagues to sign in.

    The root address keeps the sign-in page's own name: after sign-in Streamlit finds no page
    by that name and opens the home page (which forwards a QR code's ``?entry=``)."""
    sign_in = ("nav.sign_in", ":material/login:")
    visit = ("app.title", ":material/image:")
    first = (
        Route(VISIT, "sign_in", *visit, True)
        if qr_scan
        else Route(SIGN_IN, "sign_in", *sign_in, True)
    )
    routes = [
        _stand_in(VISIT, spec, *visit)
        if qr_scan and spec.path == ENTRY
        else _stand_in(SIGN_IN, spec, *sign_in)
        for spec in PAGES
    ]
    return [first, *routes, *_open_routes()]


def password_routes() -> list[Route]:
    """A new password is due: the account page at every address, then the page asked for."""
    routes = [_stand_in(PASSWORD, spec, "nav.account", ":material/key:") for spec in PAGES]
    return [Route(PASSWORD, "password", "nav.account", ":material/key:", True), *routes]


def signed_in_extras(role: Role) -> list[Route]:
    """Besides ``role``'s pages: the open pages, and at the address of a page ``role`` may not
    use, a polite refusal (that page itself is never registered)."""
    return [
        _stand_in(NO_ACCESS, spec, "nav.no_access", ":material/block:")
        for spec in PAGES
        if role not in spec.roles
    ] + _open_routes()


def title_key(address: str) -> str | None:
    """The title key of the page at ``address`` (a page name in the logs and metrics)."""
    named = {url_path(spec.path): spec.title_key for spec in (*PAGES, *OPEN_PAGES)}
    named |= {"sign_in": "nav.sign_in", "password": "nav.account", "visit": "nav.entry"}
    return named.get(address)


@cache
def addresses() -> frozenset[str]:
    """Every page address this app answers, for someone or other."""
    specs = (*PAGES, *OPEN_PAGES)
    return frozenset(url_path(spec.path) for spec in specs) | {"sign_in", "password"}


def forget_unknown_address() -> bool:
    """Whether the browser asked for an address no page of the app has (a typo, an old
    link); if so, the start page runs instead, as if the root address had been asked for.

    Streamlit would run the start page too, but over it a dialog in English ("Page not
    found") that makes the page behind it inert until it is closed. This clears the page
    the run intends before st.navigation resolves it (Streamlit's page intent, an internal
    of the pinned version: tests/e2e/test_venue.py fails if it changes). Not for the very
    first run of a process: Streamlit first treats pages/ as an old-style page folder, and
    resolves the address itself before app.py runs.
    """
    ctx = get_script_run_ctx()
    if ctx is None:
        return False
    pages = ctx.pages_manager
    asked = pages.intended_page_name
    if not asked or pages.intended_page_script_hash or asked in addresses():
        return False
    pages.set_script_intent("", "")
    return True
