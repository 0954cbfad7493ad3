"""gc removes only objects no row refers to, older than its grace period by the store's clock,
and never one an upload in flight or a row committed meanwhile needs."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from contest.core.errors import StorageFailed
from contest.core.models import ImageObject
from contest.core.timeutil import utcnow
from contest.entries.garbage import DEFAULT_GRACE, collect_garbage
from contest.entries.objects import REFRESH_AFTER
from contest.entries.submissions import Receipt, submit_entry
from contest.runtime import Runtime
from tests.contest.test_submissions import all_objects, setup
from tests.factories import create_user, draft, poster_bytes, submit
from tests.support.stores import FlakyStore, GatedStore

LATER = DEFAULT_GRACE + timedelta(hours=1)


def age(runtime: Runtime, key: str, by: timedelta) -> None:
    """Make a local object look ``by`` older, as the store's own timestamp sees it."""
    path = Path(runtime.settings.objects_dir) / key
    stamp = (utcnow() - by).timestamp()
    os.utime(path, (stamp, stamp))


def test_gc_removes_only_unreferenced_objects_past_the_grace(runtime: Runtime) -> None:
    _contest, author = setup(runtime)
    receipt = submit(runtime, author, seed=1)
    runtime.store.put("originals/ab/stray.png", b"x", "image/png")
    runtime.store.put("thumbs/ab/fresh.webp", b"x", "image/webp")
    age(runtime, "originals/ab/stray.png", LATER)
    for key in (receipt.image.original_key, receipt.image.thumb_key):
        age(runtime, key, LATER)

    listed = collect_garbage(runtime.session, runtime.store, delete=False)
    assert listed == ["originals/ab/stray.png"]
    assert runtime.store.exists("originals/ab/stray.png")
    assert collect_garbage(runtime.session, runtime.store, delete=True) == listed
    assert not runtime.store.exists("originals/ab/stray.png")
    assert runtime.store.exists("thumbs/ab/fresh.webp")
    assert runtime.store.exists(receipt.image.original_key)


def test_gc_refuses_a_grace_shorter_than_an_upload_can_take(runtime: Runtime) -> None:
    with pytest.raises(ValueError, match="shorter"):
        collect_garbage(runtime.session, runtime.store, delete=True, grace=timedelta(minutes=5))


def test_gc_during_an_upload_leaves_its_objects(any_runtime: Runtime) -> None:
    contest, author = setup(any_runtime)
    gate = GatedStore(any_runtime.store, after_puts=3)

    def upload() -> Receipt:
        with any_runtime.session() as session:
            return submit_entry(
                session,
                store=gate,
                indexes=any_runtime.indexes,
                actor=author,
                draft=draft(contest),
                data=poster_bytes(3),
            )

    with ThreadPoolExecutor(1) as pool:
        uploading = pool.submit(upload)
        try:
            assert gate.reached.wait(30)
            removed = collect_garbage(any_runtime.session, any_runtime.store, delete=True)
        finally:
            gate.release()
        receipt = uploading.result(timeout=30)
    assert removed == []
    for key in (receipt.image.original_key, receipt.image.display_key, receipt.image.thumb_key):
        assert any_runtime.store.exists(key)


class CommitsOnFirstDelete:
    """Between gc's listing and its second delete, an upload commits a row for that key."""

    def __init__(self, runtime: Runtime, key: str) -> None:
        self.runtime, self.store, self.key = runtime, runtime.store, key

    def delete(self, key: str) -> None:
        self.store.delete(key)
        if self.key:
            with self.runtime.session() as session:
                session.add(
                    ImageObject(
                        sha256="c" * 64,
                        original_key=self.key,
                        display_key="display/cc/c.jpg",
                        thumb_key="thumbs/cc/c.webp",
                        source_format="PNG",
                        width=800,
                        height=1100,
                        size_bytes=1,
                        pixel_sha256="d" * 64,
                    )
                )
            self.key = ""

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def test_gc_checks_references_again_right_before_each_delete(runtime: Runtime) -> None:
    for key in ("originals/aa/one.png", "originals/bb/two.png"):
        runtime.store.put(key, b"x", "image/png")
        age(runtime, key, LATER)
    store = CommitsOnFirstDelete(runtime, "originals/bb/two.png")
    removed = collect_garbage(runtime.session, store, delete=True)
    assert removed == ["originals/aa/one.png"]
    assert runtime.store.exists("originals/bb/two.png")


def test_objects_a_failed_upload_left_are_removed_after_the_grace(runtime: Runtime) -> None:
    contest, author = setup(runtime)
    with runtime.session() as session, pytest.raises(StorageFailed):
        submit_entry(
            session,
            store=FlakyStore(runtime.store, fail_on=3),
            indexes=runtime.indexes,
            actor=author,
            draft=draft(contest),
            data=poster_bytes(1),
        )
    left = all_objects(runtime)
    assert len(left) == 2
    assert collect_garbage(runtime.session, runtime.store, delete=True) == []
    later = utcnow() + LATER
    assert collect_garbage(runtime.session, runtime.store, delete=True, now=later) == left
    assert all_objects(runtime) == []


def test_an_old_object_reused_by_an_upload_is_written_again(runtime: Runtime) -> None:
    """An orphan gc could take any moment is refreshed, so the new row keeps its file."""
    _contest, author = setup(runtime)
    first = submit(runtime, author, seed=8)
    key = first.image.display_key
    age(runtime, key, REFRESH_AFTER + timedelta(minutes=5))
    stale = runtime.store.modified(key)
    assert stale is not None
    # the same pixels again, from another author: the display copy's key is the same
    with runtime.session() as session:
        other = create_user(session)
    again = submit(runtime, other, seed=8)
    assert again.image.display_key == key
    refreshed = runtime.store.modified(key)
    assert refreshed is not None and refreshed > stale
