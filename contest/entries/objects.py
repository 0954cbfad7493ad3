"""Content-addressed object keys and all-or-nothing writes of one image's copies."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session

from contest.core.errors import StorageFailed
from contest.core.models import ImageObject
from contest.entries.ingest import ProcessedImage
from storage import ObjectStore, StorageError

EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
PREFIXES = ("originals/", "display/", "thumbs/")


def keys_for(image: ProcessedImage) -> dict[str, str]:
    """Originals are keyed by their bytes; derived copies by the decoded pixels they show."""
    ext = EXTENSIONS[image.source_format]
    return {
        "original_key": f"originals/{image.sha256[:2]}/{image.sha256}.{ext}",
        "display_key": f"display/{image.pixel_sha256[:2]}/{image.pixel_sha256}.jpg",
        "thumb_key": f"thumbs/{image.pixel_sha256[:2]}/{image.pixel_sha256}.webp",
    }


class PendingObjects:
    """Objects written for one action, so a later failure can remove exactly those."""

    def __init__(self, store: ObjectStore) -> None:
        self.store = store
        self.written: list[str] = []

    def put(self, key: str, data: bytes, content_type: str) -> None:
        if self.store.exists(key):
            return  # content-addressed: same key, same bytes; someone else's row may use it
        try:
            self.store.put(key, data, content_type)
        except (StorageError, OSError) as exc:
            raise StorageFailed() from exc
        self.written.append(key)

    def store_image(self, image: ProcessedImage, *, uploaded_by: int | None) -> ImageObject:
        keys = keys_for(image)
        self.put(keys["original_key"], image.original, image.original_content_type)
        self.put(keys["display_key"], image.display, "image/jpeg")
        self.put(keys["thumb_key"], image.thumbnail, "image/webp")
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
            uploaded_by=uploaded_by,
        )

    def discard(self) -> None:
        for key in reversed(self.written):
            try:
                self.store.delete(key)
            except (StorageError, OSError):
                continue  # `python -m contest gc` removes what is left
        self.written.clear()


@contextmanager
def atomic_upload(session: Session, store: ObjectStore) -> Iterator[PendingObjects]:
    """Objects and rows together or not at all.

    Yields a writer for objects; the caller adds rows to ``session``. On success the
    transaction commits; if anything raises (the block or the commit), the transaction rolls
    back and every object written here is deleted again.
    """
    pending = PendingObjects(store)
    try:
        yield pending
        session.commit()
    except BaseException:
        session.rollback()
        pending.discard()
        raise
