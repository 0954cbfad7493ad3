"""What the gallery grid and the poster view show: rows only, never image bytes.

A grid page costs two queries whatever the order: the matching ids (or the count), then the
cards of one page. The default order is a shuffle that is stable for each viewer, so no poster
is always first and a viewer paging back and forth sees the same sequence.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, func, select

from contest.contests.queries import require_current
from contest.contests.rules import typed
from contest.contests.visibility import AuthorView, Purpose, author_visibility
from contest.contests.windows import voting_closed
from contest.core.authz import require_staff
from contest.core.errors import InvalidInput, InvalidState, NotFound
from contest.core.models import Contest, Entry, EntryStatus, ImageObject, Role, User, Vote
from contest.entries.disclosure import Disclosure, making_visible
from contest.entries.submissions import AI_TOOLS

PAGE_SIZES = (24, 36, 48)
_NUMBER = re.compile(r"(\d+)\s*번?")
LARGEST_ID = 2**63 - 1  # a 64-bit key on both databases


class Order(StrEnum):
    SHUFFLE = "shuffle"
    NEWEST = "newest"
    VOTES = "votes"


@dataclass(frozen=True)
class GalleryQuery:
    theme: str | None = None
    department: str | None = None
    search: str = ""
    order: Order = Order.SHUFFLE
    page: int = 1
    per_page: int = PAGE_SIZES[0]
    tool: str | None = None  # an AI tool the author declared


@dataclass(frozen=True)
class Card:
    entry_id: int
    number: int
    title: str
    theme: str
    department: str | None
    author_name: str | None
    thumb_key: str
    display_key: str
    width: int
    height: int


@dataclass(frozen=True)
class GalleryPage:
    cards: tuple[Card, ...]
    total: int
    page: int
    pages: int
    per_page: int


@dataclass(frozen=True)
class Filters:
    """Choices for the filter widgets and the rules the page must respect."""

    contest_id: int
    themes: tuple[str, ...]
    departments: tuple[str, ...]
    orders: tuple[Order, ...]
    tools: tuple[str, ...] = ()  # the entry form's tools some poster on show declares


@dataclass(frozen=True)
class EntryDetail(Disclosure):
    contest_id: int
    department: str | None
    author_name: str | None
    display_key: str
    width: int
    height: int
    status: str
    status_reason: str
    is_own: bool


_CARD_COLUMNS = (
    Entry.id,
    Entry.number,
    Entry.title,
    Entry.theme,
    User.department,
    User.name,
    ImageObject.thumb_key,
    ImageObject.display_key,
    ImageObject.width,
    ImageObject.height,
)


def shuffle_key(seed: bytes, entry_id: int) -> bytes:
    return hmac.new(seed, str(entry_id).encode(), hashlib.sha256).digest()


def viewer_seed(secret_key: str, viewer_id: int) -> bytes:
    """Per-viewer seed; without the secret a viewer could not predict anyone else's order."""
    return hmac.new(secret_key.encode(), f"gallery:{viewer_id}".encode(), hashlib.sha256).digest()


def filters(session: Session, *, actor: User | None, now: datetime | None = None) -> Filters:
    viewer = require_staff(actor)
    contest = require_current(session)
    departments = (
        session.exec(
            select(User.department)
            .join(Entry, col(Entry.author_id) == col(User.id))
            .where(*_visible(contest), User.department != "")  # a pseudonym has none
            .distinct()
            .order_by(col(User.department))
        ).all()
        if author_visibility(contest, viewer, Purpose.BROWSE).department
        else []
    )
    orders: tuple[Order, ...] = (Order.SHUFFLE, Order.NEWEST)
    if voting_closed(contest, now):
        orders = (*orders, Order.VOTES)
    declared = {
        t for tools in session.exec(select(Entry.ai_tools).where(*_visible(contest))) for t in tools
    }
    tools = tuple(t for t in AI_TOOLS if t in declared)
    return Filters(contest.id or 0, tuple(contest.themes), tuple(departments), orders, tools)


def _visible(contest: Contest) -> list[ColumnElement[bool]]:
    return [col(Entry.contest_id) == contest.id, col(Entry.status) == EntryStatus.ACTIVE.value]


def _declaring(session: Session, contest: Contest, tool: str) -> ColumnElement[bool]:
    """Entries on show whose author declared ``tool``. The tools are a JSON list, which the two
    databases query differently: the ids are picked here (a contest has hundreds of entries)."""
    rows = session.exec(select(Entry.id, Entry.ai_tools).where(*_visible(contest))).all()
    return col(Entry.id).in_([entry_id for entry_id, tools in rows if tool in tools])


def _conditions(
    session: Session, contest: Contest, query: GalleryQuery, shown: AuthorView
) -> list[ColumnElement[bool]]:
    """What the query asks for; a department filter only where the viewer may see departments
    (else it would tell a judge which posters come from a department)."""
    conditions = _visible(contest)
    if query.tool:
        conditions.append(_declaring(session, contest, query.tool))
    if query.theme:
        conditions.append(col(Entry.theme) == query.theme)
    if query.department and shown.department:
        conditions.append(col(User.department) == query.department)
    term = typed("search", query.search)
    if term:
        pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        # ilike is ILIKE on PostgreSQL and lower() LIKE lower() on SQLite.
        matches = col(Entry.title).ilike(pattern, escape="\\") | col(Entry.policy).ilike(
            pattern, escape="\\"
        )
        if (number := _entry_number(term)) is not None:  # "13" or "13번", as labels print it
            matches = matches | (col(Entry.number) == number)
        conditions.append(matches)
    return conditions


def _entry_number(term: str) -> int | None:
    """The entry number a search names ("13", "13번", "13 번"), or None."""
    found = _NUMBER.fullmatch(term.strip())
    return int(found.group(1)) if found and len(found.group(1)) <= 9 else None


def gallery_page(
    session: Session,
    *,
    actor: User | None,
    secret_key: str,
    query: GalleryQuery,
    now: datetime | None = None,
) -> GalleryPage:
    """One page of active entries of the current contest, filtered and ordered."""
    viewer = require_staff(actor)
    if query.per_page not in PAGE_SIZES:
        raise InvalidInput("error.gallery.page_size")
    contest = require_current(session)
    if query.order == Order.VOTES and not voting_closed(contest, now):
        raise InvalidState("error.gallery.votes_order_closed")
    shown = author_visibility(contest, viewer, Purpose.BROWSE)
    conditions = _conditions(session, contest, query, shown)
    # sqlmodel types select() for at most four columns; naming the ten a card needs keeps
    # prompts and hash JSON out of a gallery page's query.
    base = select(*_CARD_COLUMNS).join(User, col(User.id) == col(Entry.author_id))  # type: ignore[call-overload]
    base = base.join(ImageObject, col(ImageObject.id) == col(Entry.image_id))
    if query.order == Order.SHUFFLE:
        ids = session.exec(
            select(Entry.id).join(User, col(User.id) == col(Entry.author_id)).where(*conditions)
        ).all()
        seed = viewer_seed(secret_key, viewer.id or 0)
        ordered = sorted(ids, key=lambda i: shuffle_key(seed, i or 0))
        total = len(ordered)
        page, pages = _clamp(query, total)
        page_ids = ordered[(page - 1) * query.per_page : page * query.per_page]
        rows = session.exec(base.where(col(Entry.id).in_(page_ids))).all() if page_ids else []
        position = {entry_id: n for n, entry_id in enumerate(page_ids)}
        rows = sorted(rows, key=lambda r: position[r[0]])
    else:
        total = session.exec(
            select(func.count())
            .select_from(Entry)
            .join(User, col(User.id) == col(Entry.author_id))
            .where(*conditions)
        ).one()
        page, pages = _clamp(query, total)
        rows = session.exec(
            _ordered(base.where(*conditions), query.order)
            .offset((page - 1) * query.per_page)
            .limit(query.per_page)
        ).all()
    cards = tuple(_card(row, shown) for row in rows)
    return GalleryPage(cards, total, page, pages, query.per_page)


def _clamp(query: GalleryQuery, total: int) -> tuple[int, int]:
    """The page to show (a filter may have shrunk the result below it) and the page count."""
    pages = max((total + query.per_page - 1) // query.per_page, 1)
    return min(max(query.page, 1), pages), pages


def _ordered(statement: Any, order: Order) -> Any:
    if order == Order.NEWEST:
        return statement.order_by(col(Entry.created_at).desc(), col(Entry.id).desc())
    votes = (
        select(Vote.entry_id, func.count().label("votes")).group_by(col(Vote.entry_id)).subquery()
    )
    return statement.outerjoin(votes, votes.c.entry_id == col(Entry.id)).order_by(
        func.coalesce(votes.c.votes, 0).desc(), col(Entry.number)
    )


def _card(row: Any, shown: AuthorView) -> Card:
    entry_id, number, title, theme, department, name, thumb, display, width, height = row
    return Card(
        entry_id or 0,
        number,
        title,
        theme,
        department if shown.department else None,
        name if shown.name else None,
        thumb,
        display,
        width,
        height,
    )


def entry_detail(session: Session, *, actor: User | None, entry_id: int) -> EntryDetail:
    """One poster; staff see only active ones, admins every status (with the reason)."""
    viewer = require_staff(actor)
    if not 0 < entry_id <= LARGEST_ID:  # from a link anyone can edit; the database would raise
        raise NotFound("error.gallery.entry_not_found", id=entry_id)
    row = session.exec(
        select(Entry, User, ImageObject, Contest)
        .join(User, col(User.id) == col(Entry.author_id))
        .join(ImageObject, col(ImageObject.id) == col(Entry.image_id))
        .join(Contest, col(Contest.id) == col(Entry.contest_id))
        .where(Entry.id == entry_id)
    ).first()
    is_admin = Role(viewer.role) == Role.ADMIN
    if row is None or (row[0].status != EntryStatus.ACTIVE.value and not is_admin):
        raise NotFound("error.gallery.entry_not_found", id=entry_id)
    entry, author, image, contest = row
    shown = author_visibility(contest, viewer, Purpose.BROWSE)
    return EntryDetail(
        **Disclosure.of(entry, making=making_visible(entry, viewer)),
        contest_id=entry.contest_id,
        department=shown.department_of(author),
        author_name=shown.name_of(author),
        display_key=image.display_key,
        width=image.width,
        height=image.height,
        status=entry.status,
        status_reason=entry.status_reason if is_admin else "",
        is_own=entry.author_id == viewer.id,
    )
