"""The rules a person meets in a contest, each owned by one function that everything asks:
services enforce them, views report them and forms take their limits from here.

Today every voter has the same budget and every author the same entry limit (both contest
settings), except that a contest may rule judges and admins out of entering; a rule that
depends on the person (say, on their department) changes here only.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from contest.core.errors import InvalidInput
from contest.core.models import Contest, OfficialsEntering, Role, User
from contest.images.decode import ImageLimits

# Longest text each field takes, in characters (entry fields, reasons, judges' comments, what a
# search looks for). The server holds every text to them (``typed``), not only the forms.
TEXT_LIMITS: Mapping[str, int] = MappingProxyType(
    {
        "title": 200,
        "policy": 300,
        "description": 2000,
        "prompt": 4000,
        "human_part": 2000,
        "ai_tools_other": 300,
        "ai_tool": 100,
        "reason": 1000,
        "comment": 2000,
        "search": 100,
        # a person on the roster (the User columns)
        "employee_no": 32,
        "name": 100,
        "department": 200,
        "email": 254,
    }
)


# How a tie on the final score is broken (the contest's ``tie_break`` setting): the criteria
# tried in turn, "jury" (the jury score) and "votes" (colleague votes), higher first. Where they
# cannot decide who gets which award, the admin decides when finalising and says why, unless
# the contest allows shared awards (``shared_awards``). judging/ties.py applies it.
TIE_BREAKS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "jury_votes": ("jury", "votes"),
        "votes_jury": ("votes", "jury"),
        "jury": ("jury",),
        "votes": ("votes",),
        "decision": (),
    }
)


def tie_break(contest: Contest) -> tuple[str, ...]:
    """The criteria that decide a tie on the final score in ``contest``, in order."""
    return TIE_BREAKS[contest.tie_break]


def typed(field: str, value: str, *, required: bool = False) -> str:
    """What someone typed into ``field``, as it is stored: trimmed, and refused (InvalidInput)
    when longer than TEXT_LIMITS allows, or empty when ``required``."""
    text = value.strip()
    if required and not text:
        raise InvalidInput("error.reason_required" if field == "reason" else "error.text.empty")
    if len(text) > (limit := TEXT_LIMITS[field]):
        raise InvalidInput("error.text.too_long", limit=limit, length=len(text))
    return text


def vote_budget(contest: Contest, voter: User) -> int:
    """How many posters ``voter`` may vote for in ``contest``."""
    return contest.votes_per_voter


def may_enter(contest: Contest, person: User) -> bool:
    """Whether ``person`` may enter ``contest``: everyone but judges and admins where the
    contest rules them out (``officials_entering``)."""
    officials = (Role.JUDGE.value, Role.ADMIN.value)
    return not (
        contest.officials_entering == OfficialsEntering.FORBIDDEN and person.role in officials
    )


def entry_limit(contest: Contest, author: User) -> int:
    """How many posters ``author`` may have in ``contest`` at once (withdrawn ones don't count)."""
    return contest.entries_per_person if may_enter(contest, author) else 0


def upload_limits(contest: Contest) -> ImageLimits:
    """File size, pixel count and smallest side an upload to ``contest`` must respect."""
    return ImageLimits(
        max_bytes=int(contest.max_upload_mb) * 1024 * 1024,
        max_pixels=int(contest.max_megapixels) * 1_000_000,
        min_short_side=int(contest.min_short_side),
    )
