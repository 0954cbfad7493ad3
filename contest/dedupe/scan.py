"""The duplicate search over a folder of image files (``python -m contest dedupe-scan``)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from contest.core.errors import ContestError, InvalidImage
from contest.core.models import FlagLevel
from contest.dedupe.features import scene_of
from contest.dedupe.hashes import PosterHashes
from contest.dedupe.hashing import compute_hashes
from contest.dedupe.index import SCAN_CANDIDATES, HashIndex, Match
from contest.images.decode import ImageLimits, load_normalised

_RANK = {FlagLevel.DUPLICATE: 0, FlagLevel.SIMILAR: 1}
_index: HashIndex | None = None  # a worker's copy of the folder's index (see _search)


def hashes_of_file(path: Path, *, with_scene: bool = True) -> PosterHashes:
    """Hashes of an image file after the upload checks, minimum size aside; InvalidImage."""
    _, image = load_normalised(path.read_bytes(), ImageLimits(min_short_side=1))
    return compute_hashes(image, with_scene=with_scene)


def _hash_or_error(path: Path) -> PosterHashes | Exception:
    """For worker processes: errors come back as values (ContestError pickles without params).
    The file's scene (its whole picture) is not made here but when the file is searched, so
    the folder's pictures are never all in memory at once."""
    try:
        return hashes_of_file(path, with_scene=False)
    except ContestError as error:
        return InvalidImage(error.key, **error.params)
    except OSError as error:
        return error


def _keep_index(index: HashIndex) -> None:
    global _index
    _index = index


def _search(job: tuple[int, Path, PosterHashes]) -> list[Match]:
    """Every match of one file against every other file (in a worker holding the index).
    The file's hashes come from the first pass; only its scene is made again."""
    number, path, hashes = job
    assert _index is not None
    _, image = load_normalised(path.read_bytes(), ImageLimits(min_short_side=1))
    query = replace(hashes, scene=scene_of(image))
    return _index.query(query, exclude={number}, max_candidates=SCAN_CANDIDATES)


def scan_paths(
    paths: Sequence[Path], on_error: Callable[[Path, Exception], None] | None = None
) -> list[tuple[Path, Path, Match]]:
    """Flagged pairs among image files (for dedupe-scan); unreadable files go to ``on_error``.

    The minimum short side is not enforced here: a small copy is still a copy. Every file is
    searched against every other: a poster is found inside a screenshot only when the
    screenshot is the one searched, whichever of the two comes first (see _preferred for a
    pair found both ways).
    """
    workers = min(os.cpu_count() or 1, 4) if len(paths) > 8 else 1
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_hash_or_error, paths, chunksize=4))
    else:
        results = [_hash_or_error(path) for path in paths]
    hashes: list[tuple[Path, PosterHashes]] = []
    for path, result in zip(paths, results, strict=True):
        if isinstance(result, Exception):
            if on_error is not None:
                on_error(path, result)
        else:
            hashes.append((path, result))
    index = HashIndex.build((i, h) for i, (_, h) in enumerate(hashes))
    jobs = [(i, path, item) for i, (path, item) in enumerate(hashes)]
    if workers > 1:
        with ProcessPoolExecutor(workers, initializer=_keep_index, initargs=(index,)) as pool:
            found = list(pool.map(_search, jobs, chunksize=2))
    else:
        _keep_index(index)
        found = [_search(job) for job in jobs]
    kept: dict[tuple[int, int], Match] = {}
    for i, matches in enumerate(found):
        for match in matches:
            pair = (min(i, match.entry_id), max(i, match.entry_id))
            if pair not in kept or _preferred(match, kept[pair]):
                kept[pair] = match
    return [(hashes[i][0], hashes[j][0], kept[(i, j)]) for i, j in sorted(kept)]


def _preferred(match: Match, other: Match) -> bool:
    """Of a pair's two verdicts, the one found inside a capture (only the capture's search
    finds it); of two whole-picture verdicts the more cautious, as an upload's search would
    give one way round (a template pair called a duplicate one way only stays "similar")."""
    inside, other_inside = match.evidence.located is not None, other.evidence.located is not None
    if inside != other_inside:
        return inside
    return (_RANK[match.level], match.distance) > (_RANK[other.level], other.distance)
