"""Content-addressed object keys and the writes of one image's copies.

An upload writes its objects before any database lock is taken, and a failure afterwards never
deletes them: another upload of the same bytes, running at the same moment, may be about to
commit a row that refers to the very same keys. Objects no row refers to are removed by
``python -m contest gc`` once they are older than its grace period (see garbage.py). An object
that is already stored is reused, and written again if it is old enough that gc could remove
it before this upload's row commits. Should gc be removing one of them at that very moment (an
old orphan uploaded again), the row is not written (``hold_objects``): the user is asked to
send the poster again, and then its objects are written anew.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from contest.core.db import lock_names
from contest.core.errors import StorageFailed, StorageUnavailable
from contest.core.models import ImageObject, ObjectRemoval
from contest.core.store import storage_errors
from contest.core.timeutil import utcnow
from contest.entries.ingest import Copies, ProcessedImage
from contest.images.stamp import TAGS
from storage import ObjectStore

EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
PREFIXES = ("originals/", "display/", "thumbs/")
# An existing object older than this is written again before reuse. gc's grace period must be
# longer than this plus the longest upload (garbage.MIN_GRACE).
REFRESH_AFTER = timedelta(hours=1)


def copy_keys(pixel_sha256: str, source_type: str, *, signed: bool = False) -> dict[str, str]:
    """Derived copies are keyed by the decoded pixels they show and the stamp they carry (the
    same pixels stamped otherwise are other bytes; copies from before the stamp have no tag),
    and whether the contest signed them as publisher."""
    name = f"{pixel_sha256[:2]}/{pixel_sha256}.{TAGS[source_type]}" + (".c2pa" if signed else "")
    return {"display_key": f"display/{name}.jpg", "thumb_key": f"thumbs/{name}.webp"}


def keys_for(image: ProcessedImage) -> dict[str, str]:
    """Originals are keyed by their bytes, copies by copy_keys."""
    ext = EXTENSIONS[image.source_format]
    return {
        "original_key": f"originals/{image.sha256[:2]}/{image.sha256}.{ext}",
        **copy_keys(image.pixel_sha256, image.source_type, signed=image.signed),
    }


def store_copies(store: ObjectStore, keys: dict[str, str], copies: Copies) -> None:
    """Write a display copy and thumbnail made again with another stamp (labelling.py)."""
    try:
        with storage_errors():
            _put_fresh(store, keys["display_key"], copies.display, "image/jpeg")
            _put_fresh(store, keys["thumb_key"], copies.thumbnail, "image/webp")
    except StorageUnavailable as exc:
        raise StorageUnavailable("error.storage_unavailable_upload") from exc


def image_keys(row: ImageObject) -> list[str]:
    return [row.original_key, row.display_key, row.thumb_key]


def hold_objects(session: Session, row: ImageObject) -> None:
    """Inside the writer transaction that adds ``row``: its objects' keys are locked until the
    commit, so gc cannot start removing one meanwhile, and StorageFailed if gc already is."""
    keys = image_keys(row)
    lock_names(session, keys)
    removing = session.exec(
        select(ObjectRemoval.key).where(col(ObjectRemoval.key).in_(keys))
    ).first()
    if removing is not None:
        raise StorageFailed("error.storage_collecting")


def _put_fresh(store: ObjectStore, key: str, data: bytes, content_type: str) -> None:
    modified = store.modified(key)
    if modified is None or utcnow() - modified > REFRESH_AFTER:
        store.put(key, data, content_type)


def store_image(
    store: ObjectStore, image: ProcessedImage, *, uploaded_by: int | None
) -> ImageObject:
    """Write the original, display copy and thumbnail; return the row for the caller to add.

    Raises StorageUnavailable (with the upload's message) or StorageFailed; nothing is deleted.
    """
    keys = keys_for(image)
    try:
        with storage_errors():
            _put_fresh(store, keys["original_key"], image.original, image.original_content_type)
            _put_fresh(store, keys["display_key"], image.display, "image/jpeg")
            _put_fresh(store, keys["thumb_key"], image.thumbnail, "image/webp")
    except StorageUnavailable as exc:
        raise StorageUnavailable("error.storage_unavailable_upload") from exc
    return ImageObject(
        original_key=keys["original_key"],
        display_key=keys["display_key"],
        thumb_key=keys["thumb_key"],
        sha256=image.sha256,
        source_format=image.source_format,
        width=image.width,
        height=image.height,
        size_bytes=image.size_bytes,
        pixel_sha256=image.pixel_sha256,
        hashes=image.hashes.to_json(),
        provenance=image.provenance.to_json(),
        uploaded_by=uploaded_by,
    )
