"""Who may learn who made a poster: the one rule every screen asks before it shows an author's
name or department (gallery, poster page, tallies, winners, judges' views, admin tools, and the
exhibition's labels, kiosks and public poster pages, where the viewer is anyone: None).

Judging is blind: a judge sees no author and no department anywhere (not only on the scoring
page) until the results are published, and since a judge may visit the exhibition signed out,
the venue names no author either while the shortlist is being judged. After the purge, a
non-winner's entry belongs to a pseudonym, which nobody sees named (core/pseudonyms.py)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from contest.contests.phases import PHASES, results_published
from contest.core.models import Contest, ContestPhase, Role, User
from contest.core.pseudonyms import is_pseudonym


class Purpose(StrEnum):
    """What the viewer is looking at the poster for."""

    BROWSE = "browse"  # the gallery, a poster's page, the vote tallies
    WINNERS = "winners"  # the published award winners (named unless the contest says not)
    JUDGE = "judge"  # a judge scoring the shortlist: blind
    ADMIN = "admin"  # the organisers' own tools and exports
    EXHIBITION = "exhibition"  # the venue: printed labels, kiosk screens, visitors' poster pages


@dataclass(frozen=True)
class AuthorView:
    """Which parts of an author's identity this viewer may see."""

    name: bool
    department: bool

    def name_of(self, author: User) -> str | None:
        return author.name if self.name and not is_pseudonym(author) else None

    def department_of(self, author: User) -> str | None:
        return author.department if self.department and not is_pseudonym(author) else None


HIDDEN = AuthorView(name=False, department=False)
FULL = AuthorView(name=True, department=True)


def author_visibility(contest: Contest, viewer: User | None, purpose: Purpose) -> AuthorView:
    """What ``viewer`` may see of an author of ``contest`` on a screen made for ``purpose``."""
    if purpose == Purpose.ADMIN:
        return FULL if viewer is not None and viewer.role == Role.ADMIN.value else HIDDEN
    if purpose == Purpose.JUDGE or (_judge(viewer) and not results_published(contest)):
        return HIDDEN
    names = contest.show_author_names
    if purpose == Purpose.EXHIBITION:
        if judging_under_way(contest):  # anyone at the venue may be a judge, signed in or not
            return HIDDEN
        # What the printed label beside the poster says anyway: the department; the name only
        # where the contest shows names to colleagues too.
        return AuthorView(name=names, department=True)
    if purpose == Purpose.WINNERS:
        # An office announces its winners by name and department (``winners_named``, on by
        # default), whatever the gallery shows.
        named = names or contest.winners_named
        return AuthorView(name=named, department=named)
    return AuthorView(name=names, department=True)


def judging_under_way(contest: Contest) -> bool:
    """From the shortlist until the results are published: the posters judges score are known,
    so the venue (visitor pages, kiosks, labels printed meanwhile) names no author."""
    shortlisted = PHASES.index(ContestPhase(contest.phase)) >= PHASES.index(
        ContestPhase.SHORTLISTED
    )
    return shortlisted and not results_published(contest)


def _judge(viewer: User | None) -> bool:
    return viewer is not None and viewer.role == Role.JUDGE.value
