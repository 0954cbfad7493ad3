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

    The database is read (and a first index built) outside the lock, which is held only to
    look at the index and to apply what was read: a slow read or a large contest's first
    build never holds up another contest's upload. What was read may be older than what
    another thread applied meanwhile; applying it then changes nothing (see _apply).

    The index a sync returns never changes: what a later sync applies goes into a new one
    (HashIndex.updated), so an upload's search, which runs outside the lock, reads one
    consistent set of rows while another upload or a deletion is applied. Two first syncs of
    one contest at once may each build the index; the first applied is kept.
    """

    def __init__(self, check_all_after: float = 300.0) -> None:
        self._lock = threading.Lock()
        self._indexes: dict[int, _Synced] = {}
        self.check_all_after = check_all_after

    def sync(self, session: Session, contest_id: int) -> HashIndex:
        with self._lock:
            synced = self._indexes.get(contest_id)
            if synced is not None:
                whole = time.monotonic() - synced.checked_at > self.check_all_after
                seen = dict(synced.image_of)
                if whole:
                    synced.checked_at = time.monotonic()  # one thread does it
        if synced is None:
            rows = _hashes(session, contest_id)
            index = HashIndex.build((entry_id, hashes) for entry_id, _, hashes in rows)
            image_of = {entry_id: image_id for entry_id, image_id, _ in rows}
            built = _Synced(index, image_of, set(image_of.values()))
            with self._lock:
                return self._indexes.setdefault(contest_id, built).index
        since = None if whole else max(seen.values(), default=0) - LOOKBACK
        current = _entries(session, contest_id, since)
        known = set(seen.values())
        new = [image_id for image_id in current if image_id not in known]
        rows = _hashes(session, contest_id, new) if new else []
        with self._lock:
            _apply(synced, seen, current if whole else None, rows)
            return synced.index

    def images(self, contest_id: int) -> frozenset[int]:
        """The image ids this process's index of the contest holds now (none before a sync)."""
        with self._lock:
            synced = self._indexes.get(contest_id)
            return frozenset(synced.images) if synced else frozenset()

    def forget(self, contest_id: int) -> None:
        with self._lock:
            self._indexes.pop(contest_id, None)


def _entries(session: Session, contest_id: int, since: int | None) -> dict[int, int]:
    """image id -> entry id of the contest's entries (those with an image id above ``since``,
    unless None)."""
    query = (
        select(ImageObject.id, Entry.id)
        .join(Entry, col(Entry.image_id) == col(ImageObject.id))
        .where(Entry.contest_id == contest_id)
    )
    if since is not None:
        query = query.where(col(ImageObject.id) > since)
    return {image_id or 0: entry_id or 0 for image_id, entry_id in session.exec(query).all()}


def _apply(
    synced: _Synced,
    seen: dict[int, int],
    current: dict[int, int] | None,
    rows: list[tuple[int, int, PosterHashes]],
) -> None:
    """Apply a read to the index (under the lock). ``seen``: entry id -> image id in the index
    when the read began; ``current``: every entry's image (a whole check), or None; ``rows``:
    the hashes of images the index did not hold. What another thread changed since ``seen``
    is left alone: an entry it added or gave a newer image is not judged by an older read.
    A change makes a new index (HashIndex.updated): the one a search may be reading stays."""
    removed = []
    if current is not None:
        for entry_id, image_id in seen.items():
            if current.get(image_id) != entry_id and synced.image_of.get(entry_id) == image_id:
                removed.append(entry_id)  # the entry is gone, or has another image
                del synced.image_of[entry_id]
                synced.images.discard(image_id)
    added = []
    for entry_id, image_id, hashes in rows:
        held = synced.image_of.get(entry_id)
        if image_id in synced.images or (held is not None and held > image_id):
            continue  # another thread applied this, or a newer image of the entry
        synced.images.discard(held if held is not None else -1)
        added.append((entry_id, hashes))
        synced.image_of[entry_id] = image_id
        synced.images.add(image_id)
    if removed or added:
        synced.index = synced.index.updated(removed, added)


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
