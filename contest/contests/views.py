"""What the admin's contest screen shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from contest.contests.queries import get_contest, list_contests, top_votes
from contest.core.authz import require_admin
from contest.core.models import Contest, User


@dataclass(frozen=True)
class ContestAdminView:
    contests: Sequence[Contest]  # newest year first
    chosen: Contest | None  # the one being edited: the requested one, else the current one
    top_votes: int = 0  # the most votes a poster of the chosen contest has (the vote preview)


def contest_admin_view(
    session: Session, *, actor: User | None, chosen_id: int | None = None
) -> ContestAdminView:
    require_admin(actor)
    contests = list_contests(session)
    if chosen_id is not None and any(c.id == chosen_id for c in contests):
        chosen: Contest | None = get_contest(session, chosen_id)
    else:
        chosen = next((c for c in contests if c.is_current), contests[0] if contests else None)
    return ContestAdminView(
        contests=contests,
        chosen=chosen,
        top_votes=top_votes(session, chosen.id or 0) if chosen is not None else 0,
    )
