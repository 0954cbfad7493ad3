"""The duplicate check's shortcuts give the long way's answers: a glance that gives up a place
showing another picture (and not a copy), keypoint tables read by key, the strokes' nine shifts
read at once, the blur, and the folder scan's first pass without a scene."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import partial

import numpy as np
import pytest
from PIL import Image
from scipy.ndimage import correlate1d

from contest.core.models import FlagLevel
from contest.dedupe import feature_index, inside, located, verify
from contest.dedupe.feature_index import FeatureIndex
from contest.dedupe.features import Features, scene_of
from contest.dedupe.hashes import PosterHashes
from contest.dedupe.hashing import compute_hashes
from contest.dedupe.index import BOUNDS, _level
from contest.images.decode import load_normalised
from tests.contest.synth_posters import draw_poster
from tests.contest.test_dedupe import LIMITS, hashes_of, png
from tests.support.captures import capture

SEED, OTHER = 1006, 1020  # a scene with hills and a sun; a photo-like texture


def captured(poster: Image.Image, kind: str) -> Image.Image:
    return load_normalised(capture(poster, kind, seed=SEED), LIMITS)[1]


def placed(stored: PosterHashes, picture: Image.Image) -> located.Located:
    """Where the keypoint search and locate put ``stored`` in ``picture``."""
    assert stored.features is not None
    search = FeatureIndex()
    search.set(0, stored.features, stored.aspect)
    ((_, _, pairs),) = search.search(scene_of(picture).features, 1)
    place = located.locate(stored.features, stored.aspect, scene_of(picture), pairs)
    assert place is not None
    return place


def judged(stored: PosterHashes, picture: Image.Image, place: located.Located) -> tuple:
    def judge(verdict: verify.Verdict) -> FlagLevel | None:
        return _level(verdict, stored)

    return inside.compare_inside(stored, scene_of(picture), place, BOUNDS, judge)


def test_a_glance_gives_up_a_place_that_shows_another_picture(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    poster, other = draw_poster(SEED), draw_poster(OTHER)
    assert poster.size == other.size
    stored = hashes_of(png(poster))
    shot = captured(poster, "browser_window")
    place = placed(stored, shot)
    verdict, level, _ = judged(stored, shot, place)
    assert level == FlagLevel.DUPLICATE
    assert verdict.correlation >= inside.GLANCE_MIN
    # the same window and place showing another poster: given up before it is compared
    swapped = captured(other, "browser_window")

    def no_compare(*args: object, **kwargs: object) -> None:
        raise AssertionError("compared after all")

    monkeypatch.setattr(inside, "compare", no_compare)
    verdict, level, _ = judged(stored, swapped, place)
    assert level is None
    assert verdict.overlap == 0.0 and verdict.correlation < inside.GLANCE_MIN


def test_tables_read_by_key_find_what_a_binary_search_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parts = []
    for row, seed in enumerate((SEED, OTHER, 1003, 1011)):
        features = compute_hashes(draw_poster(seed), with_scene=False).features
        assert features is not None
        parts.append((row, features))
    query = scene_of(captured(draw_poster(SEED), "desktop")).features
    keys, words = (
        feature_index.keys_of(query.descriptors),
        feature_index.words_of(query.descriptors),
    )
    found = []
    for direct_from in (0, 1 << 30):
        monkeypatch.setattr(feature_index, "DIRECT_FROM", direct_from)
        tables = feature_index._Tables(parts, direct=True)
        assert (tables.starts is not None) == (direct_from == 0)
        found.append(tables.close(keys, words))
    assert len(found[0][0]) > 50
    for direct, searched in zip(*found, strict=True):
        assert np.array_equal(direct, searched)


def test_the_strokes_nine_shifts_read_at_once_are_nine_warps() -> None:
    rng = np.random.default_rng(5)
    picture = (rng.random((verify.SIG_SIDE, verify.SIG_SIDE)) * 255).astype(np.float32)
    points = verify._block_points(rng.random(verify.BLOCKS**2) < 0.5, verify.SIG_SIDE)
    warp = np.array([[1.03, 0.02, 4.3], [-0.01, 0.97, -7.6]])
    shifts = np.zeros((len(verify.GLYPH_SHIFTS), 2, 3))
    shifts[:, :, 2] = verify.GLYPH_SHIFTS
    one_by_one, inside_each = verify._warp(picture[None], warp[None] + shifts, points)
    at_once, inside_all = verify._shifted(picture, warp, points)
    assert np.array_equal(inside_each, inside_all)
    assert np.allclose(one_by_one[:, 0][inside_all], at_once[inside_all], atol=0.3)


@pytest.mark.parametrize("taps", [verify._BLUR_ALIGN, verify._BLUR_WIDE])
def test_the_blur_is_a_gaussian_mirrored_at_the_edges(taps: np.ndarray) -> None:
    rng = np.random.default_rng(6)
    stack = (rng.random((3, 64, 64)) * 255).astype(np.float32)
    expected = correlate1d(
        correlate1d(stack, taps, axis=1, mode="reflect"), taps, axis=2, mode="reflect"
    )
    blurred = verify._blur(stack, taps)
    assert blurred.dtype == np.float32 and blurred.shape == stack.shape
    assert np.allclose(blurred, expected, atol=1e-3)
    assert np.allclose(verify._blur(stack[0], taps), expected[0], atol=1e-3)


def test_hashes_without_a_scene_are_the_same_hashes() -> None:
    poster = draw_poster(SEED)
    full, bare = compute_hashes(poster), compute_hashes(poster, with_scene=False)
    assert full.scene is not None and bare.scene is None
    assert full.to_json() == bare.to_json()


def test_keys_are_the_chosen_bits_of_each_descriptor() -> None:
    descriptors = np.random.default_rng(7).integers(0, 256, (500, 32)).astype(np.uint8)
    bits = np.unpackbits(descriptors, axis=1)
    weights = 1 << np.arange(feature_index.KEY_BITS)
    expected = np.stack([bits[:, p] @ weights for p in feature_index.KEY_POSITIONS], axis=1)
    assert np.array_equal(feature_index.keys_of(descriptors), expected)


def test_the_tables_order_is_a_stable_sort_of_their_keys() -> None:
    keys = np.random.default_rng(8).integers(0, 1 << feature_index.KEY_BITS, 50_000)
    order = feature_index._stable_order(keys)
    assert order.dtype == np.int32
    assert np.array_equal(order, np.argsort(keys, kind="stable"))


def random_features(rng: np.random.Generator, count: int = 60) -> Features:
    return Features(
        rng.random((count, 2)).astype(np.float32),
        rng.integers(0, 4, count).astype(np.uint8),
        rng.integers(0, 256, count).astype(np.uint8),
        rng.integers(0, 256, (count, 32)).astype(np.uint8),
    )


def found(search: FeatureIndex, scene: Features) -> list[tuple[int, int, list]]:
    return [
        (row, votes, sorted(zip(pairs.scene.tolist(), pairs.bits.tolist(), strict=True)))
        for row, votes, pairs in search.search(scene, 40)
    ]


def test_tables_kept_up_to_date_find_what_tables_built_afresh_find() -> None:
    """Additions, replacements and removals in any order: the main, recent and newest
    tables together answer as one set of tables built from the rows as they are. Each change
    is made to a copy, and every earlier index still answers as it did (a search in another
    thread may be reading it)."""
    rng = np.random.default_rng(9)
    kept: list[Features] = []
    search = FeatureIndex()
    answered: list[tuple[FeatureIndex, Features, list]] = []
    for step in range(260):
        search = search.copy()
        action = rng.random()
        if action < 0.75 or len(kept) < 5:
            kept.append(random_features(rng))
            search.set(len(kept) - 1, kept[-1], 0.7)
        elif action < 0.9:
            row = int(rng.integers(len(kept)))
            kept[row] = random_features(rng)
            search.set(row, kept[row], 0.7)
        else:
            row = int(rng.integers(len(kept)))
            kept[row] = kept[-1]
            kept.pop()
            search.swap_remove(row)
        if step % 7 == 0 or step > 240:
            shown = rng.choice(len(kept), size=min(4, len(kept)), replace=False)
            scene = Features(
                np.concatenate([kept[r].points * 900 for r in shown]),
                np.concatenate([kept[r].levels for r in shown]),
                np.concatenate([kept[r].angles for r in shown]),
                np.concatenate([kept[r].descriptors for r in shown]),
                side=900,
            )
            afresh = FeatureIndex()
            afresh.extend([(features, 0.7) for features in kept])
            assert found(search, scene) == found(afresh, scene), step
            assert {row for row, _, _ in found(search, scene)} >= {int(r) for r in shown}
            answered.append((search, scene, found(search, scene)))
    for step, (earlier, scene, answer) in enumerate(answered):
        assert found(earlier, scene) == answer, step


def test_searches_of_one_index_at_once_give_one_answer() -> None:
    """Threads searching one index, each of which may build its tables (here all of them at
    first), find what one search alone finds."""
    rng = np.random.default_rng(4)
    rows = [random_features(rng) for _ in range(300)]
    scenes = [
        Features(r.points * 900, r.levels, r.angles, r.descriptors, side=900) for r in rows[::30]
    ]
    alone = FeatureIndex()
    alone.extend([(features, 0.7) for features in rows])
    expected = [found(alone, scene) for scene in scenes]
    for _ in range(3):
        shared = FeatureIndex()
        shared.extend([(features, 0.7) for features in rows])
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(partial(found, shared), scenes * 4))
        assert answers == expected * 4
