"""Duplicate detector invariants (imagededup style) and the hash index against brute force."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

from contest.core.models import FlagLevel
from contest.dedupe.hashes import PosterHashes
from contest.dedupe.hashing import compute_hashes
from contest.dedupe.index import GLOBAL, REGIONS, HashIndex
from contest.dedupe.verify import _replaced
from contest.images.decode import ImageLimits, load_normalised
from tests.contest.synth_posters import draw_poster, variant

LIMITS = ImageLimits(min_short_side=1)


def hashes_of(data: bytes) -> PosterHashes:
    return compute_hashes(load_normalised(data, LIMITS)[1])


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def poster() -> Image.Image:
    return draw_poster(7)


@pytest.fixture(scope="module")
def index(poster: Image.Image) -> HashIndex:
    others = [draw_poster(seed) for seed in (11, 12, 13, 14)]
    items = [(1, hashes_of(png(poster)))] + [
        (i + 2, hashes_of(png(p))) for i, p in enumerate(others)
    ]
    return HashIndex.build(items)


@pytest.mark.parametrize(
    "kind",
    [
        "resize",
        "jpeg_low",
        "webp",
        "rot90",
        "rot180",
        "exif",
        "letterbox",
        "pad",
        "screenshot",
        "grayscale",
        "tilt",
        "watermark",
        "name",
        "text_line",
    ],
)
def test_copies_are_flagged_duplicate(poster: Image.Image, index: HashIndex, kind: str) -> None:
    matches = index.query(hashes_of(variant(poster, kind, seed=3)))
    assert matches and matches[0].entry_id == 1 and matches[0].level == FlagLevel.DUPLICATE, (
        matches[:2]
    )
    assert all(m.entry_id == 1 for m in matches if m.level == FlagLevel.DUPLICATE)


def test_unrelated_poster_is_not_flagged(index: HashIndex) -> None:
    assert index.query(hashes_of(png(draw_poster(21)))) == []


def test_same_background_other_text_is_at_least_similar(index: HashIndex) -> None:
    matches = index.query(hashes_of(png(draw_poster(7, text_seed=404))))
    assert [m.entry_id for m in matches][:1] == [1]


@pytest.mark.parametrize("kind", ["text_line", "name", "watermark"])
def test_template_twin_is_similar_while_marked_copies_stay_duplicate(kind: str) -> None:
    """Seed 25: its template twin (other title and lines) is demoted to similar because the
    change is two-signed (text replaced); added marks on a copy are one-signed."""
    poster = draw_poster(25)
    index = HashIndex.build([(1, hashes_of(png(poster)))])
    twin = index.query(hashes_of(png(draw_poster(25, text_seed=25 + 50_000))))
    assert [m.level for m in twin] == [FlagLevel.SIMILAR] and twin[0].evidence.replaced > 0.1
    copy = index.query(hashes_of(variant(poster, kind, seed=3)))
    assert [m.level for m in copy] == [FlagLevel.DUPLICATE]


def test_replaced_measures_two_signed_change() -> None:
    added = np.array([[0.0, 2.0, 1.5], [0.1, 3.0, -0.2]])  # brighter only: a watermark
    swapped = np.array([[2.0, -2.0, 0.0], [-1.5, 1.5, 0.3]])  # ink gone and new ink
    assert _replaced(added) == 0.0
    assert _replaced(swapped) == pytest.approx(0.5)


def test_hashes_are_json(poster: Image.Image) -> None:
    hashes = compute_hashes(poster)
    assert PosterHashes.from_json(json.loads(json.dumps(hashes.to_json()))) == hashes


def test_index_agrees_with_brute_force(index: HashIndex, poster: Image.Image) -> None:
    query = hashes_of(variant(poster, "crop", seed=5))
    best, region, _ = index.distances(query)
    q = query.query
    for row in range(len(index)):
        stored = index._hashes[row]
        pairs = [
            sum(int(a ^ b).bit_count() for a, b in zip(stored[i], g[j], strict=True))
            for g in q
            for i in GLOBAL
            for j in GLOBAL
        ]
        regions = [
            sum(int(a ^ b).bit_count() for a, b in zip(stored[i], g[i], strict=True))
            for g in q
            for i in REGIONS
        ]
        assert best[row] == min(pairs) and region[row] == min(regions)


def test_add_remove_and_exclude(poster: Image.Image) -> None:
    hashes = compute_hashes(poster)
    other = compute_hashes(draw_poster(30))
    index = HashIndex()
    assert index.query(hashes) == []
    index.add(5, hashes)
    index.add(6, other)
    index.add(7, hashes)
    assert len(index) == 3
    assert {m.entry_id for m in index.query(hashes)} == {5, 7}
    assert [m.entry_id for m in index.query(hashes, exclude={5})] == [7]
    index.remove(5)
    index.remove(5)  # removing twice is harmless
    assert len(index) == 2
    assert [m.entry_id for m in index.query(hashes)] == [7]
    index.remove(7)
    assert index.query(hashes) == [] and len(index) == 1
    assert np.array_equal(index._ids, [6])
