"""The perceptual hashes of one poster as a typed value, and their JSON form in the database.

A poster's hashes are three things: the view hashes of its upright picture (what the index
stores), the same views for every orientation a copy might have been turned to (what a query
compares), and a small greyscale signature for the second stage. They are computed once, at
upload, and kept in ``ImageObject.hashes`` as JSON; ``version`` names the recipe, so hashes of
another recipe are refused (``StaleHashes``) instead of being compared with the wrong meaning.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

VERSION = 2
# (left, top, right, bottom) as fractions of the trimmed picture.
VIEWS: dict[str, tuple[float, float, float, float]] = {
    "full": (0.0, 0.0, 1.0, 1.0),
    "c90": (0.05, 0.05, 0.95, 0.95),
    "c80": (0.10, 0.10, 0.90, 0.90),
    "top": (0.0, 0.0, 1.0, 0.6),
    "bottom": (0.0, 0.4, 1.0, 1.0),
    "left": (0.0, 0.0, 0.6, 1.0),
    "right": (0.4, 0.0, 1.0, 1.0),
}
WORDS = 2  # uint64 words per view hash (128 bits)
SIG_SIDE = 64  # pixels per side of the greyscale signature


class StaleHashes(ValueError):
    """Hashes of another recipe: recompute them (``python -m contest rehash``)."""


@dataclass(frozen=True, eq=False)
class PosterHashes:
    aspect: float  # width / height of the trimmed picture
    stored: np.ndarray  # (views, WORDS) uint64: the upright picture
    query: np.ndarray  # (orientations, views, WORDS) uint64; orientation 0 is upright
    signature: np.ndarray  # (SIG_SIDE, SIG_SIDE) uint8
    version: int = VERSION

    def to_json(self) -> dict[str, Any]:
        return {
            "v": self.version,
            "aspect": self.aspect,
            "stored": _hex(self.stored),
            "query": _hex(self.query),
            "sig": base64.b64encode(np.ascontiguousarray(self.signature).tobytes()).decode(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PosterHashes:
        if data.get("v") != VERSION:
            raise StaleHashes(f"hashes of version {data.get('v')}, expected {VERSION}")
        views = (-1, len(VIEWS), WORDS)
        signature = np.frombuffer(base64.b64decode(data["sig"]), np.uint8)
        return cls(
            aspect=float(data["aspect"]),
            stored=unpack(data["stored"]).reshape(views)[0],
            query=unpack(data["query"]).reshape(views),
            signature=signature.reshape(SIG_SIDE, SIG_SIDE),
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
