"""Ranks and awards from the final scores: ties decided, not doubled.

The award tiers fill places 1..n in order (최우수 1, 우수 2 → places 1, 2, 3). Posters are
ranked by their final score (to RANK_DECIMALS). Posters with the same final score are ordered
by the contest's tie-break criteria in turn (contests/rules.py ``TIE_BREAKS``: the jury score,
then the votes, by default), then by the admin's recorded decision where one names exactly the
posters still equal. Posters left equal share their rank:

- "shared": the places they take all carry the same award (or none), so nothing depends on
  their order; or the contest allows shared awards, and all of them get the award of the first
  place they take (the places are used up, so the next poster ranks after them);
- "open": their order decides who gets which award and nothing decided it yet. The table
  shows them provisionally as "shared"; finalising refuses until the admin decides.

Each poster of a tie records how its place was settled (``tie``): "jury", "votes",
"decision", "shared" or "open"; None when no other poster had its final score.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import groupby
from typing import Any

RANK_DECIMALS = 4
Row = dict[str, Any]  # a result row being built: final, normalised, votes, entry_id, number
Block = tuple[list[Row], str | None]  # posters still equal, and what separated them (if alone)

CRITERIA: dict[str, Callable[[Row], float]] = {
    "jury": lambda row: round(float(row["normalised"]), RANK_DECIMALS),
    "votes": lambda row: float(row["votes"]),
}


def award_places(tiers: Sequence[dict[str, Any]]) -> list[str]:
    """The award of each place, best first."""
    return [str(t["name"]) for t in tiers for _ in range(int(t["count"]))]


def final_key(row: Row) -> float:
    return round(float(row["final"]), RANK_DECIMALS)


def place(
    rows: Iterable[Row],
    *,
    order: Sequence[str],
    tiers: Sequence[dict[str, Any]],
    shared: bool,
    decisions: Sequence[dict[str, Any]],
) -> None:
    """Set ``rank``, ``award`` and ``tie`` on every row (None for rows without a final score).
    ``decisions``: the admin's orders, {"order": [entry ids, first ranks highest], ...}."""
    places = award_places(tiers)
    decided = {frozenset(d["order"]): [int(e) for e in d["order"]] for d in decisions}
    rows = list(rows)
    for row in rows:
        row["rank"] = row["award"] = row["tie"] = None
    ranked = sorted(
        (row for row in rows if row["final"] is not None),
        key=lambda row: (-final_key(row), row["number"]),
    )
    position = 1
    for _final, group in groupby(ranked, key=final_key):
        members = list(group)
        for block, how in _settle(members, order, decided):
            span = {
                places[p - 1] if p <= len(places) else None for p in _positions(position, block)
            }
            if len(block) > 1:
                how = "shared" if len(span) == 1 or shared else "open"
            for row in block:
                row["rank"] = position
                row["award"] = places[position - 1] if position <= len(places) else None
                row["tie"] = how if len(members) > 1 else None
            position += len(block)


def _positions(first: int, block: list[Row]) -> range:
    return range(first, first + len(block))


def _settle(
    members: list[Row], order: Sequence[str], decided: dict[frozenset[int], list[int]]
) -> list[Block]:
    """``members`` (equal final scores) split into blocks, best first, by each criterion in
    turn and then by a decision that names exactly a block's posters."""
    blocks: list[Block] = [(members, None)]
    for criterion in order:
        value = CRITERIA[criterion]
        split: list[Block] = []
        for block, how in blocks:
            if len(block) == 1:
                split.append((block, how))
                continue
            ordered = sorted(block, key=lambda row: (-value(row), row["number"]))
            for _v, part in groupby(ordered, key=value):
                equal = list(part)
                split.append((equal, criterion if len(equal) == 1 else None))
        blocks = split
    settled: list[Block] = []
    for block, how in blocks:
        ids = frozenset(int(row["entry_id"]) for row in block)
        if len(block) > 1 and ids in decided:
            by_id = {int(row["entry_id"]): row for row in block}
            settled.extend(([by_id[e]], "decision") for e in decided[ids])
        else:
            settled.append((block, how))
    return settled
