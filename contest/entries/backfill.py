"""Images stored before files were read and copies were stamped: read what each original says
about its making, and make its copies again with the digital source type of its entry.

``python -m contest backfill-provenance`` runs this (``prepare`` too, so ``make run`` brings an
older data folder up to date). Each image is read and its copies made outside any transaction;
each row is then updated in its own short one. The old, unstamped copies are left to
``python -m contest gc`` once no row refers to them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from contest.core.db import session_scope
from contest.core.errors import ContestError
from contest.core.models import Entry, ImageObject
from contest.entries.labelling import relabel, source_type_for, stamped
from contest.images.provenance.read import read_provenance
from contest.images.publisher import Publisher
from storage import ObjectStore, StorageError


@dataclass(frozen=True)
class BackfillReport:
    pending: int  # images of entries missing their record or their stamp
    done: int
    failed: list[tuple[int, str]] = field(default_factory=list)  # (image id, reason)


def pending_images(session: Session, *, signed: bool = False) -> list[tuple[int, str]]:
    """(image id, the stamp its copies should carry) for every entry's image still to do."""
    rows = session.exec(
        select(ImageObject, Entry.human_part).join(
            Entry, col(Entry.image_id) == col(ImageObject.id)
        )
    ).all()
    pending = []
    for image, human_part in rows:
        source_type = source_type_for(human_part)
        if image.provenance is None or not stamped(image, source_type, signed=signed):
            pending.append((image.id or 0, source_type))
    return sorted(pending)


def backfill(
    engine: Engine,
    store: ObjectStore,
    *,
    publisher: Publisher | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BackfillReport:
    """Bring every pending image up to date (copies signed by ``publisher`` if any); failures
    are reported, the rest still done."""
    with session_scope(engine) as session:
        pending = pending_images(session, signed=publisher is not None)
        images = {
            image.id: image
            for image in session.exec(
                select(ImageObject).where(col(ImageObject.id).in_([i for i, _ in pending]))
            ).all()
        }
        for image in images.values():
            session.expunge(image)
    done, failed = 0, []
    for n, (image_id, source_type) in enumerate(pending, 1):
        image = images[image_id]
        try:
            record = image.provenance
            if record is None:
                original = store.get(image.original_key)
                record = read_provenance(original, image.source_format).to_json()
            keys = relabel(store, image, source_type, publisher)
        except (ContestError, StorageError, OSError) as error:
            failed.append((image_id, str(error)))
            continue
        with session_scope(engine) as session:
            row = session.get(ImageObject, image_id)
            if row is not None:
                row.provenance = record
                if keys is not None:
                    row.display_key, row.thumb_key = keys["display_key"], keys["thumb_key"]
                session.add(row)
                done += 1
        if progress is not None:
            progress(n, len(pending))
    return BackfillReport(pending=len(pending), done=done, failed=failed)
