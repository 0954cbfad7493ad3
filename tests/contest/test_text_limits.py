"""Every text someone types is held to TEXT_LIMITS by the server, not only by the forms (on
PostgreSQL a longer reason used to end in a DataError, on SQLite megabytes were stored); the
roster import reports a cell too long for its column or for csv itself instead of crashing;
a search too long for SQLite's LIKE is refused in words, not as "database unavailable"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import select

from contest.accounts.roster import import_roster
from contest.accounts.users import create_admin, list_users, set_active
from contest.contests.rules import TEXT_LIMITS, typed
from contest.core.errors import InvalidInput
from contest.core.models import AuditEvent, DuplicateFlag, Entry, Role, User, Vote, VoteEvent
from contest.dedupe.flags import dismiss_flag
from contest.entries.moderation import hide_entry
from contest.judging import lifecycle
from contest.judging.scoring import declare_conflict
from contest.runtime import Runtime
from contest.voting.gallery import GalleryQuery
from contest.voting.views import gallery_view
from contest.voting.votes import void_vote
from tests.factories import (
    contest_with_entries,
    create_user,
    draft,
    judging_contest,
)

LONG = "가" * (TEXT_LIMITS["reason"] + 1)
FITS = "가" * TEXT_LIMITS["reason"]


def too_long(call: Callable[[str], Any], runtime: Runtime) -> None:
    """``call`` refuses a reason one character too long (the transaction undone), takes one of
    exactly the limit."""
    with pytest.raises(InvalidInput) as caught, runtime.session() as session:
        call(session, LONG)
    assert caught.value.key == "error.text.too_long"
    assert caught.value.params == {"limit": TEXT_LIMITS["reason"], "length": len(LONG)}
    with runtime.session() as session:
        call(session, FITS)


def test_reasons_are_held_to_their_limit(any_runtime: Runtime) -> None:
    s = contest_with_entries(any_runtime, entries=3)
    admin, voter = s["admin"], s["voter"]
    with any_runtime.session() as session:
        vote = Vote(contest_id=s["contest"].id, voter_id=voter.id, entry_id=s["ids"][1])
        flag = DuplicateFlag(
            contest_id=s["contest"].id,
            entry_id=s["ids"][1],
            other_entry_id=s["ids"][2],
            level="similar",
            distance=3,
            cross_author=False,
        )
        session.add_all([vote, flag])
        session.flush()
        vote_id, flag_id = vote.id, flag.id
        other = create_user(session)
    too_long(lambda x, r: hide_entry(x, actor=admin, entry_id=s["ids"][0], reason=r), any_runtime)
    too_long(lambda x, r: void_vote(x, actor=admin, vote_id=vote_id, reason=r), any_runtime)
    too_long(lambda x, r: dismiss_flag(x, actor=admin, flag_id=flag_id, reason=r), any_runtime)
    too_long(
        lambda x, r: set_active(x, actor=admin, user_id=other.id, active=False, reason=r),
        any_runtime,
    )
    with any_runtime.session() as session:
        stored = [e.reason for e in session.exec(select(AuditEvent)).all() if e.reason]
        assert stored and all(len(reason) <= TEXT_LIMITS["reason"] for reason in stored)
        assert session.get(Entry, s["ids"][0]).status_reason == FITS
        assert [e.reason for e in session.exec(select(VoteEvent)).all()] == [FITS]


def test_judging_reasons_are_held_to_their_limit(any_runtime: Runtime) -> None:
    s = judging_contest(any_runtime)
    judge, entry = s.judges[0], s.entries[0]
    too_long(
        lambda x, r: declare_conflict(x, actor=judge, entry_id=entry.id or 0, reason=r),
        any_runtime,
    )


def test_an_early_close_reason_is_held_to_its_limit(any_runtime: Runtime) -> None:
    s = contest_with_entries(any_runtime, entries=1)
    cid = s["contest"].id or 0
    too_long(
        lambda x, r: lifecycle.close_voting(x, actor=s["admin"], contest_id=cid, reason=r),
        any_runtime,
    )


def test_an_ai_tool_named_at_length_is_refused(any_runtime: Runtime) -> None:
    s = contest_with_entries(any_runtime, entries=0)
    with pytest.raises(InvalidInput) as caught:
        draft(s["contest"], ai_tools=("x" * 5000,)).cleaned(s["contest"])
    assert caught.value.key == "error.text.too_long"


def test_a_search_too_long_is_refused_in_words(any_runtime: Runtime) -> None:
    s = contest_with_entries(any_runtime, entries=2)
    huge = "포" * 60_000  # beyond SQLite's 50,000-byte LIKE pattern
    with any_runtime.session() as session:
        for search in (huge, "x" * (TEXT_LIMITS["search"] + 1)):
            with pytest.raises(InvalidInput, match="too_long"):
                gallery_view(
                    session,
                    actor=s["voter"],
                    settings=any_runtime.settings,
                    query=GalleryQuery(search=search),
                )
            with pytest.raises(InvalidInput, match="too_long"):
                list_users(session, actor=s["admin"], search=search)
        found = gallery_view(
            session,
            actor=s["voter"],
            settings=any_runtime.settings,
            query=GalleryQuery(search="포스터"),
        )
        assert len(found.page.cards) == 2
        assert list_users(session, actor=s["admin"], search="x" * TEXT_LIMITS["search"]) == []


def test_the_roster_reports_cells_too_long_instead_of_crashing(any_runtime: Runtime) -> None:
    with any_runtime.session() as session:
        admin = create_user(session, role=Role.ADMIN)
    header = "사번,이름,부서,이메일\n"
    huge = (header + f"9001,{'김' * 200_000},총무과,kim@incheon.go.kr\n").encode()
    with pytest.raises(InvalidInput) as caught, any_runtime.session() as session:
        import_roster(session, actor=admin, data=huge)
    assert (caught.value.key, caught.value.params) == ("error.roster.unreadable", {"line": 2})
    long_name = (header + f"9002,{'김' * 101},총무과,lee@incheon.go.kr\n").encode()
    with any_runtime.session() as session:
        result = import_roster(session, actor=admin, data=long_name)
    assert [(p.line, p.key) for p in result.problems] == [(2, "error.roster.too_long")]
    twins = (header + "E9003,박,총무과,a@incheon.go.kr\ne9003,최,총무과,b@incheon.go.kr\n").encode()
    with any_runtime.session() as session:
        result = import_roster(session, actor=admin, data=twins)
    assert [(p.line, p.key) for p in result.problems] == [(3, "error.roster.duplicate_employee_no")]
    with any_runtime.session() as session:
        assert session.exec(select(User).where(User.employee_no.in_(["9001", "9002"]))).all() == []


def test_the_first_admin_is_held_to_the_roster_columns(any_runtime: Runtime) -> None:
    with pytest.raises(InvalidInput, match="too_long"), any_runtime.session() as session:
        create_admin(
            session,
            employee_no="A1",
            name="관" * 101,
            department="총무과",
            email="admin@incheon.go.kr",
            password="harbour-view-2027",
        )


def test_typed_trims_and_requires() -> None:
    assert typed("reason", "  이유  ") == "이유"
    with pytest.raises(InvalidInput, match="reason_required"):
        typed("reason", "   ", required=True)
