"""The hash index of each contest, kept in memory per process as a cache of the database.

It is filled from ImageObject rows and topped up with rows newer than the last one it saw, so
several replicas each stay correct.
"""

from __future__ import annotations

import threading
import time

from sqlmodel import Session, col, select

from contest.core.errors import StaleHashes
from contest.core.models import Entry, ImageObject
from contest.dedupe.hashes import VERSION, PosterHashes
from contest.dedupe.index import HashIndex


class DedupeIndexes:
    """One HashIndex per contest, synchronised from the database before every query.

    New rows are picked up incrementally (image ids above the last seen); a full rebuild every
    ``rebuild_after`` seconds also catches rows another replica committed out of id order.
    Rows whose hashes are of an older recipe make ``sync`` raise StaleHashes (with their
    count) instead of being compared or skipped: ``python -m contest rehash`` recomputes them.
    """

    def __init__(self, rebuild_after: float = 300.0) -> None:
        self._lock = threading.Lock()
        self._indexes: dict[int, tuple[HashIndex, int, float]] = {}
        self.rebuild_after = rebuild_after

    def sync(self, session: Session, contest_id: int) -> HashIndex:
        with self._lock:
            index, seen, built_at = self._indexes.get(contest_id, (HashIndex.build([]), 0, 0.0))
            if time.monotonic() - built_at > self.rebuild_after:
                index, seen, built_at = HashIndex.build([]), 0, time.monotonic()
            rows = session.exec(
                select(Entry.id, ImageObject.id, ImageObject.hashes)
                .join(ImageObject, col(Entry.image_id) == col(ImageObject.id))
                .where(Entry.contest_id == contest_id, col(ImageObject.id) > seen)
                .order_by(col(ImageObject.id))
            ).all()
            stale = sum(hashes.get("v") != VERSION for _, _, hashes in rows)
            if stale:  # never compare two recipes; the index stays as it was
                raise StaleHashes(count=stale)
            found = [(e or 0, i or 0, PosterHashes.from_json(h)) for e, i, h in rows]
            if seen == 0:  # a fresh index: one bulk build instead of n appends
                index = HashIndex.build((entry_id, hashes) for entry_id, _, hashes in found)
            else:
                for entry_id, _, hashes in found:
                    index.remove(entry_id)
                    index.add(entry_id, hashes)
            seen = max([seen, *(image_id for _, image_id, _ in found)])
            self._indexes[contest_id] = (index, seen, built_at)
            return index

    def forget(self, contest_id: int) -> None:
        with self._lock:
            self._indexes.pop(contest_id, None)
