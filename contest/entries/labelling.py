"""Which IPTC digital source type a poster's served copies carry, and making them carry it.

Every poster of this contest is made with generative AI: its copies say
``trainedAlgorithmicMedia``, or ``compositeWithTrainedAlgorithmicMedia`` where the author
describes work of their own in it (the "human part" of the form: lettering, retouching,
layout...). The stamp follows the declaration: an edit that adds or removes that description
makes the copies again from the stored original (exactly as at upload) under their new keys.
"""

from __future__ import annotations

from contest.core.models import ImageObject
from contest.core.store import storage_errors
from contest.entries.ingest import stamped_copies
from contest.entries.objects import copy_keys, store_copies
from contest.images.decode import ImageLimits
from contest.images.provenance.record import COMPOSITE, TRAINED
from contest.images.publisher import Publisher
from storage import ObjectStore

# The upload was accepted once; its size limits are not checked again.
STORED = ImageLimits(min_short_side=1)


def source_type_for(human_part: str) -> str:
    """The digital source type of a poster whose author describes ``human_part`` as their own."""
    return COMPOSITE if human_part.strip() else TRAINED


def stamped(image: ImageObject, source_type: str, *, signed: bool = False) -> bool:
    """Whether ``image``'s copies already carry ``source_type`` (and the contest's signature)."""
    keys = copy_keys(image.pixel_sha256, source_type, signed=signed)
    return image.display_key == keys["display_key"]


def relabel(
    store: ObjectStore,
    image: ImageObject,
    source_type: str,
    publisher: Publisher | None = None,
) -> dict[str, str] | None:
    """Write ``image``'s copies stamped with ``source_type`` (and signed by ``publisher``; slow:
    a decode; call it holding no lock) and return their keys for the row, or None when they
    already are so.

    Raises StorageUnavailable / StorageFailed, or InvalidImage for an original that no longer
    decodes."""
    if stamped(image, source_type, signed=publisher is not None):
        return None
    with storage_errors():
        original = store.get(image.original_key)
    pixel_sha, copies = stamped_copies(original, source_type, STORED, publisher)
    keys = copy_keys(pixel_sha, source_type, signed=copies.signed)
    store_copies(store, keys, copies)
    return keys
