"""Which pages exist and which roles see them. app.py builds st.navigation from this."""

from __future__ import annotations

from dataclasses import dataclass

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
    # Account.
    PageSpec("pages/account.py", "nav.account", ":material/person:", ALL, ACCOUNT),
)


def pages_for(role: Role) -> list[PageSpec]:
    return [spec for spec in PAGES if role in spec.roles]
