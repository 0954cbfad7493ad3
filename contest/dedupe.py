"""Perceptual hashes of posters (work in progress: a plain DCT hash for now)."""

from __future__ import annotations

from typing import Any

import imagehash
from PIL import Image


def compute_hashes(image: Image.Image) -> dict[str, Any]:
    """Hashes of the normalised RGB image, as hex strings for the JSON column."""
    return {"v": 0, "phash": str(imagehash.phash(image))}
