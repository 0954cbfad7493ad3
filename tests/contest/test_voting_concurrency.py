"""Parallel clicks by one voter never exceed the budget nor vote twice, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from sqlmodel import func, select

from contest.core.errors import ContestError
from contest.core.models import Vote, VoteEvent
from contest.runtime import Runtime
from contest.voting.votes import cast_vote
from tests.factories import contest_with_entries

ATTEMPTS = 50


def _race(runtime: Runtime, voter: object, entry_ids: list[int]) -> Counter[str]:
    """Fire ATTEMPTS casts at once, each thread with its own session; count the outcomes."""
    barrier = threading.Barrier(ATTEMPTS)

    def attempt(n: int) -> str:
        barrier.wait()
        try:
            with runtime.session() as session:
                cast_vote(session, actor=voter, entry_id=entry_ids[n % len(entry_ids)])
            return "ok"
        except ContestError as error:
            return error.key

    with ThreadPoolExecutor(ATTEMPTS) as pool:
        return Counter(pool.map(attempt, range(ATTEMPTS)))


def _votes(runtime: Runtime) -> tuple[list[tuple[int, int]], int]:
    with runtime.session() as session:
        pairs = session.exec(select(Vote.voter_id, Vote.entry_id)).all()
        casts = session.exec(
            select(func.count()).select_from(VoteEvent).where(VoteEvent.kind == "cast")
        ).one()
    return [(v, e) for v, e in pairs], casts


def test_one_voter_many_entries_stays_within_budget(any_runtime: Runtime) -> None:
    c = contest_with_entries(any_runtime, entries=12)
    outcomes = _race(any_runtime, c["voter"], c["ids"])
    pairs, casts = _votes(any_runtime)
    assert len(pairs) == 3 == len(set(pairs))
    assert casts == 3
    assert outcomes["ok"] == 3
    assert set(outcomes) <= {"ok", "error.budget_exhausted", "error.vote.already_voted"}


def test_one_voter_same_entry_counts_once(any_runtime: Runtime) -> None:
    c = contest_with_entries(any_runtime, entries=2)
    outcomes = _race(any_runtime, c["voter"], [c["ids"][0]])
    pairs, casts = _votes(any_runtime)
    assert pairs == [(c["voter"].id, c["ids"][0])]
    assert casts == 1
    assert outcomes == Counter({"ok": 1, "error.vote.already_voted": ATTEMPTS - 1})
