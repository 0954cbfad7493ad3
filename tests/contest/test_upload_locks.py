"""An upload holds no database lock while it waits on the store, on SQLite and PostgreSQL; and
uploads of the same bytes never take each other's objects away."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from typing import Any, TypeVar

import pytest
from sqlmodel import select

from contest.core.errors import DatabaseUnavailable
from contest.core.models import AuditEvent, DuplicateFlag, Entry, FlagLevel
from contest.dedupe import flags
from contest.entries import submissions
from contest.entries.submissions import Receipt
from contest.runtime import Runtime
from contest.voting.votes import cast_vote
from tests.contest.test_submissions import setup
from tests.factories import create_user, draft, poster_bytes, submit
from tests.support.stores import GatedStore

T = TypeVar("T")
QUICK = 15  # seconds: far longer than a vote takes, far shorter than the gate waits


@contextmanager
def in_background(work: Callable[[], T], gate: GatedStore) -> Iterator[Future[T]]:
    """Run ``work`` in a thread; whatever happens, open the gate so it can finish."""
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(work)
        try:
            yield future
        finally:
            gate.release()


def _submit(runtime: Runtime, store: Any, author: Any, contest: Any, seed: int) -> Receipt:
    with runtime.session() as session:
        return submissions.submit_entry(
            session,
            store=store,
            indexes=runtime.indexes,
            actor=author,
            draft=draft(contest),
            data=poster_bytes(seed),
        )


def _vote(runtime: Runtime, voter: Any, entry_id: int) -> int:
    with runtime.session() as session:
        return cast_vote(session, actor=voter, entry_id=entry_id).used


def _replace_image(
    runtime: Runtime, store: Any, author: Any, contest: Any, entry_id: int, seed: int = 12
) -> Receipt:
    with runtime.session() as session:
        return submissions.update_entry(
            session,
            store=store,
            indexes=runtime.indexes,
            actor=author,
            entry_id=entry_id,
            draft=draft(contest),
            data=poster_bytes(seed),
        )


def _upload(
    action: str, runtime: Runtime, store: Any, author: Any, contest: Any, own_id: int, seed: int
) -> Receipt:
    """A new entry ("submit") or a new picture for ``own_id`` ("replace image")."""
    if action == "submit":
        return _submit(runtime, store, author, contest, seed=seed)
    return _replace_image(runtime, store, author, contest, own_id, seed=seed)


@pytest.mark.parametrize("action", ["submit", "replace image"])
def test_a_vote_completes_while_an_upload_waits_on_the_store(
    any_runtime: Runtime, action: str
) -> None:
    contest, author = setup(any_runtime)
    entry_id = submit(any_runtime, author, seed=1).entry.id
    with any_runtime.session() as session:
        uploader, voter = create_user(session), create_user(session)
    own_id = submit(any_runtime, uploader, seed=2).entry.id
    gate = GatedStore(any_runtime.store, after_puts=1)

    def upload() -> Receipt:
        return _upload(action, any_runtime, gate, uploader, contest, own_id, seed=11)

    with in_background(upload, gate) as uploading:
        assert gate.reached.wait(QUICK), "the upload never reached the store"
        with ThreadPoolExecutor(1) as pool:
            voting = pool.submit(_vote, any_runtime, voter, entry_id)
            try:
                used = voting.result(timeout=QUICK)
            except FutureTimeout:
                gate.release()
                pytest.fail("the vote waited for the upload that was waiting on the store")
        assert used == 1
        assert not uploading.done()
    receipt = uploading.result(timeout=QUICK)
    assert receipt.entry.number == (3 if action == "submit" else 2)


def test_a_failed_upload_leaves_the_objects_another_upload_committed(
    any_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two uploads of the same bytes share keys; the one that fails must not delete them."""
    contest, _author = setup(any_runtime)
    with any_runtime.session() as session:
        failing, succeeding = create_user(session), create_user(session)
    real_flags = submissions.record_flags

    def flags_failing_for_one_author(session: Any, *, entry: Entry, lookalikes: Any) -> None:
        if entry.author_id == failing.id:
            raise RuntimeError("the database went away for this upload")
        real_flags(session, entry=entry, lookalikes=lookalikes)

    monkeypatch.setattr(submissions, "record_flags", flags_failing_for_one_author)
    gate = GatedStore(any_runtime.store, after_puts=3)  # all three objects written, then waits

    def doomed() -> Receipt:
        return _submit(any_runtime, gate, failing, contest, seed=5)

    with in_background(doomed, gate) as first:
        assert gate.reached.wait(QUICK)
        receipt = _submit(any_runtime, any_runtime.store, succeeding, contest, seed=5)
    with pytest.raises(RuntimeError):
        first.result(timeout=QUICK)
    image = receipt.image
    for key in (image.original_key, image.display_key, image.thumb_key):
        assert any_runtime.store.exists(key), key


@pytest.mark.parametrize("action", ["submit", "replace image"])
def test_two_uploads_of_one_poster_at_the_same_moment_are_flagged(
    any_runtime: Runtime, action: str
) -> None:
    """Each upload compares before the other is committed (the comparison holds no lock);
    the later to commit compares again and finds the earlier, so the pair is flagged once."""
    contest, first_author = setup(any_runtime)
    with any_runtime.session() as session:
        second_author = create_user(session)
    own_id = submit(any_runtime, first_author, seed=2).entry.id
    gate = GatedStore(any_runtime.store, after_puts=1)

    def held_upload() -> Receipt:
        return _upload(action, any_runtime, gate, first_author, contest, own_id, seed=12)

    with in_background(held_upload, gate) as first:
        assert gate.reached.wait(QUICK), "the upload never reached the store"
        second = _submit(any_runtime, any_runtime.store, second_author, contest, seed=12)
        assert second.lookalikes == []  # the first is not committed yet
    receipt = first.result(timeout=QUICK)
    assert [(m.entry_id, m.level, m.own) for m in receipt.lookalikes] == [
        (second.entry.id, FlagLevel.DUPLICATE, False)
    ]
    with any_runtime.session() as session:
        flags = session.exec(select(DuplicateFlag)).all()
        pairs = [(f.entry_id, f.other_entry_id, f.cross_author) for f in flags]
        assert pairs == [(receipt.entry.id, second.entry.id, True)]
        [event] = session.exec(select(AuditEvent).where(AuditEvent.action == "flag.concurrent"))
        assert event.actor_id is None and event.target_id == flags[0].id


def test_an_upload_is_compared_once_when_nothing_arrived_meanwhile(
    any_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second comparison is for entries committed while an upload was stored: with none,
    the upload's hashes are searched and verified once, not twice."""
    contest, author = setup(any_runtime)
    submit(any_runtime, author, seed=2)
    real = flags.find_lookalikes
    calls = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(flags, "find_lookalikes", counted)
    monkeypatch.setattr(submissions, "find_lookalikes", counted)
    _submit(any_runtime, any_runtime.store, author, contest, seed=3)
    assert len(calls) == 1


def test_an_upload_is_kept_when_comparing_it_again_fails(
    any_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second comparison runs after the entry is committed: if the database goes away
    then, the receipt still stands (the entry is there) and nothing is half-written."""
    contest, author = setup(any_runtime)
    indexes = any_runtime.indexes
    real = indexes.sync
    calls = []

    def second_sync_fails(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise DatabaseUnavailable()
        return real(*args, **kwargs)

    monkeypatch.setattr(indexes, "sync", second_sync_fails)
    receipt = _submit(any_runtime, any_runtime.store, author, contest, seed=3)
    assert len(calls) == 2 and receipt.lookalikes == []
    with any_runtime.session() as session:
        assert session.get(Entry, receipt.entry.id) is not None
        assert session.exec(select(DuplicateFlag)).all() == []
