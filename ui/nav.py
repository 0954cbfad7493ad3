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
)


def pages_for(role: Role) -> list[PageSpec]:
    return [spec for spec in PAGES if role in spec.roles]
