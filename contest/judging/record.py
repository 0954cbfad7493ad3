"""Whether a results record is current: its inputs compared with today's data, and every
difference named (posters that left or joined the shortlist, changed titles, votes, judge
scores, result settings).

Every path that changes an input (moderation, withdrawal or edit, a vote cast, retracted or
voided, a score, a conflict, a setting, a shortlist change) changes what ``results.gather``
reads, so comparing the two catches them all, including changes made outside the app. While the
results are published those paths refuse (contests/published.py); before publication the
record becomes outdated: the lifecycle screen says what changed and offers finalising again,
and publishing refuses an outdated record. The integrity check reports the same differences.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from sqlmodel import Session, col, select

from contest.contests.queries import get_contest
from contest.contests.rules import TIE_BREAKS
from contest.core.authz import require_admin
from contest.core.errors import InvalidState, NotFound
from contest.core.i18n import DEFAULT_LANGUAGE, phrase, t
from contest.core.models import Contest, ContestPhase, Entry, ResultSnapshot, User
from contest.judging.jury import weighted
from contest.judging.results import gather, latest_snapshot, verify_snapshot

# The settings compared, in the order they are reported.
SETTINGS = ("jury_weight", "judge_quorum", "rubric", "award_tiers", "tie_break", "shared_awards")


@dataclass(frozen=True)
class Change:
    """One difference between a record and today's data, put into words by ``text``."""

    kind: str  # entry_out | entry_in | title | votes | score | setting
    number: int = 0
    title: str = ""
    who: str = ""  # the judge (score), the entry's status now (entry_out), the setting's name
    before: Any = None
    after: Any = None

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        poster = t("panel.poster", lang, number=self.number, title=self.title)
        before, after = self._value(self.before, lang), self._value(self.after, lang)
        if self.kind == "entry_out":
            status = t(f"entry.status.{self.who}", lang)
            return t("record.change.entry_out", lang, poster=poster, status=status)
        if self.kind == "setting":
            label = t(f"contest.{self.who}", lang)
            return t("record.change.setting", lang, setting=label, before=before, after=after)
        return t(
            f"record.change.{self.kind}",
            lang,
            poster=poster,
            judge=self.who,
            before=before,
            after=after,
        )

    def _value(self, value: Any, lang: str) -> str:
        if value is None:
            return t("record.change.none", lang)
        if self.who == "jury_weight":
            return f"{round(float(value) * 100)}%"
        if self.who == "tie_break":
            return t(f"contest.tie_break.{value}", lang)
        if isinstance(value, bool):
            return t("common.yes" if value else "common.no", lang)
        if isinstance(value, float):
            return f"{value:.2f}"
        return str(value)


def _tie_break_key(order: Iterable[str]) -> str:
    return next((k for k, v in TIE_BREAKS.items() if list(v) == list(order)), "decision")


def _setting(name: str, value: Any) -> Any:
    """A setting as the report shows it: rubric and tiers in short words, the rest as is."""
    if name == "rubric":
        return ", ".join(f"{c['label']} {c['weight']} ({c['min']}~{c['max']})" for c in value)
    if name == "award_tiers":
        return ", ".join(f"{tier['name']} {tier['count']}" for tier in value)
    if name == "tie_break":
        return _tie_break_key(value)
    return value


def changes_between(
    session: Session, recorded: dict[str, Any], current: dict[str, Any]
) -> tuple[Change, ...]:
    """What differs between a record's inputs and the current ones (both as stored)."""
    was = {e["entry_id"]: e for e in recorded["entries"]}
    now = {e["entry_id"]: e for e in current["entries"]}
    found: list[Change] = []
    statuses = {
        entry.id: entry.status
        for entry in session.exec(select(Entry).where(col(Entry.id).in_(set(was) - set(now))))
    }
    for eid in sorted(was.keys() | now.keys(), key=lambda e: (was.get(e) or now[e])["number"]):
        old, new = was.get(eid), now.get(eid)
        if new is None and old is not None:
            status = statuses.get(eid, "active")
            found.append(Change("entry_out", old["number"], old["title"], status))
        elif old is None and new is not None:
            found.append(Change("entry_in", new["number"], new["title"]))
        elif old is not None and new is not None and old["title"] != new["title"]:
            found.append(
                Change("title", old["number"], old["title"], "", old["title"], new["title"])
            )
    found += _votes(recorded, current, was | now)
    found += _scores(session, recorded, current, was | now)
    for name in SETTINGS:
        if name in recorded and recorded[name] != current[name]:
            before, after = _setting(name, recorded[name]), _setting(name, current[name])
            found.append(Change("setting", who=name, before=before, after=after))
    return tuple(found)


def _votes(
    recorded: dict[str, Any], current: dict[str, Any], entries: dict[int, dict[str, Any]]
) -> list[Change]:
    was = {v["entry_id"]: v["count"] for v in recorded["votes"]}
    now = {v["entry_id"]: v["count"] for v in current["votes"]}
    both = sorted(set(was) & set(now), key=lambda e: entries[e]["number"])
    return [
        Change("votes", entries[e]["number"], entries[e]["title"], "", was[e], now[e])
        for e in both
        if was[e] != now[e]
    ]


def _scores(
    session: Session,
    recorded: dict[str, Any],
    current: dict[str, Any],
    entries: dict[int, dict[str, Any]],
) -> list[Change]:
    """Judge scores that changed, appeared or went, for posters in both records."""
    kept = {e["entry_id"] for e in recorded["entries"]} & {
        e["entry_id"] for e in current["entries"]
    }

    def of(inputs: dict[str, Any]) -> dict[tuple[int, int], float]:
        return {
            (s["judge_id"], s["entry_id"]): round(weighted(inputs["rubric"], s["scores"]), 2)
            for s in inputs["scores"]
            if s["entry_id"] in kept
        }

    try:
        was, now = of(recorded), of(current)
    except InvalidState:  # a criterion with no score: the rubric change itself is reported
        return []
    pairs = sorted(was.keys() | now.keys(), key=lambda p: (entries[p[1]]["number"], p[0]))
    names = {
        user.id: user.name
        for user in session.exec(select(User).where(col(User.id).in_({j for j, _e in pairs})))
    }
    return [
        Change(
            "score",
            entries[e]["number"],
            entries[e]["title"],
            names.get(j, str(j)),
            was.get((j, e)),
            now.get((j, e)),
        )
        for j, e in pairs
        if was.get((j, e)) != now.get((j, e))
    ]


def changes_since(
    session: Session, contest: Contest, snapshot: ResultSnapshot
) -> tuple[Change, ...]:
    """What changed in ``contest``'s data since ``snapshot`` was made."""
    return changes_between(session, snapshot.payload["inputs"], asdict(gather(session, contest)))


def outdated_by(session: Session, contest: Contest) -> tuple[Change, ...]:
    """Once finalised: what changed since the latest record (nothing: the record is current)."""
    if contest.phase != ContestPhase.FINALISED:
        return ()
    snapshot = latest_snapshot(session, contest.id or 0)
    return () if snapshot is None else changes_since(session, contest, snapshot)


@dataclass(frozen=True)
class RecordCheck:
    """The integrity check of one record: sealed (its hash holds and its table follows from
    its inputs by its own method), and what changed in the data since it was made."""

    snapshot_id: int
    sealed: bool
    changes: tuple[Change, ...]


def check_record(session: Session, *, actor: User | None, snapshot_id: int) -> RecordCheck:
    require_admin(actor)
    snapshot = session.get(ResultSnapshot, snapshot_id)
    if snapshot is None:
        raise NotFound(what=phrase("thing.snapshot"))
    contest = get_contest(session, snapshot.contest_id)
    return RecordCheck(
        snapshot_id=snapshot_id,
        sealed=verify_snapshot(session, actor=actor, snapshot_id=snapshot_id),
        changes=changes_since(session, contest, snapshot),
    )
