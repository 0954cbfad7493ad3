"""gc deletes only what is still unreferenced when it deletes: an old orphan uploaded again
while gc is removing it is refused (the user sends it again) instead of committing a row whose
object gc then deletes. Both databases."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlmodel import select

from contest.core.errors import StorageFailed
from contest.core.models import ImageObject, ObjectRemoval
from contest.core.timeutil import utcnow
from contest.entries.garbage import collect_garbage
from contest.entries.ingest import process_upload
from contest.entries.labelling import source_type_for
from contest.entries.objects import hold_objects, image_keys, keys_for, store_image
from contest.runtime import Runtime
from storage import ObjectStore
from tests.contest.test_garbage import LATER, age
from tests.contest.test_submissions import setup
from tests.factories import poster_bytes, submit


class PausesOnFirstDelete:
    """Delegates to a real store; its first delete waits until the test releases it, as gc
    on a slow network does between its checks and its delete."""

    def __init__(self, store: ObjectStore) -> None:
        self.store = store
        self.reached, self.released = threading.Event(), threading.Event()

    def delete(self, key: str) -> None:
        if not self.reached.is_set():
            self.reached.set()
            assert self.released.wait(60)
        self.store.delete(key)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def test_an_orphan_uploaded_again_while_gc_removes_it_is_never_left_missing(
    any_runtime: Runtime,
) -> None:
    contest, author = setup(any_runtime)
    data = poster_bytes(11)
    stamp = source_type_for("문구")  # as the factory's draft declares its own part
    orphan = store_image(
        any_runtime.store, process_upload(data, source_type=stamp), uploaded_by=None
    )
    for key in image_keys(orphan):  # left by a failed upload long ago
        age(any_runtime, key, LATER)
    paused = PausesOnFirstDelete(any_runtime.store)
    with ThreadPoolExecutor(1) as pool:
        collecting = pool.submit(collect_garbage, any_runtime.session, paused, delete=True)
        try:
            assert paused.reached.wait(60)  # gc has decided: it is about to delete
            with pytest.raises(StorageFailed) as refused:
                submit(any_runtime, author, seed=11)  # the very same file, again
            assert refused.value.key == "error.storage_collecting"
        finally:
            paused.released.set()
        removed = collecting.result(timeout=60)
    # the original went; the copies the refused upload wrote again stay for a later run
    assert removed == [orphan.original_key]
    with any_runtime.session() as session:
        assert session.exec(select(ImageObject)).all() == []  # no row to a deleted object
        assert session.exec(select(ObjectRemoval)).all() == []
    again = submit(any_runtime, author, seed=11)  # sent again: written anew
    assert (
        again.image.original_key
        == keys_for(process_upload(data, source_type=stamp))["original_key"]
    )
    for key in image_keys(again.image):
        assert any_runtime.store.exists(key)
    del contest


def test_a_removal_left_half_way_is_finished_by_the_next_run(any_runtime: Runtime) -> None:
    contest, author = setup(any_runtime)
    any_runtime.store.put("originals/ab/left.png", b"x", "image/png")
    with any_runtime.session() as session:
        session.add(ObjectRemoval(key="originals/ab/left.png", started_at=utcnow()))
    with pytest.raises(StorageFailed), any_runtime.session() as session:  # no row may refer to it
        hold_objects(
            session,
            ImageObject(
                original_key="originals/ab/left.png",
                display_key="display/ab/x.jpg",
                thumb_key="thumbs/ab/x.webp",
            ),
        )
    assert collect_garbage(any_runtime.session, any_runtime.store, delete=True) == [
        "originals/ab/left.png"
    ]
    assert not any_runtime.store.exists("originals/ab/left.png")
    with any_runtime.session() as session:
        assert session.exec(select(ObjectRemoval)).all() == []
    del contest, author
