"""The picture that stands in for a deleted poster: a withdrawn or disqualified entry keeps its
row (its number, the decisions about it, the audit log) but its image is deleted from the
store, and the entry then shows this plain grey card instead. One card per database, drawn the
same every time, so its content-addressed keys never change."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw
from sqlmodel import Session, select

from contest.core.models import ImageObject
from contest.entries.ingest import ProcessedImage, process_upload
from contest.entries.objects import keys_for, store_image
from storage import ObjectStore

SIZE = (600, 800)
BACKGROUND, MARK = (229, 231, 235), (156, 163, 175)


def removed_picture() -> bytes:
    """A grey card with a thin frame and a diagonal: "no picture here", in no language."""
    image = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    w, h = SIZE
    draw.rectangle((40, 40, w - 40, h - 40), outline=MARK, width=6)
    draw.line((40, h - 40, w - 40, 40), fill=MARK, width=6)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def prepared() -> ProcessedImage:
    """The card through the upload pipeline: copies and duplicate-check hashes like any poster
    (the contest's duplicate index reads every entry's hashes)."""
    return process_upload(removed_picture())


def write_objects(store: ObjectStore, card: ProcessedImage) -> ImageObject:
    """Store the card's objects (before any row names them); the row to use or add."""
    return store_image(store, card, uploaded_by=None)


def placeholder_row(session: Session, card: ProcessedImage, fresh: ImageObject) -> ImageObject:
    """The card's row: the one already in the database, or ``fresh`` added now."""
    keys = keys_for(card)
    found = session.exec(
        select(ImageObject).where(
            ImageObject.original_key == keys["original_key"],
            ImageObject.thumb_key == keys["thumb_key"],
        )
    ).first()
    if found is not None:
        return found
    session.add(fresh)
    session.flush()
    return fresh
