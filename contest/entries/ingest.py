"""An upload made ready to store: checked, decoded once, its copies and hashes derived.

One chain, each step from the one before: the decode (a large JPEG already at a reduced scale,
see images.decode), the display copy (long side 2048), then the thumbnail and the perceptual
hashes from the display copy (hashes from the 480 px thumbnail saved 3 ms but found 4 of 40
screenshot copies fewer in bench/bench_dedupe.py quality). A large PNG's full-size picture is
dropped as soon as the display copy is made.

What the file says about its making is read from the uploaded bytes first (images.provenance),
since nothing of its metadata reaches the copies; they carry only the IPTC digital source type
the contest states for them (images.stamp).
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
from contest.images.provenance.read import read_provenance
from contest.images.provenance.record import TRAINED, Provenance
from contest.images.publisher import Publisher
from contest.images.stamp import source_type_xmp


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
    provenance: Provenance
    source_type: str  # the digital source type stamped into the copies
    signed: bool  # the copies carry the contest's C2PA manifest as publisher


@dataclass(frozen=True)
class Copies:
    display: bytes
    thumbnail: bytes
    signed: bool


def _display(data: bytes, limits: ImageLimits) -> tuple[Decoded, Image.Image]:
    decoded = decode_upload(data, limits, long_side=DISPLAY_LONG_SIDE)
    return decoded, fit(decoded.image, DISPLAY_LONG_SIDE)


def display_picture(data: bytes, limits: ImageLimits = DEFAULT_LIMITS) -> Image.Image:
    """The picture the display copy and the perceptual hashes are made from, as at upload
    (``rehash`` recomputes hashes from it)."""
    return _display(data, limits)[1]


def _copies(display: Image.Image, source_type: str, publisher: Publisher | None) -> Copies:
    xmp = source_type_xmp(source_type)
    thumb = fit(display, THUMB_LONG_SIDE)
    copies = {
        "JPEG": encode(display, "JPEG", **DISPLAY_OPTIONS, xmp=xmp),
        "WEBP": encode(thumb, "WEBP", **THUMB_OPTIONS, xmp=xmp),
    }
    if publisher is not None:
        copies = {fmt: publisher.sign(data, fmt, source_type) for fmt, data in copies.items()}
    return Copies(copies["JPEG"], copies["WEBP"], signed=publisher is not None)


def stamped_copies(
    data: bytes,
    source_type: str,
    limits: ImageLimits = DEFAULT_LIMITS,
    publisher: Publisher | None = None,
) -> tuple[str, Copies]:
    """The copies of a stored original made again, exactly as at upload, with another stamp:
    (pixel sha, copies)."""
    display = display_picture(data, limits)
    return pixel_sha256(display), _copies(display, source_type, publisher)


@metrics.UPLOAD_CHECK_SECONDS.time()
def process_upload(
    data: bytes,
    limits: ImageLimits = DEFAULT_LIMITS,
    *,
    source_type: str = TRAINED,
    publisher: Publisher | None = None,
) -> ProcessedImage:
    """Validate an upload, read what it says about its making, make its display copy and
    thumbnail (stamped with ``source_type``, signed by ``publisher`` if any) and its perceptual
    hashes (timed for the replica's figures, refusals included)."""
    decoded, display = _display(data, limits)
    fmt, width, height = decoded.source_format, decoded.width, decoded.height
    del decoded  # a large PNG's full-size picture is not kept beside its copies
    provenance = read_provenance(data, fmt)  # the checks passed: fmt is what the bytes are
    copies = _copies(display, source_type, publisher)
    return ProcessedImage(
        source_format=fmt,
        width=width,
        height=height,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        pixel_sha256=pixel_sha256(display),
        original=data,
        original_content_type=CONTENT_TYPES[fmt],
        display=copies.display,
        thumbnail=copies.thumbnail,
        hashes=compute_hashes(display),
        provenance=provenance,
        source_type=source_type,
        signed=copies.signed,
    )
