"""The audit log as sentences: "2026. 10. 14.(수) 09:12 김민준 (혁신정책담당관) 님이 출품작을
철회했습니다: 12번 ‘제목’".

Each event becomes an ``AuditLine``: when, who, which action, what it was done to, the reason,
and the few facts its sentence needs, all already resolved to names (entries by number and
title, people by name and department). ``sentence`` puts a line into words in either language;
an action this module does not know yet still reads as a plain sentence, never as its key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd
from sqlmodel import Session, col, select

from contest.contests.changes import Change, recorded
from contest.contests.freezes import LATE_CHANGE
from contest.core.dates import moment
from contest.core.i18n import t
from contest.core.models import AuditEvent, Contest, DuplicateFlag, Entry, User

# Every action the platform records, in the order the filter lists them.
ACTIONS = (
    "entry.submit",
    "entry.edit",
    "entry.withdraw",
    "entry.hide",
    "entry.disqualify",
    "entry.restore",
    "flag.concurrent",
    "flag.dismiss",
    "flag.confirm",
    "vote.void",
    "lifecycle.close_voting",
    "lifecycle.build_shortlist",
    "shortlist.add",
    "shortlist.remove",
    "lifecycle.lock_shortlist",
    "lifecycle.open_judging",
    "judging.score",
    "judging.conflict",
    "lifecycle.close_judging",
    "lifecycle.finalise",
    "results.snapshot",
    "results.tie_decision",
    "results.publish",
    "results.unpublish",
    "results.certificates",
    "export.voter_identities",
    "exhibition.pdf",
    "contest.create",
    "contest.update",
    LATE_CHANGE,
    "contest.set_current",
    "roster.import",
    "user.create_admin",
    "user.set_role",
    "user.activate",
    "user.deactivate",
    "user.reset_password",
    "user.unlock",
    "password.change",
    "demo.seed",
    "privacy.purge",
)
LIFECYCLE_ACTIONS = (
    "lifecycle.close_voting",
    "lifecycle.build_shortlist",
    "shortlist.add",
    "shortlist.remove",
    "lifecycle.lock_shortlist",
    "lifecycle.open_judging",
    "lifecycle.close_judging",
    "lifecycle.finalise",
    "results.tie_decision",
    "results.publish",
    "results.unpublish",
    LATE_CHANGE,
)
# Facts that name an entry by its id in an event's details, and the word before it.
ENTRY_FACTS = ("entry_id", "disqualified_entry", "replaces", "replaced_by")


@dataclass(frozen=True)
class EntryRef:
    """An entry a line names, put into words in the reader's language ("12번 ‘제목’")."""

    number: int
    title: str

    def label(self, lang: str) -> str:
        return t("panel.poster", lang, number=self.number, title=self.title)


@dataclass(frozen=True)
class RecordRef:
    """A result record a line names: "결과 기록 2번", "result record No. 2"."""

    id: int

    def label(self, lang: str) -> str:
        return t("record.ref", lang, id=self.id)


@dataclass(frozen=True)
class Changes:
    """The settings a save changed, put into words: "심사위원 점수 비중: 80% → 50%; …"."""

    changes: tuple[Change, ...]
    timezone: str

    def label(self, lang: str) -> str:
        said = "; ".join(change.text(lang, self.timezone) for change in self.changes)
        return said or t("audit.no_change", lang)


def _words(value: Any, lang: str) -> Any:
    return value.label(lang) if isinstance(value, EntryRef | RecordRef | Changes) else value


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    timezone: str  # the contest's, in which ``at`` is said
    actor: str | None  # "name (department)"; None: the system, or a name purged (actor_role)
    action: str
    # what it was done to: names, entries (a flag names two) or a record; () when nothing
    target: tuple[str | EntryRef | RecordRef, ...]
    reason: str
    facts: Mapping[str, Any] = field(default_factory=dict)  # what the sentence needs besides
    actor_role: str | None = None  # kept when the purge removed who acted

    def label(self, lang: str) -> str:
        return action_label(self.action, lang)

    def who(self, lang: str) -> str:
        if self.actor:
            return self.actor
        if self.actor_role:
            return t("audit.removed_person", lang, role=t(f"role.{self.actor_role}", lang))
        return t("audit.system", lang)

    def target_text(self, lang: str) -> str:
        return " ↔ ".join(str(_words(part, lang)) for part in self.target)


def action_label(action: str, lang: str) -> str:
    """The action's short name for the filter and the table ("출품작 철회")."""
    return t(f"audit.action.{action}" if action in ACTIONS else "audit.action.other", lang)


def _names(session: Session, ids: Iterable[int], model: Any) -> dict[int, Any]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {row.id: row for row in session.exec(select(model).where(col(model.id).in_(wanted)))}


def lines(session: Session, events: Sequence[AuditEvent], timezone: str) -> list[AuditLine]:
    """The events as lines, with every entry, person, flag and contest they name resolved."""

    def targets(kind: str) -> set[int]:
        return {e.target_id or 0 for e in events if e.target_type == kind}

    flags = _names(session, targets("flag"), DuplicateFlag)
    entry_ids = targets("entry") | {
        e.details.get(key) or 0
        for e in events
        for key in ENTRY_FACTS
        if isinstance(e.details.get(key), int)
    }
    entry_ids |= {f.entry_id for f in flags.values()} | {f.other_entry_id for f in flags.values()}
    entries = _names(session, entry_ids, Entry)
    people = _names(
        session,
        targets("user")
        | {e.actor_id or 0 for e in events}
        | {e.details.get("voter_id") or 0 for e in events if e.action == "vote.void"},
        User,
    )
    contests = _names(session, targets("contest"), Contest)

    def person(user_id: int | None) -> str | None:
        user = people.get(user_id or 0)
        return f"{user.name} ({user.department})" if user else None

    def entry(entry_id: Any) -> tuple[EntryRef, ...]:
        found = entries.get(entry_id) if isinstance(entry_id, int) else None
        return (EntryRef(found.number, found.title),) if found else ()

    def named(name: str | None) -> tuple[str, ...]:
        return (name,) if name else ()

    def target(event: AuditEvent) -> tuple[str | EntryRef | RecordRef, ...]:
        match event.target_type:
            case "entry":
                return entry(event.target_id)
            case "user":
                return named(person(event.target_id))
            case "contest":
                found = contests.get(event.target_id or 0)
                return named(found.name if found else None)
            case "flag":
                flag = flags.get(event.target_id or 0)
                if flag is None:
                    return ()
                return entry(flag.entry_id) + entry(flag.other_entry_id)
            case "vote":
                return entry(event.details.get("entry_id"))
            case "snapshot":
                return (RecordRef(event.target_id),) if event.target_id else ()
        return ()

    def facts(event: AuditEvent) -> dict[str, Any]:
        details = event.details or {}
        found: dict[str, Any] = {}
        if "disqualified_entry" in details:
            found["entry"] = next(iter(entry(details["disqualified_entry"])), "")
        if event.action == "vote.void":
            found["voter"] = person(details.get("voter_id")) or ""
        if event.action == "lifecycle.build_shortlist":
            found["count"] = len(details.get("entries", []))
        if event.action == "user.set_role":
            found["role_from"], found["role_to"] = details.get("from"), details.get("to")
            if "entry_id" in details:  # a judge appointed for a poster nobody could score
                found["for_entry"] = next(iter(entry(details["entry_id"])), "")
        if event.action.startswith("entry.") and "from" in details:
            found["status_from"], found["status_to"] = details["from"], details.get("to")
        for key in ("replaces", "replaced_by"):
            if key in details:
                found[key] = next(iter(entry(details[key])), "")
        if event.action == "results.tie_decision":
            found["award"] = details.get("award") or ""
            found["order"] = ", ".join(str(n) for n in details.get("order", []))
        if event.action == "results.certificates":
            found["count"] = details.get("certificates", 0)
        if event.action == "roster.import":
            found["created"] = details.get("created", 0)
            found["updated"] = details.get("updated", 0)
        if event.action in ("contest.update", LATE_CHANGE):
            found["changes"] = Changes(recorded(details), timezone)
        if details.get("early"):
            found["early"] = True
        return found

    return [
        AuditLine(
            at=event.at,
            timezone=timezone,
            actor=person(event.actor_id),
            action=event.action,
            target=target(event),
            reason=event.reason,
            facts=facts(event),
            actor_role=(event.details or {}).get("actor_role") or None,
        )
        for event in events
    ]


def _what(line: AuditLine, lang: str) -> str:
    """The sentence without time and reason."""
    facts = {name: _words(value, lang) for name, value in line.facts.items()}
    if line.action == "user.set_role":
        facts["role_from"] = t(f"role.{facts.get('role_from')}", lang)
        facts["role_to"] = t(f"role.{facts.get('role_to')}", lang)
    for side in ("status_from", "status_to"):
        if side in facts:
            facts[side] = t(f"entry.status.{facts[side]}", lang)
    who = line.who(lang)
    key = f"audit.sentence.{line.action}" if line.action in ACTIONS else "audit.sentence.other"
    text = t(key, lang, actor=who, target=line.target_text(lang) or "—", **facts)
    # What else the event says, each in a clause of its own.
    for fact, clause in (
        ("status_from", "audit.status_change"),
        ("for_entry", "audit.appointed_for"),
        ("replaces", "audit.replaces"),
        ("replaced_by", "audit.replaced_by"),
        ("early", "audit.early"),
    ):
        if facts.get(fact):
            text += " " + t(clause, lang, **facts)
    return text


def sentence(line: AuditLine, lang: str) -> str:
    """The whole line in words: time, who did what to what, and why."""
    text = f"{moment(line.at, line.timezone, lang)} {_what(line, lang)}"
    if line.reason:
        text += " " + t("audit.because", lang, reason=line.reason)
    return text


def audit_frame(log: Sequence[AuditLine], lang: str) -> pd.DataFrame:
    """The table the screen shows and the CSV download holds, with headers in ``lang``."""
    columns = ("at", "actor", "action", "target", "reason", "sentence")
    return pd.DataFrame(
        [
            (
                moment(line.at, line.timezone, lang, seconds=True),
                line.who(lang),
                line.label(lang),
                line.target_text(lang),
                line.reason,
                sentence(line, lang),
            )
            for line in log
        ],
        columns=[t(f"audit.col.{c}", lang) for c in columns],
    )
