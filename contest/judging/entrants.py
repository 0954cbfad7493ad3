"""Judges and admins who enter the contest they judge or run, under the contest's rule for them
(``officials_entering``, a setting frozen once submissions open):

- allowed: judges and admins may enter; an entrant judge scores every poster but their own; a
  person whose poster is in the shortlist is not made a judge (an admin, yes).
- recuse: they may enter; a judge whose poster is in the shortlist scores none of it; making
  an entrant a judge or admin needs a recorded reason.
- forbidden: judges and admins cannot enter (contests.rules.may_enter); an entrant is never
  made a judge or admin.

Who may score which poster stays with ``judging.scoring.judging_barrier``; this module decides
who may be given the role, for the panel's appointments and the users page alike, and lists the
officials who entered for the lifecycle screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from contest.accounts.users import get_user, set_role
from contest.contests.queries import current_contest
from contest.core.authz import require_admin
from contest.core.errors import InvalidInput
from contest.core.models import Contest, Entry, EntryStatus, OfficialsEntering, Role, User
from contest.judging.queries import shortlisted_ids

# An entry still in the contest (hidden ones may come back; withdrawn and disqualified do not).
ENTERED = (EntryStatus.ACTIVE.value, EntryStatus.HIDDEN.value)
OFFICIALS = (Role.JUDGE, Role.ADMIN)


@dataclass(frozen=True)
class Standing:
    """A person's posters in a contest, by number."""

    entries: tuple[int, ...]
    shortlisted: tuple[int, ...]  # of those, the ones in the shortlist


@dataclass(frozen=True)
class Entrant:
    """A judge or admin with posters in the contest."""

    user_id: int
    name: str
    department: str
    role: Role
    standing: Standing


def _standings(session: Session, contest_id: int, user_ids: list[int]) -> dict[int, Standing]:
    rows = session.exec(
        select(Entry)
        .where(
            Entry.contest_id == contest_id,
            col(Entry.author_id).in_(user_ids),
            col(Entry.status).in_(ENTERED),
        )
        .order_by(col(Entry.number))
    ).all()
    listed = shortlisted_ids(session, contest_id)
    return {
        user_id: Standing(
            tuple(e.number for e in rows if e.author_id == user_id),
            tuple(e.number for e in rows if e.author_id == user_id and e.id in listed),
        )
        for user_id in user_ids
    }


def entrant_ids(session: Session, contest_id: int) -> frozenset[int]:
    """Everyone with a poster still in the contest (shortlisted or not)."""
    rows = session.exec(
        select(Entry.author_id).where(
            Entry.contest_id == contest_id, col(Entry.status).in_(ENTERED)
        )
    ).all()
    return frozenset(rows)


def standing(session: Session, contest_id: int, user_id: int) -> Standing:
    return _standings(session, contest_id, [user_id])[user_id]


REASON_NEEDED = "error.entrants.reason_needed"


def appointment_rule(
    contest: Contest, *, entered: bool, shortlisted: bool, role: Role
) -> str | None:
    """What giving ``role`` to a person takes in ``contest`` (the table in this module's
    docstring): None (nothing), REASON_NEEDED, or the message key of a refusal. ``entered``:
    they have a poster in the contest; ``shortlisted``: one of them is in the shortlist."""
    if role not in OFFICIALS or not entered:
        return None
    rule = OfficialsEntering(contest.officials_entering)
    if rule == OfficialsEntering.FORBIDDEN:
        return "error.entrants.forbidden"
    if rule == OfficialsEntering.ALLOWED:
        return "error.entrants.shortlisted" if role == Role.JUDGE and shortlisted else None
    return REASON_NEEDED


def check_appointment(
    session: Session, contest: Contest, user: User, role: Role, reason: str
) -> None:
    """Raise InvalidInput when ``user`` may not be given ``role`` in ``contest`` (with
    ``reason``)."""
    found = standing(session, contest.id or 0, user.id or 0)
    rule = appointment_rule(
        contest, entered=bool(found.entries), shortlisted=bool(found.shortlisted), role=role
    )
    if rule is None or (rule == REASON_NEEDED and reason.strip()):
        return
    numbers = ", ".join(str(n) for n in found.shortlisted or found.entries)
    raise InvalidInput(rule, name=user.name, numbers=numbers)


def change_role(
    session: Session, *, actor: User | None, user_id: int, role: Role, reason: str = ""
) -> User:
    """The users page's role change: where the current contest has a poster of the person's,
    its rule for judges and admins who enter decides first."""
    require_admin(actor)
    user = get_user(session, user_id)
    contest = current_contest(session)
    if contest is not None and Role(role).value != user.role:
        check_appointment(session, contest, user, Role(role), reason)
    return set_role(session, actor=actor, user_id=user_id, role=role, reason=reason)


def officials_who_entered(session: Session, contest: Contest) -> tuple[Entrant, ...]:
    """Active judges and admins with posters in ``contest``, judges first, then by name."""
    officials = session.exec(
        select(User)
        .where(col(User.role).in_([r.value for r in OFFICIALS]), col(User.is_active))
        .order_by(col(User.role).desc(), col(User.name), col(User.id))
    ).all()
    found = _standings(session, contest.id or 0, [u.id or 0 for u in officials])
    return tuple(
        Entrant(u.id or 0, u.name, u.department, Role(u.role), found[u.id or 0])
        for u in officials
        if found[u.id or 0].entries
    )
