"""The hash index of each contest, kept in memory per process as a cache of the database.

It is filled from ImageObject rows and topped up with the rows it has not seen, so several
replicas each stay correct.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from contest.core.errors import StaleHashes
from contest.core.models import Entry, ImageObject
from contest.dedupe.hashes import VERSION, PosterHashes
from contest.dedupe.index import HashIndex

# Image ids this far below the highest one seen are looked at again on every sync: ids come
# from a sequence when a row is written, and a transaction (another upload, another replica)
# may commit after one that took a later id.
LOOKBACK = 1_000


@dataclass
class _Synced:
    index: HashIndex
    images: set[int] = field(default_factory=set)  # image ids already in the index
    built_at: float = field(default_factory=time.monotonic)


class DedupeIndexes:
    """One HashIndex per contest, synchronised from the database before every query.

    New rows are picked up incrementally: image ids not seen yet among the newest (a row
    committed after one with a later id is still found); a full rebuild every
    ``rebuild_after`` seconds also catches anything older. Rows whose hashes are of an older
    recipe make ``sync`` raise StaleHashes (with their count) instead of being compared or
    skipped: ``python -m contest rehash`` recomputes them.
    """

    def __init__(self, rebuild_after: float = 300.0) -> None:
        self._lock = threading.Lock()
        self._indexes: dict[int, _Synced] = {}
        self.rebuild_after = rebuild_after

    def sync(self, session: Session, contest_id: int) -> HashIndex:
        with self._lock:
            synced = self._indexes.get(contest_id)
            if synced is None or time.monotonic() - synced.built_at > self.rebuild_after:
                rows = _hashes(session, contest_id)
                index = HashIndex.build((entry_id, hashes) for entry_id, _, hashes in rows)
                synced = _Synced(index, {image_id for _, image_id, _ in rows})
            else:
                top = max(synced.images, default=0)
                recent = session.exec(
                    select(ImageObject.id)
                    .join(Entry, col(Entry.image_id) == col(ImageObject.id))
                    .where(Entry.contest_id == contest_id, col(ImageObject.id) > top - LOOKBACK)
                ).all()
                new = [i for i in recent if i is not None and i not in synced.images]
                for entry_id, image_id, hashes in _hashes(session, contest_id, new) if new else []:
                    synced.index.remove(entry_id)
                    synced.index.add(entry_id, hashes)
                    synced.images.add(image_id)
            self._indexes[contest_id] = synced
            return synced.index

    def images(self, contest_id: int) -> frozenset[int]:
        """The image ids this process's index of the contest holds now (none before a sync)."""
        with self._lock:
            synced = self._indexes.get(contest_id)
            return frozenset(synced.images) if synced else frozenset()

    def forget(self, contest_id: int) -> None:
        with self._lock:
            self._indexes.pop(contest_id, None)


def _hashes(
    session: Session, contest_id: int, image_ids: list[int] | None = None
) -> list[tuple[int, int, PosterHashes]]:
    """(entry id, image id, hashes) of the contest's entries (of these images only, if given),
    in image order; StaleHashes if any is of another recipe (never compare two recipes)."""
    query = (
        select(Entry.id, ImageObject.id, ImageObject.hashes)
        .join(ImageObject, col(Entry.image_id) == col(ImageObject.id))
        .where(Entry.contest_id == contest_id)
        .order_by(col(ImageObject.id))
    )
    if image_ids is not None:
        query = query.where(col(ImageObject.id).in_(image_ids))
    rows = session.exec(query).all()
    stale = sum(hashes.get("v") != VERSION for _, _, hashes in rows)
    if stale:
        raise StaleHashes(count=stale)
    return [(e or 0, i or 0, PosterHashes.from_json(h)) for e, i, h in rows]
