"""Staff submit, edit and withdraw posters inside the submission window.

An upload is stored completely or not at all: objects first (content-addressed, written while
no lock is held), then the rows in one short transaction. If the rows fail, no row refers to
the objects and `python -m contest gc` removes them after its grace period (objects.py says
why they are not deleted at once).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from contest.contests.published import refuse_while_published
from contest.contests.queries import get_contest, require_current
from contest.contests.rules import TEXT_LIMITS, entry_limit, may_enter, typed, upload_limits
from contest.contests.windows import ensure_submission_open
from contest.core import audit
from contest.core.authz import require_staff
from contest.core.config import Settings
from contest.core.db import all_or_nothing, begin_write, finish_reading, lock_row
from contest.core.errors import InvalidInput, LimitReached, NotFound, PermissionDenied
from contest.core.i18n import phrase
from contest.core.models import Contest, Entry, EntryStatus, ImageObject, User
from contest.core.timeutil import utcnow
from contest.dedupe.flags import (
    Lookalike,
    find_lookalikes,
    flag_late_lookalikes,
    record_flags,
)
from contest.dedupe.indexes import DedupeIndexes
from contest.entries.ingest import ProcessedImage, process_upload
from contest.entries.labelling import relabel, source_type_for
from contest.entries.objects import hold_objects, store_image
from contest.entries.queries import count_entries
from contest.entries.turns import UPLOAD_CHECKS
from contest.images.provenance.record import TRAINED
from contest.images.publisher import Publisher, publisher
from storage import ObjectStore

AI_TOOLS = (
    "ChatGPT / DALL·E",
    "Midjourney",
    "Stable Diffusion",
    "Adobe Firefly",
    "Canva AI",
    "Microsoft Copilot Designer",
    "Google Gemini",
    "Ideogram",
    "뤼튼 (Wrtn)",
    "네이버 CLOVA X",
)
TEXT_FIELDS = ("title", "policy", "description", "prompt", "human_part", "ai_tools_other")
REQUIRED = ("title", "theme", "policy")


@dataclass(frozen=True)
class EntryDraft:
    title: str
    theme: str
    policy: str
    description: str = ""
    ai_tools: tuple[str, ...] = ()
    ai_tools_other: str = ""
    prompt: str = ""
    human_part: str = ""
    consent_own_work: bool = False
    consent_publish: bool = False
    share_making: bool = False

    def problems(self, contest: Contest) -> dict[str, InvalidInput]:
        """Everything still wrong with the draft, at most one refusal per field ("consent" for
        the two consents), so a form can show them all while it is being filled in."""
        values = {k: v.strip() if isinstance(v, str) else v for k, v in asdict(self).items()}
        found: dict[str, InvalidInput] = {}
        for name in REQUIRED:
            if not values[name]:
                found.setdefault(name, InvalidInput(f"error.entry.missing.{name}"))
        for name in TEXT_FIELDS:
            if len(str(values[name])) > (limit := TEXT_LIMITS[name]):
                found.setdefault(name, InvalidInput(f"error.entry.too_long.{name}", limit=limit))
        if values["theme"] and values["theme"] not in contest.themes:
            found.setdefault("theme", InvalidInput("error.entry.bad_theme"))
        if not values["ai_tools"] and not values["ai_tools_other"]:
            found.setdefault("ai_tools", InvalidInput("error.entry.missing.ai_tools"))
        if not (self.consent_own_work and self.consent_publish):
            found.setdefault("consent", InvalidInput("error.entry.consent_required"))
        return found

    def cleaned(self, contest: Contest) -> dict[str, Any]:
        """The values to store; InvalidInput for the first problem."""
        for problem in self.problems(contest).values():
            raise problem
        values = {k: v.strip() if isinstance(v, str) else v for k, v in asdict(self).items()}
        values["ai_tools"] = [typed("ai_tool", str(t)) for t in self.ai_tools if str(t).strip()][
            :20
        ]
        return values


def _processed(
    session: Session,
    data: bytes,
    contest: Contest,
    user: User,
    *,
    source_type: str = TRAINED,
    publisher: Publisher | None = None,
) -> ProcessedImage:
    """The upload checked and its copies made (stamped with ``source_type``, signed by
    ``publisher`` if any) in the user's turn (entries.turns), with no transaction open while
    it waits or works."""
    limits = upload_limits(contest)
    finish_reading(session)
    return UPLOAD_CHECKS.run(
        user.id or 0,
        lambda: process_upload(data, limits, source_type=source_type, publisher=publisher),
    )


@dataclass(frozen=True)
class UploadCheck:
    image: ProcessedImage
    lookalikes: list[Lookalike] = field(default_factory=list)


@dataclass(frozen=True)
class Receipt:
    entry: Entry
    image: ImageObject
    lookalikes: list[Lookalike]


def check_upload(
    session: Session,
    *,
    indexes: DedupeIndexes,
    actor: User | None,
    data: bytes,
    exclude_entry_id: int | None = None,
) -> UploadCheck:
    """Validate and normalise a file and say which entries it looks like, before sending."""
    user = require_staff(actor)
    contest = require_current(session)
    image = _processed(session, data, contest, user)
    lookalikes = find_lookalikes(
        session,
        indexes,
        contest_id=contest.id or 0,
        author_id=user.id or 0,
        hashes=image.hashes,
        exclude_entry_id=exclude_entry_id,
    )
    return UploadCheck(image, lookalikes)


def _check_can_submit(session: Session, contest: Contest, user: User, now: datetime) -> None:
    """The window and the per-person cap: asked before an upload's slow work (to fail fast) and
    again under the lock (to hold)."""
    ensure_submission_open(contest, now)
    if not may_enter(contest, user):
        raise PermissionDenied("error.entry.officials_barred")
    limit = entry_limit(contest, user)
    if count_entries(session, contest_id=contest.id or 0, author_id=user.id or 0) >= limit:
        raise LimitReached("error.entry.limit", limit=limit)


def submit_entry(
    session: Session,
    *,
    store: ObjectStore,
    indexes: DedupeIndexes,
    actor: User | None,
    draft: EntryDraft,
    data: bytes,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> Receipt:
    """Check, decode, hash and compare the image and write its objects holding no lock; then
    write the rows in one short transaction that locks only what entry numbers and the cap
    need (the contest row, FOR NO KEY UPDATE: votes referring to it pass); then compare it
    with whatever was committed meanwhile (flags.flag_late_lookalikes)."""
    user = require_staff(actor)
    now = now or utcnow()
    contest = require_current(session)
    values = draft.cleaned(contest)
    _check_can_submit(session, contest, user, now)
    image = _processed(
        session,
        data,
        contest,
        user,
        source_type=source_type_for(values["human_part"]),
        publisher=publisher(settings),
    )
    compared = indexes.images(contest.id or 0)
    lookalikes = find_lookalikes(
        session, indexes, contest_id=contest.id or 0, author_id=user.id or 0, hashes=image.hashes
    )
    finish_reading(session)
    image_row = store_image(store, image, uploaded_by=user.id)

    with all_or_nothing(session):
        begin_write(session)
        locked = lock_row(session, Contest, contest.id or 0)
        if locked is None or not locked.is_current:
            raise NotFound("error.contest.none_current")
        contest = locked
        _check_can_submit(session, contest, user, now)
        number = (
            session.exec(select(func.max(Entry.number)).where(Entry.contest_id == contest.id)).one()
            or 0
        ) + 1
        hold_objects(session, image_row)
        session.add(image_row)
        session.flush()
        entry = Entry(
            contest_id=contest.id or 0,
            author_id=user.id or 0,
            number=number,
            image_id=image_row.id or 0,
            created_at=now,
            updated_at=now,
            **values,
        )
        session.add(entry)
        session.flush()
        record_flags(session, entry=entry, lookalikes=lookalikes)
        audit.record(
            session,
            actor=user,
            action="entry.submit",
            contest_id=contest.id,
            target_type="entry",
            target_id=entry.id,
            details={
                "number": number,
                "image_id": image_row.id,
                "lookalikes": [(m.entry_id, m.level.value) for m in lookalikes],
            },
        )
        session.flush()
    late = flag_late_lookalikes(
        session, indexes, entry=entry, hashes=image.hashes, known=lookalikes, compared=compared
    )
    return Receipt(entry, image_row, [*lookalikes, *late])


def _editable_entry(
    session: Session, actor: User | None, entry_id: int, now: datetime
) -> tuple[User, Entry, Contest]:
    """The author's own, still competing entry, inside the submission window (read fresh)."""
    user = require_staff(actor)
    entry = session.get(Entry, entry_id, populate_existing=True)
    if entry is None:
        raise NotFound(what=phrase("thing.entry"))
    if entry.author_id != user.id:
        raise PermissionDenied("error.entry.not_yours")
    if entry.status not in (EntryStatus.ACTIVE.value, EntryStatus.HIDDEN.value):
        raise InvalidInput("error.entry.not_editable", status=entry.status)
    contest = get_contest(session, entry.contest_id)
    ensure_submission_open(contest, now)
    refuse_while_published(session, contest, entry_id=entry.id)
    return user, entry, contest


def _locked_editable_entry(
    session: Session, actor: User | None, entry_id: int, now: datetime
) -> tuple[User, Entry, Contest]:
    """The same, in a writer transaction holding the entry's row until commit."""
    begin_write(session)
    lock_row(session, Entry, entry_id)
    return _editable_entry(session, actor, entry_id, now)


def update_entry(
    session: Session,
    *,
    store: ObjectStore,
    indexes: DedupeIndexes,
    actor: User | None,
    entry_id: int,
    draft: EntryDraft,
    data: bytes | None = None,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> Receipt:
    """Edit the text and optionally replace the image; the audit log keeps what changed.

    A new image is processed and stored before the writer transaction, as in submit_entry.
    """
    now = now or utcnow()
    image_row: ImageObject | None = None
    image: ProcessedImage | None = None
    lookalikes: list[Lookalike] = []
    compared: frozenset[int] = frozenset()
    relabelled: dict[str, str] | None = None
    user, entry, contest = _editable_entry(session, actor, entry_id, now)
    source_type = source_type_for(draft.cleaned(contest)["human_part"])  # refuse bad text first
    shown = session.get(ImageObject, entry.image_id)
    signer = publisher(settings)  # the contest signs the copies, when configured
    if data is None:  # the copies follow the declaration (labelling.py)
        finish_reading(session)
        relabelled = relabel(store, shown, source_type, signer) if shown is not None else None
    else:
        image = _processed(session, data, contest, user, source_type=source_type, publisher=signer)
        compared = indexes.images(contest.id or 0)
        lookalikes = find_lookalikes(
            session,
            indexes,
            contest_id=contest.id or 0,
            author_id=user.id or 0,
            hashes=image.hashes,
            exclude_entry_id=entry.id,
        )
        finish_reading(session)
        image_row = store_image(store, image, uploaded_by=user.id)

    with all_or_nothing(session):
        user, entry, contest = _locked_editable_entry(session, actor, entry_id, now)
        values = draft.cleaned(contest)
        before = {k: getattr(entry, k) for k in values}
        changed = {k: v for k, v in values.items() if before[k] != v}
        if image_row is not None:
            hold_objects(session, image_row)
            session.add(image_row)
            session.flush()
            changed["image_id"] = image_row.id
            before["image_id"] = entry.image_id
            entry.image_id = image_row.id or 0
            record_flags(session, entry=entry, lookalikes=lookalikes)
        elif relabelled is not None and shown is not None and entry.image_id == shown.id:
            shown.display_key, shown.thumb_key = relabelled["display_key"], relabelled["thumb_key"]
            session.add(shown)
        for key, value in values.items():
            setattr(entry, key, value)
        entry.updated_at = now
        session.add(entry)
        audit.record(
            session,
            actor=user,
            action="entry.edit",
            contest_id=contest.id,
            target_type="entry",
            target_id=entry.id,
            details={"before": {k: before[k] for k in changed}, "after": changed},
        )
        session.flush()
    if image_row is not None and image is not None:
        lookalikes += flag_late_lookalikes(
            session, indexes, entry=entry, hashes=image.hashes, known=lookalikes, compared=compared
        )
    current = image_row or session.get(ImageObject, entry.image_id)
    assert current is not None
    return Receipt(entry, current, lookalikes)


def withdraw_entry(
    session: Session, *, actor: User | None, entry_id: int, now: datetime | None = None
) -> Entry:
    now = now or utcnow()
    user, entry, contest = _locked_editable_entry(session, actor, entry_id, now)
    entry.status, entry.updated_at = EntryStatus.WITHDRAWN.value, now
    session.add(entry)
    audit.record(
        session,
        actor=user,
        action="entry.withdraw",
        contest_id=contest.id,
        target_type="entry",
        target_id=entry.id,
    )
    return entry


def my_entries(
    session: Session, *, actor: User | None, contest_id: int
) -> Sequence[tuple[Entry, ImageObject]]:
    user = require_staff(actor)
    return session.exec(
        select(Entry, ImageObject)
        .join(ImageObject, col(Entry.image_id) == col(ImageObject.id))
        .where(Entry.contest_id == contest_id, Entry.author_id == user.id)
        .order_by(col(Entry.number))
    ).all()
