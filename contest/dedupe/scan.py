"""The duplicate search over a folder of image files (``python -m contest dedupe-scan``)."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
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


@dataclass(frozen=True)
class ScanPair:
    """Two files of a folder flagged as one poster ("duplicate") or one template ("similar")."""

    first: Path
    second: Path
    level: FlagLevel
    distance: float
    # When the two were not flagged by comparing them with each other: the file both show, one
    # of them as a capture of it (see _through)
    through: Path | None = None


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
) -> list[ScanPair]:
    """Flagged pairs among image files (for dedupe-scan); unreadable files go to ``on_error``.

    The minimum short side is not enforced here: a small copy is still a copy. Every file is
    searched against every other: a poster is found inside a screenshot only when the
    screenshot is the one searched, whichever of the two comes first (see _preferred for a
    pair found both ways). Two captures of one poster are paired through it (see _through).
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
    kept: dict[tuple[int, int], tuple[int, Match]] = {}  # pair -> (the file searched, match)
    for i, matches in enumerate(found):
        for match in matches:
            pair = (min(i, match.entry_id), max(i, match.entry_id))
            if pair not in kept or _preferred(match, kept[pair][1]):
                kept[pair] = (i, match)
    pairs = {
        pair: ScanPair(hashes[pair[0]][0], hashes[pair[1]][0], match.level, match.distance)
        for pair, (_, match) in kept.items()
    }
    for pair, (poster, distance) in _through(kept).items():
        first, second = (hashes[i][0] for i in pair)
        pairs[pair] = ScanPair(first, second, FlagLevel.DUPLICATE, distance, hashes[poster][0])
    return [pairs[pair] for pair in sorted(pairs)]


def _through(
    kept: Mapping[tuple[int, int], tuple[int, Match]],
) -> dict[tuple[int, int], tuple[int, float]]:
    """Pairs of files that each are a duplicate of a third, one of them a capture of it (the
    third found inside it: a screenshot, a photo), and were not flagged when compared with
    each other: (the third, the larger of the two distances) for each.

    Two captures of one poster (a desktop screenshot and a phone photo of it, say) share only
    the poster, a part of each; what is searched inside a picture is a stored poster's own
    keypoints, and a capture's are spread over its whole screen. The poster itself, or a copy
    of it, in the folder shows they are one. Only through a poster found inside a capture: two
    whole copies are compared with each other directly, and a chain of whole-picture verdicts
    could join two template siblings' copies.
    """
    copies: dict[int, dict[int, float]] = defaultdict(dict)  # file -> its duplicates, distance
    captures: dict[int, list[int]] = defaultdict(list)  # file -> the files it was found inside
    for (i, j), (searched, match) in kept.items():
        if match.level != FlagLevel.DUPLICATE:
            continue
        copies[i][j] = copies[j][i] = match.distance
        if match.evidence.located is not None:
            captures[match.entry_id].append(searched)
    found: dict[tuple[int, int], tuple[int, float]] = {}
    for poster in sorted(captures):
        for capture in captures[poster]:
            for other, distance in copies[poster].items():
                pair = (min(capture, other), max(capture, other))
                if other == capture or pair in kept:
                    continue
                through = (poster, max(copies[poster][capture], distance))
                if pair not in found or through[1] < found[pair][1]:
                    found[pair] = through
    return found


def _preferred(match: Match, other: Match) -> bool:
    """Of a pair's two verdicts, the one found inside a capture (only the capture's search
    finds it); of two whole-picture verdicts the more cautious, as an upload's search would
    give one way round (a template pair called a duplicate one way only stays "similar")."""
    inside, other_inside = match.evidence.located is not None, other.evidence.located is not None
    if inside != other_inside:
        return inside
    return (_RANK[match.level], match.distance) > (_RANK[other.level], other.distance)
