"""An upload made ready to store: checked, decoded once, its copies and hashes derived."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from contest.dedupe.hashes import PosterHashes
from contest.dedupe.hashing import compute_hashes
from contest.images.copies import DISPLAY_LONG_SIDE, THUMB_LONG_SIDE, encode, fit, pixel_sha256
from contest.images.decode import CONTENT_TYPES, DEFAULT_LIMITS, ImageLimits, load_normalised


@dataclass(frozen=True)
class ProcessedImage:
    source_format: str
    width: int
    height: int
    size_bytes: int
    sha256: str
    pixel_sha256: str
    original: bytes
    original_content_type: str
    display: bytes
    thumbnail: bytes
    hashes: PosterHashes


def process_upload(data: bytes, limits: ImageLimits = DEFAULT_LIMITS) -> ProcessedImage:
    """Validate an upload and make its display copy, thumbnail and perceptual hashes."""
    fmt, rgb = load_normalised(data, limits)
    display = fit(rgb, DISPLAY_LONG_SIDE)
    pixel_digest = pixel_sha256(rgb)
    width, height = rgb.size
    del rgb  # from here on the display copy is enough
    thumb = fit(display, THUMB_LONG_SIDE)
    return ProcessedImage(
        source_format=fmt,
        width=width,
        height=height,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        pixel_sha256=pixel_digest,
        original=data,
        original_content_type=CONTENT_TYPES[fmt],
        display=encode(display, "JPEG", quality=88, progressive=True, optimize=True),
        thumbnail=encode(thumb, "WEBP", quality=80, method=4),
        hashes=compute_hashes(display),
    )
