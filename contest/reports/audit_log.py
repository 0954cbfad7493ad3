"""The audit log as sentences: "2026-10-14 09:12 김민준 (혁신정책담당관) 님이 출품작을
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

from contest.core.i18n import t
from contest.core.models import AuditEvent, Contest, DuplicateFlag, Entry, User
from contest.core.timeutil import local

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
    "results.publish",
    "results.unpublish",
    "results.certificates",
    "export.voter_identities",
    "exhibition.pdf",
    "contest.create",
    "contest.update",
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
    "results.publish",
    "results.unpublish",
)


@dataclass(frozen=True)
class EntryRef:
    """An entry a line names, put into words in the reader's language ("12번 ‘제목’")."""

    number: int
    title: str

    def label(self, lang: str) -> str:
        return t("panel.poster", lang, number=self.number, title=self.title)


def _words(value: Any, lang: str) -> Any:
    return value.label(lang) if isinstance(value, EntryRef) else value


@dataclass(frozen=True)
class AuditLine:
    at: datetime  # local time in the contest's zone
    actor: str | None  # "name (department)"; None: the system
    action: str
    # what it was done to: names, or entries (a flag names two); () when nothing in particular
    target: tuple[str | EntryRef, ...]
    reason: str
    facts: Mapping[str, Any] = field(default_factory=dict)  # what the sentence needs besides

    def label(self, lang: str) -> str:
        return action_label(self.action, lang)

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
        for key in ("entry_id", "disqualified_entry")
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

    def target(event: AuditEvent) -> tuple[str | EntryRef, ...]:
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
                return (f"#{event.target_id}",)
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
        if event.action == "results.certificates":
            found["count"] = details.get("certificates", 0)
        if event.action == "roster.import":
            found["created"] = details.get("created", 0)
            found["updated"] = details.get("updated", 0)
        if event.action == "contest.update":
            found["changed"] = sorted(details.get("after", {}))
        if details.get("early"):
            found["early"] = True
        return found

    return [
        AuditLine(
            at=local(event.at, timezone),
            actor=person(event.actor_id),
            action=event.action,
            target=target(event),
            reason=event.reason,
            facts=facts(event),
        )
        for event in events
    ]


def when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _what(line: AuditLine, lang: str) -> str:
    """The sentence without time and reason."""
    facts = {name: _words(value, lang) for name, value in line.facts.items()}
    if line.action == "user.set_role":
        facts["role_from"] = t(f"role.{facts.get('role_from')}", lang)
        facts["role_to"] = t(f"role.{facts.get('role_to')}", lang)
    if line.action == "contest.update":
        facts["changed"] = ", ".join(t(f"contest.{name}", lang) for name in facts["changed"])
    who = line.actor or t("audit.system", lang)
    key = f"audit.sentence.{line.action}" if line.action in ACTIONS else "audit.sentence.other"
    text = t(key, lang, actor=who, target=line.target_text(lang) or "—", **facts)
    if facts.get("early"):
        text += " " + t("audit.early", lang)
    return text


def sentence(line: AuditLine, lang: str) -> str:
    """The whole line in words: time, who did what to what, and why."""
    text = f"{when(line.at)} {_what(line, lang)}"
    if line.reason:
        text += " " + t("audit.because", lang, reason=line.reason)
    return text


def audit_frame(log: Sequence[AuditLine], lang: str) -> pd.DataFrame:
    """The table the screen shows and the CSV download holds, with headers in ``lang``."""
    columns = ("at", "actor", "action", "target", "reason", "sentence")
    return pd.DataFrame(
        [
            (
                when(line.at),
                line.actor or t("audit.system", lang),
                line.label(lang),
                line.target_text(lang),
                line.reason,
                sentence(line, lang),
            )
            for line in log
        ],
        columns=[t(f"audit.col.{c}", lang) for c in columns],
    )
