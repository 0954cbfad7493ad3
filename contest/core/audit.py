"""The audit log: who did what, when and why. Written in the same transaction as the action."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from contest.core.authz import require_admin
from contest.core.models import AuditEvent, User


def record(
    session: Session,
    *,
    actor: User | None,
    action: str,
    contest_id: int | None = None,
    target_type: str = "",
    target_id: int | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        contest_id=contest_id,
        actor_id=actor.id if actor else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        details=details or {},
    )
    session.add(event)
    return event


def list_events(
    session: Session,
    *,
    actor: User | None,
    contest_id: int | None = None,
    action: str | None = None,
    actor_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 500,
) -> Sequence[AuditEvent]:
    require_admin(actor)
    query = select(AuditEvent).order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
    if contest_id is not None:
        query = query.where(AuditEvent.contest_id == contest_id)
    if action:
        query = query.where(AuditEvent.action == action)
    if actor_id is not None:
        query = query.where(AuditEvent.actor_id == actor_id)
    if since is not None:
        query = query.where(col(AuditEvent.at) >= since)
    if until is not None:
        query = query.where(col(AuditEvent.at) < until)
    return session.exec(query.limit(limit)).all()
