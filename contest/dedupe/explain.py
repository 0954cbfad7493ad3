"""A duplicate flag's evidence in words a reviewer can judge, and where the two posters differ.

``findings`` turns what the detector measured into sentences (message keys with their numbers):
the same picture or the same background with other text, a screen capture of entry 3, turned
90°, tilted, cropped about 5%, different in two areas. ``differing_boxes`` places the differing
areas on the newer poster (the upload that raised the flag) as boxes in shares of its width and
height, for highlighting; ``located_region`` is where the older poster lies inside the newer
upload when that is a capture of it, to be drawn on it.

Evidence is read from the flag's stored JSON, so flags recorded by older detector versions still
read: a field that is missing is simply not mentioned. The block mask and the implied crop (rows
of blocks over the older poster, and the share of it the newer one leaves out on each side) come
with the newer evidence; without them there are no boxes to draw.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from contest.core.models import FlagLevel
from contest.dedupe.index import DUPLICATE_DETAIL

Finding = tuple[str, dict[str, Any]]  # a message key and its parameters

NOTICEABLE_SHARE = 0.02  # a crop, padding or differing share below this is not worth a word
NOTICEABLE_TILT = 1.0  # degrees
TEXT_REPLACED = 0.1  # evidence "replaced" (verify._replaced): two-signed, text replaced


@dataclass(frozen=True)
class Box:
    """An area of a picture, in shares of its width and height (0 to 1)."""

    left: float
    top: float
    right: float
    bottom: float


def _percent(share: float) -> int:
    return round(abs(share) * 100)


def _crop(evidence: Mapping[str, Any]) -> tuple[float, float, float, float] | None:
    crop = evidence.get("crop")
    if isinstance(crop, Mapping):
        return (crop["left"], crop["top"], crop["right"], crop["bottom"])
    if isinstance(crop, Sequence) and len(crop) == 4:
        return (crop[0], crop[1], crop[2], crop[3])
    return None


def _mask(evidence: Mapping[str, Any]) -> list[list[int]] | None:
    mask = evidence.get("mask")
    if not mask:
        return None
    return [list(row) for row in mask]


def _areas(mask: list[list[int]]) -> list[list[tuple[int, int]]]:
    """Groups of differing blocks that touch (left, right, up, down)."""
    seen: set[tuple[int, int]] = set()
    groups = []
    for r, row in enumerate(mask):
        for c, value in enumerate(row):
            if value != 1 or (r, c) in seen:
                continue
            group, todo = [], [(r, c)]
            seen.add((r, c))
            while todo:
                y, x = todo.pop()
                group.append((y, x))
                for ny, nx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)):
                    inside = 0 <= ny < len(mask) and 0 <= nx < len(mask[ny])
                    if inside and mask[ny][nx] == 1 and (ny, nx) not in seen:
                        seen.add((ny, nx))
                        todo.append((ny, nx))
            groups.append(group)
    return groups


def findings(level: str, evidence: Mapping[str, Any], number: int | None = None) -> list[Finding]:
    """What the detector found, in the order a reviewer reads it; ``number``: the older
    entry's, named when the upload is a capture of it."""
    found: list[Finding] = [
        ("dup.find.duplicate" if level == FlagLevel.DUPLICATE.value else "dup.find.similar", {})
    ]
    region = located_region(evidence)
    if region is not None:
        found.append(("dup.find.captured", {"number": number}))
        shown = _shown_share(evidence)
        if shown < 1 - NOTICEABLE_SHARE:
            found.append(("dup.find.partly_shown", {"percent": _percent(shown)}))
    else:
        found += _framing(evidence)
    found += _differences(evidence)
    return found


def _shown_share(evidence: Mapping[str, Any]) -> float:
    left, top, right, bottom = _crop(evidence) or (0.0, 0.0, 0.0, 0.0)
    return max(0.0, 1 - left - right) * max(0.0, 1 - top - bottom)


def _framing(evidence: Mapping[str, Any]) -> list[Finding]:
    """How a whole-picture copy is turned, tilted, cropped or padded."""
    found: list[Finding] = []
    turn = int(evidence.get("turn_degrees") or 0) % 360
    if turn:
        found.append(("dup.find.turned", {"degrees": turn}))
    tilt = float(evidence.get("tilt_degrees") or 0.0)
    if abs(tilt) >= NOTICEABLE_TILT:
        found.append(("dup.find.tilted", {"degrees": round(abs(tilt))}))
    crop = _crop(evidence)
    scale = float(evidence.get("scale") or 1.0)
    cut = max(crop) if crop else (1 - 1 / scale if scale > 1 else 0.0)
    pad = -min(crop) if crop else (1 - scale if scale < 1 else 0.0)
    if cut >= NOTICEABLE_SHARE:
        found.append(("dup.find.cropped", {"percent": _percent(cut)}))
    if pad >= NOTICEABLE_SHARE:
        found.append(("dup.find.padded", {"percent": _percent(pad)}))
    return found


def _differences(evidence: Mapping[str, Any]) -> list[Finding]:
    """Where and how much the two pictures differ."""
    found: list[Finding] = []
    mask = _mask(evidence)
    share = float(evidence.get("differing_share") or 0.0)
    if mask is not None:
        areas = len(_areas(mask))
        found.append(("dup.find.areas", {"count": areas}) if areas else ("dup.find.same", {}))
    elif share >= NOTICEABLE_SHARE:
        found.append(("dup.find.share", {"percent": _percent(share)}))
    else:
        found.append(("dup.find.same", {}))
    replaced = share >= NOTICEABLE_SHARE and float(evidence.get("replaced") or 0) >= TEXT_REPLACED
    detail = evidence.get("detail_kept")
    # less of the older poster's fine detail (letters) kept than a duplicate keeps: other text
    if replaced or (detail is not None and float(detail) < DUPLICATE_DETAIL):
        found.append(("dup.find.text_changed", {}))
    return found


def _turned(box: Box, turn: int) -> Box:
    """``box`` on the upright picture, drawn on the picture as it was uploaded: turning the
    upload ``turn`` degrees counter-clockwise stands it upright (index.Evidence.turn_degrees),
    so the box turns clockwise."""
    for _ in range((turn // 90) % 4):
        box = Box(1 - box.bottom, box.left, 1 - box.top, box.right)
    return box


def located_region(evidence: Mapping[str, Any]) -> tuple[tuple[float, float], ...] | None:
    """Where the older poster lies inside the newer upload (a capture of it): its corners in
    shares of the upload's width and height (top left, top right, bottom right, bottom
    left); None for a copy of the whole picture."""
    located = evidence.get("located")
    if not isinstance(located, Mapping) or len(located.get("quad") or ()) != 4:
        return None
    return tuple((float(x), float(y)) for x, y in located["quad"])


def differing_boxes(evidence: Mapping[str, Any]) -> list[Box]:
    """The differing areas on the newer poster, one box per group of touching blocks (none
    for a capture: its region is drawn instead, see ``located_region``)."""
    mask = _mask(evidence)
    if mask is None or located_region(evidence) is not None:
        return []
    rows = len(mask)
    left, top, right, bottom = _crop(evidence) or (0.0, 0.0, 0.0, 0.0)
    width, height = 1 - left - right, 1 - top - bottom
    turn = int(evidence.get("turn_degrees") or 0) % 360
    boxes = []
    for group in _areas(mask):
        cols = len(mask[group[0][0]])
        y0, y1 = min(y for y, _ in group) / rows, (max(y for y, _ in group) + 1) / rows
        x0, x1 = min(x for _, x in group) / cols, (max(x for _, x in group) + 1) / cols
        upright = Box(
            max(0.0, (x0 - left) / width),
            max(0.0, (y0 - top) / height),
            min(1.0, (x1 - left) / width),
            min(1.0, (y1 - top) / height),
        )
        if upright.right > upright.left and upright.bottom > upright.top:
            boxes.append(_turned(upright, turn))
    return boxes
