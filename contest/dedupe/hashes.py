"""The perceptual hashes of one poster as a typed value, and their JSON form in the database.

A poster's hashes are: the 64-bit hashes of a few *windows* of its upright picture (what the
index stores), the same windows for every quarter turn a copy might have (what a query
compares), and small pictures for the later stages: a 32x32 greyscale thumbnail (the quick
check of a candidate), a 128x128 greyscale signature (alignment and the block comparison, kept
as JPEG bytes) and a 16x16 colour map (None for a grey picture). They are computed once, at
upload, and kept in ``ImageObject.hashes`` as JSON; ``version`` names the recipe, so hashes of
another recipe are refused (``StaleHashes``) instead of being compared with the wrong meaning;
``python -m contest rehash`` recomputes them.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from contest.core.errors import StaleHashes
from contest.dedupe.features import Features, Scene

VERSION = 5
# How much of each dimension a window leaves out, (near side, far side): together they cover a
# copy cut by up to 15% of a dimension, from either side or both, to within about 5%.
MARGINS = ((0.0, 0.0), (0.1, 0.0), (0.0, 0.1), (0.06, 0.06))
# (left, top, right, bottom) fractions of the trimmed picture; window 0 is the whole picture.
WINDOWS: tuple[tuple[float, float, float, float], ...] = tuple(
    (left, top, 1 - right, 1 - bottom) for left, right in MARGINS for top, bottom in MARGINS
)
TURNS = 4  # quarter turns a query is hashed in
THUMB_SIDE = 32  # greyscale thumbnail for the quick check
SIG_SIDE = 256  # greyscale signature: alignment at 32-128 pixels, text compared at 256
COLOUR_SIDE = 16  # colour map (chroma per block)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@dataclass(frozen=True, eq=False)
class PosterHashes:
    aspect: float  # width / height of the trimmed picture
    stored: np.ndarray  # (WINDOWS,) uint64: the upright picture's window hashes
    query: np.ndarray  # (TURNS, WINDOWS) uint64; turn 0 is upright (= stored)
    thumb: np.ndarray  # (THUMB_SIDE, THUMB_SIDE) uint8
    signature_jpeg: bytes  # (SIG_SIDE, SIG_SIDE) greyscale as JPEG
    colour: np.ndarray | None  # (COLOUR_SIDE, COLOUR_SIDE, 2) int8 chroma; None when grey
    tilt: float = 0.0  # degrees the picture was turned back by before hashing (a tilted copy)
    features: Features | None = None  # keypoints of the trimmed picture (stored)
    # the upload as a picture a poster may be found in (its own search only; never stored)
    scene: Scene | None = None
    version: int = VERSION

    @property
    def signature(self) -> np.ndarray:
        """The (SIG_SIDE, SIG_SIDE) uint8 greyscale signature (decoded on each use: ~50 us;
        an index keeps only the JPEG bytes of its rows)."""
        return np.asarray(Image.open(io.BytesIO(self.signature_jpeg)).convert("L"))

    def to_json(self) -> dict[str, Any]:
        return {
            "v": self.version,
            "aspect": self.aspect,
            "tilt": self.tilt,
            "stored": _hex(self.stored),
            "query": _hex(self.query),
            "thumb": _b64(np.ascontiguousarray(self.thumb).tobytes()),
            "sig": _b64(self.signature_jpeg),
            "colour": None if self.colour is None else _b64(self.colour.tobytes()),
            "features": None if self.features is None else _b64(self.features.to_bytes()),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PosterHashes:
        if data.get("v") != VERSION:
            raise StaleHashes(count=1)
        colour, features = data.get("colour"), data.get("features")
        return cls(
            aspect=float(data["aspect"]),
            tilt=float(data["tilt"]),
            stored=unpack(data["stored"]),
            query=unpack(data["query"]).reshape(TURNS, len(WINDOWS)),
            thumb=np.frombuffer(base64.b64decode(data["thumb"]), np.uint8).reshape(
                THUMB_SIDE, THUMB_SIDE
            ),
            signature_jpeg=base64.b64decode(data["sig"]),
            colour=None
            if colour is None
            else np.frombuffer(base64.b64decode(colour), np.int8).reshape(
                COLOUR_SIDE, COLOUR_SIDE, 2
            ),
            features=None if features is None else Features.from_bytes(base64.b64decode(features)),
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PosterHashes) and self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]  # mutable arrays inside: not hashable


def _hex(words: np.ndarray) -> str:
    return "".join(f"{int(word):016x}" for word in words.ravel())


def unpack(hex_words: str) -> np.ndarray:
    """Hex text as uint64 words."""
    return np.array(
        [int(hex_words[i : i + 16], 16) for i in range(0, len(hex_words), 16)], np.uint64
    )
