"""Recompute the perceptual hashes of stored images after the hash recipe changed.

The duplicate index refuses hashes of another recipe (contest.dedupe.hashes.StaleHashes) rather
than compare them with the wrong meaning; ``python -m contest rehash`` runs this. Each image is
hashed again from its stored original exactly as at upload (normalised, display size), outside
any transaction; each new value is written in its own short transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from contest.core.db import session_scope
from contest.core.errors import ContestError
from contest.core.models import ImageObject
from contest.dedupe.hashes import VERSION
from contest.dedupe.hashing import compute_hashes
from contest.entries.ingest import display_picture
from contest.images.decode import ImageLimits
from storage import ObjectStore, StorageError

# The upload was accepted once; its size limits are not checked again.
_LIMITS = ImageLimits(min_short_side=1)


@dataclass(frozen=True)
class RehashReport:
    stale: int  # images whose hashes were of another recipe
    recomputed: int
    failed: list[tuple[int, str]] = field(default_factory=list)  # (image id, reason)


def stale_image_ids(session: Session) -> list[int]:
    """Ids of the images whose stored hashes are not of the current recipe."""
    rows = session.exec(select(ImageObject.id, ImageObject.hashes)).all()
    return sorted(i for i, hashes in rows if i is not None and hashes.get("v") != VERSION)


def rehash_images(
    engine: Engine,
    store: ObjectStore,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> RehashReport:
    """Recompute every stale image's hashes from its original; failures are reported, the
    rest still done (a rerun picks up what is left)."""
    with session_scope(engine) as session:
        ids = stale_image_ids(session)
        keys = dict(
            session.exec(
                select(ImageObject.id, ImageObject.original_key).where(col(ImageObject.id).in_(ids))
            ).all()
        )
    done, failed = 0, []
    for n, image_id in enumerate(ids, 1):
        try:
            picture = display_picture(store.get(keys[image_id]), _LIMITS)
            hashes = compute_hashes(picture).to_json()
        except (ContestError, StorageError, OSError) as error:
            failed.append((image_id, str(error)))
            continue
        with session_scope(engine) as session:
            row = session.get(ImageObject, image_id)
            if row is not None:
                row.hashes = hashes
                session.add(row)
                done += 1
        if progress is not None:
            progress(n, len(ids))
    return RehashReport(stale=len(ids), recomputed=done, failed=failed)
