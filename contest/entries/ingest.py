"""An upload made ready to store: checked, decoded once, its copies and hashes derived.

One chain, each step from the one before: the decode (a large JPEG already at a reduced scale,
see images.decode), the display copy (long side 2048), then the thumbnail and the perceptual
hashes from the display copy (hashes from the 480 px thumbnail saved 3 ms but found 4 of 40
screenshot copies fewer in bench/bench_dedupe.py quality). A large PNG's full-size picture is
dropped as soon as the display copy is made.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from PIL import Image

from contest.core import metrics
from contest.dedupe.hashes import PosterHashes
from contest.dedupe.hashing import compute_hashes
from contest.images.copies import (
    DISPLAY_LONG_SIDE,
    DISPLAY_OPTIONS,
    THUMB_LONG_SIDE,
    THUMB_OPTIONS,
    encode,
    fit,
    pixel_sha256,
)
from contest.images.decode import (
    CONTENT_TYPES,
    DEFAULT_LIMITS,
    Decoded,
    ImageLimits,
    decode_upload,
)


@dataclass(frozen=True)
class ProcessedImage:
    source_format: str
    width: int
    height: int
    size_bytes: int
    sha256: str
    pixel_sha256: str  # of the display copy's pixels: the key of every derived copy
    original: bytes
    original_content_type: str
    display: bytes
    thumbnail: bytes
    hashes: PosterHashes


def _display(data: bytes, limits: ImageLimits) -> tuple[Decoded, Image.Image]:
    decoded = decode_upload(data, limits, long_side=DISPLAY_LONG_SIDE)
    return decoded, fit(decoded.image, DISPLAY_LONG_SIDE)


def display_picture(data: bytes, limits: ImageLimits = DEFAULT_LIMITS) -> Image.Image:
    """The picture the display copy and the perceptual hashes are made from, as at upload
    (``rehash`` recomputes hashes from it)."""
    return _display(data, limits)[1]


@metrics.UPLOAD_CHECK_SECONDS.time()
def process_upload(data: bytes, limits: ImageLimits = DEFAULT_LIMITS) -> ProcessedImage:
    """Validate an upload and make its display copy, thumbnail and perceptual hashes (timed
    for the replica's figures, refusals included)."""
    decoded, display = _display(data, limits)
    fmt, width, height = decoded.source_format, decoded.width, decoded.height
    del decoded  # a large PNG's full-size picture is not kept beside its copies
    thumb = fit(display, THUMB_LONG_SIDE)
    return ProcessedImage(
        source_format=fmt,
        width=width,
        height=height,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        pixel_sha256=pixel_sha256(display),
        original=data,
        original_content_type=CONTENT_TYPES[fmt],
        display=encode(display, "JPEG", **DISPLAY_OPTIONS),
        thumbnail=encode(thumb, "WEBP", **THUMB_OPTIONS),
        hashes=compute_hashes(display),
    )
