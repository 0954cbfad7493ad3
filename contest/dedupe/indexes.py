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
    image_of: dict[int, int]  # entry id -> the image id of its hashes in the index
    images: set[int] = field(default_factory=set)  # those image ids
    checked_at: float = field(default_factory=time.monotonic)


class DedupeIndexes:
    """One HashIndex per contest, synchronised from the database before every query.

    New rows are picked up incrementally: image ids not seen yet among the newest (a row
    committed after one with a later id is still found). Every ``check_all_after`` seconds the
    ids of all the contest's entries are read as well (ids only, not their hashes): an entry
    gone, or with another image now, leaves the index, and a row missed by the incremental
    reads joins it; the rest is not read again. Rows whose hashes are of an older recipe make
    ``sync`` raise StaleHashes (with their count) instead of being compared or skipped:
    ``python -m contest rehash`` recomputes them.
    """

    def __init__(self, check_all_after: float = 300.0) -> None:
        self._lock = threading.Lock()
        self._indexes: dict[int, _Synced] = {}
        self.check_all_after = check_all_after

    def sync(self, session: Session, contest_id: int) -> HashIndex:
        with self._lock:
            synced = self._indexes.get(contest_id)
            if synced is None:
                rows = _hashes(session, contest_id)
                index = HashIndex.build((entry_id, hashes) for entry_id, _, hashes in rows)
                image_of = {entry_id: image_id for entry_id, image_id, _ in rows}
                synced = _Synced(index, image_of, set(image_of.values()))
            else:
                _refresh(session, contest_id, synced, self.check_all_after)
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


def _refresh(session: Session, contest_id: int, synced: _Synced, whole_after: float) -> None:
    """Bring an index up to date (see DedupeIndexes): the newest image ids, or every one when
    ``whole_after`` seconds have passed since the last whole check."""
    whole = time.monotonic() - synced.checked_at > whole_after
    query = (
        select(ImageObject.id, Entry.id)
        .join(Entry, col(Entry.image_id) == col(ImageObject.id))
        .where(Entry.contest_id == contest_id)
    )
    if not whole:
        query = query.where(col(ImageObject.id) > max(synced.images, default=0) - LOOKBACK)
    current = {image_id: entry_id for image_id, entry_id in session.exec(query).all()}
    if whole:
        for entry_id, image_id in list(synced.image_of.items()):
            if current.get(image_id) != entry_id:  # the entry is gone, or has another image
                synced.index.remove(entry_id)
                del synced.image_of[entry_id]
                synced.images.discard(image_id)
        synced.checked_at = time.monotonic()
    new = [i for i in current if i is not None and i not in synced.images]
    for entry_id, image_id, hashes in _hashes(session, contest_id, new) if new else []:
        synced.images.discard(synced.image_of.get(entry_id, -1))
        synced.index.remove(entry_id)
        synced.index.add(entry_id, hashes)
        synced.image_of[entry_id] = image_id
        synced.images.add(image_id)


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
