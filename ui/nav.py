"""Which pages exist and which roles see them. app.py builds st.navigation from this."""

from __future__ import annotations

from dataclasses import dataclass

from contest.models import Role

ALL = frozenset(Role)
JUDGES = frozenset({Role.JUDGE})
ADMINS = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class PageSpec:
    path: str
    title_key: str
    icon: str
    roles: frozenset[Role]
    section_key: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/home.py", "nav.home", ":material/home:", ALL, "nav.section.contest"),
    PageSpec("pages/submit.py", "nav.submit", ":material/upload:", ALL, "nav.section.contest"),
    PageSpec("pages/my_entries.py", "nav.my_entries", ":material/collections:", ALL,
             "nav.section.contest"),
    PageSpec("pages/account.py", "nav.account", ":material/person:", ALL, "nav.section.account"),
    PageSpec(
        "pages/admin_contest.py",
        "nav.admin_contest",
        ":material/settings:",
        ADMINS,
        "nav.section.admin",
    ),
    PageSpec(
        "pages/admin_users.py", "nav.admin_users", ":material/group:", ADMINS, "nav.section.admin"
    ),
    PageSpec("pages/results_published.py", "nav.results_published", ":material/emoji_events:",
             ALL, "nav.section.contest"),
    PageSpec("pages/judging.py", "nav.judging", ":material/rate_review:", JUDGES,
             "nav.section.judging"),
    PageSpec("pages/admin_dashboard.py", "nav.admin_dashboard", ":material/monitoring:", ADMINS,
             "nav.section.admin"),
    PageSpec("pages/admin_judging.py", "nav.admin_judging", ":material/gavel:", ADMINS,
             "nav.section.admin"),
    PageSpec("pages/admin_results.py", "nav.admin_results", ":material/leaderboard:", ADMINS,
             "nav.section.admin"),
    PageSpec("pages/admin_moderation.py", "nav.admin_moderation", ":material/shield:", ADMINS,
             "nav.section.admin"),
    PageSpec("pages/admin_duplicates.py", "nav.admin_duplicates", ":material/content_copy:",
             ADMINS, "nav.section.admin"),
    PageSpec("pages/admin_audit.py", "nav.admin_audit", ":material/history:", ADMINS,
             "nav.section.admin"),
    PageSpec("pages/gallery.py", "nav.gallery", ":material/grid_view:", ALL, "nav.section.contest"),
    PageSpec("pages/entry.py", "nav.entry", ":material/image:", ALL, "nav.section.contest"),
    PageSpec("pages/results_public.py", "nav.results", ":material/bar_chart:", ALL,
             "nav.section.contest"),
    PageSpec("pages/admin_votes.py", "nav.admin_votes", ":material/how_to_vote:", ADMINS,
             "nav.section.admin"),
    PageSpec("pages/admin_exhibition.py", "nav.admin_exhibition", ":material/qr_code_2:", ADMINS,
             "nav.section.admin"),
)


def pages_for(role: Role) -> list[PageSpec]:
    return [spec for spec in PAGES if role in spec.roles]
