"""The copies others see: a display JPEG and a thumbnail, re-encoded from pixels alone.

Nothing of the uploaded file reaches them but its pixels: no EXIF (camera, GPS), XMP, IPTC,
comment or colour profile. The one piece of metadata they carry is the contest's own statement
that the poster was made with generative AI (stamp.py), passed to ``encode`` as ``xmp``. The
pixels were converted to sRGB first (images.colour.normalise, which also drops the upload's
info), which is what browsers assume for an image without a profile, so the profile is left
out deliberately.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

from PIL import Image

DISPLAY_LONG_SIDE = 2048
THUMB_LONG_SIDE = 480
# Baseline JPEG: a progressive one was 11% smaller at quality 88 but took 5x as long to encode
# (docs/benchmarks.md, Ingest); quality 85 baseline is smaller still than that progressive copy.
DISPLAY_OPTIONS: dict[str, Any] = {"quality": 85}
THUMB_OPTIONS: dict[str, Any] = {"quality": 80, "method": 2}  # method 4: 4% smaller, 2.5x slower
# Resizing first averages whole blocks of pixels down to no less than the target size, then
# resamples the rest with Lanczos: a thumbnail 3-4x faster, on average within one grey level of a
# plain Lanczos resize (the encoders' own error is larger).
REDUCING_GAP = 1.0


def pixel_sha256(image: Image.Image) -> str:
    """Hash the pixels in strips so no second full-size buffer is made."""
    digest = hashlib.sha256(f"{image.width}x{image.height}:".encode())
    for top in range(0, image.height, 256):
        digest.update(image.crop((0, top, image.width, min(top + 256, image.height))).tobytes())
    return digest.hexdigest()


def fit_size(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    """``size`` scaled so its long side is at most ``long_side``."""
    scale = long_side / max(size)
    if scale >= 1:
        return size
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def fit(image: Image.Image, long_side: int) -> Image.Image:
    size = fit_size(image.size, long_side)
    if size == image.size:
        return image
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP)


def encode(image: Image.Image, fmt: str, **options: Any) -> bytes:
    """``image``'s pixels in ``fmt``; no exif or icc is passed, and images.colour.normalise has
    already dropped the upload's info (which Pillow would write back, a JPEG comment say)."""
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()
