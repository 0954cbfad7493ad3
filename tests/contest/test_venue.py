"""The exhibition's public side and the staff journey's rules: the public window, a visitor's
poster page, kiosk links (hash only, revocable), the public address, the receipt, the form's
checks, the vote button's reasons, the home page's stage and a user's language."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import select

from contest.accounts.users import set_language
from contest.contests.queries import require_current
from contest.contests.windows import exhibition_open
from contest.core.dates import day
from contest.core.errors import InvalidInput, InvalidState, PermissionDenied
from contest.core.i18n import t
from contest.core.models import AuditEvent, Contest, DisplayLink, Entry, Role, User
from contest.core.timeutil import local, utcnow
from contest.entries.receipt import receipt_pdf, receipt_view
from contest.entries.submissions import EntryDraft, withdraw_entry
from contest.entries.views import Stage, home_view
from contest.exhibition.displays import KioskMode, create_display, kiosk_view, revoke_display
from contest.exhibition.labels import exhibition_pdf
from contest.exhibition.links import is_local, public_base
from contest.exhibition.public import (
    Viewing,
    scan_promise,
    set_exhibition,
    viewing_dates,
    visitor_view,
)
from contest.runtime import Runtime
from contest.voting.views import poster_view
from contest.voting.votes import cast_vote
from tests.contest.test_exhibition import pdf_text
from tests.factories import create_contest, create_user, make_settings, submit

DEPARTMENT = "해양항공국 해양정책과"


@pytest.fixture
def venue(runtime: Runtime) -> dict[str, Any]:
    with runtime.session() as session:
        contest = create_contest(session, themes=["시민행복", "균형발전"], votes_per_voter=1)
        author = create_user(session, name="정하은", department=DEPARTMENT)
        admin = create_user(session, role=Role.ADMIN)
        voter = create_user(session)
        contest_id = contest.id
    happy = submit(runtime, author, seed=21, title="바다가 가까운 도시", theme="시민행복").entry
    second = submit(runtime, author, seed=22, title="모두의 문화", theme="시민행복").entry
    balanced = submit(runtime, author, seed=23, title="원도심", theme="균형발전").entry
    return {
        "contest_id": contest_id,
        "author": author,
        "admin": admin,
        "voter": voter,
        "ids": [happy.id, second.id, balanced.id],
    }


def _open_exhibition(runtime: Runtime, admin: User) -> None:
    now = utcnow()
    with runtime.session() as session:
        set_exhibition(
            session,
            actor=admin,
            public=True,
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=1),
        )


def test_the_public_window_is_an_admins_switch_with_dates(
    runtime: Runtime, venue: dict[str, Any]
) -> None:
    now = utcnow()
    with runtime.session() as session:
        with pytest.raises(PermissionDenied):
            set_exhibition(session, actor=venue["author"], public=True, opens_at=now, closes_at=now)
        with pytest.raises(InvalidInput, match="dates_required"):
            set_exhibition(
                session, actor=venue["admin"], public=True, opens_at=None, closes_at=None
            )
        with pytest.raises(InvalidInput, match="bad_dates"):
            set_exhibition(
                session,
                actor=venue["admin"],
                public=True,
                opens_at=now,
                closes_at=now - timedelta(days=1),
            )
    _open_exhibition(runtime, venue["admin"])
    with runtime.session() as session:
        contest = require_current(session)
        assert exhibition_open(contest)
        assert not exhibition_open(contest, now + timedelta(days=2))
        assert session.exec(
            select(AuditEvent).where(AuditEvent.action == "exhibition.public")
        ).one()
        set_exhibition(session, actor=venue["admin"], public=False, opens_at=None, closes_at=None)
        assert not exhibition_open(contest)


def test_a_visitor_sees_a_poster_only_while_the_exhibition_is_public(
    runtime: Runtime, venue: dict[str, Any]
) -> None:
    first = venue["ids"][0]
    with runtime.session() as session:
        assert visitor_view(session, actor=None, entry_id=first).public is False
    _open_exhibition(runtime, venue["admin"])
    with runtime.session() as session:
        view = visitor_view(session, actor=None, entry_id=first)
        assert view.public and view.poster is not None
        assert view.poster.title == "바다가 가까운 도시"
        assert view.poster.ai_tools == ("Midjourney",)
        assert view.poster.department == DEPARTMENT  # as the printed label says
        assert view.poster.author_name is None  # names follow show_author_names (off)
        entry = session.get(Entry, venue["ids"][1])
        assert entry is not None
        entry.status = "withdrawn"
        session.add(entry)
    with runtime.session() as session:
        assert visitor_view(session, actor=None, entry_id=venue["ids"][1]).poster is None
        contest = require_current(session)
        contest.show_author_names = True
        session.add(contest)
    with runtime.session() as session:
        poster = visitor_view(session, actor=None, entry_id=first).poster
        assert poster is not None and poster.author_name == "정하은"


def test_a_scan_promises_what_the_posters_address_then_does(
    runtime: Runtime, venue: dict[str, Any]
) -> None:
    """Outside the public dates a poster's address says when they are (no poster); the label
    and the kiosk promise the same: the public page within the dates, else the staff sign-in,
    a vote only until voting closes (the venue's voting closes tomorrow)."""
    first, now = venue["ids"][0], utcnow()
    opens, closes = now + timedelta(days=2), now + timedelta(days=9)
    with runtime.session() as session:
        contest = require_current(session)
        unset = visitor_view(session, actor=None, entry_id=first)
        assert unset.viewing is not None and unset.viewing.status == Viewing.NONE
        assert unset.poster is None and unset.voting_open
        assert scan_promise(contest).text() == t("scan.staff_vote", "ko")
        set_exhibition(session, actor=venue["admin"], public=True, opens_at=opens, closes_at=closes)
    moments = {
        Viewing.BEFORE: now,
        Viewing.OPEN: now + timedelta(days=3),
        Viewing.CLOSED: now + timedelta(days=10),
    }
    with runtime.session() as session:
        contest = require_current(session)
        views = {
            s: visitor_view(session, actor=None, entry_id=first, now=m) for s, m in moments.items()
        }
        promises = {s: scan_promise(contest, now=m).text() for s, m in moments.items()}
        english = scan_promise(contest, now=now).text("en")
    assert {s: v.viewing.status for s, v in views.items() if v.viewing} == {s: s for s in moments}
    assert [s for s, v in views.items() if v.poster is not None] == [Viewing.OPEN]
    assert views[Viewing.BEFORE].public is False and views[Viewing.OPEN].public
    days = (day(opens, "Asia/Seoul"), day(closes, "Asia/Seoul"))
    assert all(d in promises[Viewing.BEFORE] for d in days)  # "2026. 12. 9.(수)" …
    assert "투표" in promises[Viewing.BEFORE] and "투표" not in promises[Viewing.OPEN]
    assert promises[Viewing.CLOSED] == t("scan.staff", "ko")  # ended, and voting too
    assert day(opens, "Asia/Seoul", "en") in english and "to read about this entry" in english


def test_kiosk_links_keep_a_hash_show_one_zone_and_stop_when_revoked(
    runtime: Runtime, venue: dict[str, Any]
) -> None:
    settings = runtime.settings
    with runtime.session() as session:
        with pytest.raises(PermissionDenied):
            create_display(session, actor=venue["author"], settings=settings, theme="시민행복")
        with pytest.raises(InvalidInput):
            create_display(session, actor=venue["admin"], settings=settings, theme="없는 구역")
        with pytest.raises(InvalidInput, match="bad_seconds"):
            create_display(
                session, actor=venue["admin"], settings=settings, theme="시민행복", seconds=1
            )
        made = create_display(
            session, actor=venue["admin"], settings=settings, theme="시민행복", seconds=8
        )
        display_id = made.display.id or 0
    assert made.link.startswith(f"{settings.base_url}/kiosk#screen=")  # never sent to servers
    token = parse_qs(urlsplit(made.link).fragment)["screen"][0]
    _open_exhibition(runtime, venue["admin"])  # a kiosk opens while the exhibition does
    assert len(token) >= 40
    with runtime.session() as session:
        row = session.get(DisplayLink, display_id)
        assert row is not None and row.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
        assert token not in repr(row.model_dump())
        view = kiosk_view(session, settings=settings, token=token)
    assert view.mode == KioskMode.POSTERS and view.theme == "시민행복" and view.seconds == 8
    assert [p.title for p in view.posters] == ["바다가 가까운 도시", "모두의 문화"]
    assert view.posters[0].link == settings.entry_link(venue["ids"][0])
    assert view.posters[0].credit == DEPARTMENT
    assert view.scan.text() == t("scan.public_vote", "ko", **viewing_dates(view.scan.viewing, "ko"))
    with runtime.session() as session:
        with pytest.raises(PermissionDenied):
            kiosk_view(session, settings=settings, token=token + "x")
        revoke_display(session, actor=venue["admin"], display_id=display_id)
    with runtime.session() as session:
        with pytest.raises(PermissionDenied, match=r"display\.invalid"):
            kiosk_view(session, settings=settings, token=token)
        with pytest.raises(InvalidState):
            revoke_display(session, actor=venue["admin"], display_id=display_id)


def test_codes_for_this_machine_are_refused_outside_demo_mode(
    runtime: Runtime, venue: dict[str, Any], tmp_path: Any
) -> None:
    assert is_local("http://localhost:8501") and is_local("http://127.0.0.2:8611")
    assert is_local("http://[::1]:8501") and not is_local("https://poster.incheon.go.kr")
    local = make_settings(tmp_path, base_url="http://localhost:8611")
    with pytest.raises(InvalidState, match="local_address") as refused:
        public_base(local)
    assert refused.value.params["address"] == "http://localhost:8611"
    assert public_base(make_settings(tmp_path, base_url="http://127.0.0.1:8611", demo=True))
    with runtime.session() as session, pytest.raises(InvalidState, match="local_address"):
        exhibition_pdf(session, store=runtime.store, settings=local, actor=venue["admin"])
    with runtime.session() as session, pytest.raises(InvalidState, match="local_address"):
        create_display(session, actor=venue["admin"], settings=local, theme="시민행복")


def test_labels_invite_votes_only_while_voting_is_open(
    runtime: Runtime, venue: dict[str, Any]
) -> None:
    with runtime.session() as session:
        kwargs = {"store": runtime.store, "settings": runtime.settings, "actor": venue["admin"]}
        during = pdf_text(exhibition_pdf(session, compress=False, **kwargs))
        later = utcnow() + timedelta(days=30)
        after = pdf_text(exhibition_pdf(session, compress=False, now=later, **kwargs))
    assert any("투표할 수 있습니다" in text for text in during)
    assert not any("투표" in text for text in after)
    assert any("휴대폰 카메라로" in text for text in after)


def test_the_receipt_is_the_authors_with_number_time_and_disclosure(
    runtime: Runtime, venue: dict[str, Any]
) -> None:
    first = venue["ids"][0]
    with runtime.session() as session:
        receipt = receipt_view(session, actor=venue["author"], entry_id=first)
        seoul = local(receipt.received_at, "Asia/Seoul")  # the contest's zone, to the second
        said = receipt.received("ko")
        assert said.startswith(f"{seoul.year}.\u00a0{seoul.month}.\u00a0{seoul.day}.(")
        assert f"{seoul:%H:%M}" in said and "KST" not in said
        with pytest.raises(PermissionDenied):
            receipt_view(session, actor=venue["voter"], entry_id=first)
        assert receipt_view(session, actor=venue["admin"], entry_id=first).number == receipt.number
        pdf = receipt_pdf(
            session, store=runtime.store, actor=venue["author"], entry_id=first, compress=False
        )
    texts = pdf_text(pdf)
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") == 1
    for expected in (
        "출품 접수증",
        "바다가 가까운 도시",
        str(receipt.number),
        said.replace("\u00a0", " "),
    ):
        assert any(expected in text for text in texts), expected
    assert any("Midjourney" in text for text in texts)
    assert any("정상적으로 접수되었음" in text for text in texts)

    with runtime.session() as session:  # withdrawn: the receipt no longer says it was accepted
        withdraw_entry(session, actor=venue["author"], entry_id=first)
        withdrawn = pdf_text(
            receipt_pdf(
                session, store=runtime.store, actor=venue["author"], entry_id=first, compress=False
            )
        )
    assert any("철회됨" in text for text in withdrawn)
    assert not any("정상적으로 접수되었음" in text for text in withdrawn)


def test_a_draft_lists_every_problem_at_once(runtime: Runtime, venue: dict[str, Any]) -> None:
    with runtime.session() as session:
        contest = session.get(Contest, venue["contest_id"])
    assert contest is not None
    empty = EntryDraft(title="", theme="", policy="")
    assert list(empty.problems(contest)) == ["title", "theme", "policy", "ai_tools", "consent"]
    with pytest.raises(InvalidInput, match=r"missing\.title"):
        empty.cleaned(contest)
    long = EntryDraft(title="가" * 201, theme="시민행복", policy="p", ai_tools=("Midjourney",))
    assert long.problems(contest)["title"].key == "error.entry.too_long.title"


def test_the_vote_button_says_why_it_is_off(runtime: Runtime, venue: dict[str, Any]) -> None:
    settings = runtime.settings
    first, second, _ = venue["ids"]
    with runtime.session() as session:
        own = poster_view(session, actor=venue["author"], settings=settings, entry_id=first)
        assert own.cannot_vote == "vote.why.own_entry"
        fresh = poster_view(session, actor=venue["voter"], settings=settings, entry_id=first)
        assert fresh.cannot_vote is None and fresh.cannot_retract is None
        cast_vote(session, actor=venue["voter"], entry_id=first)
    with runtime.session() as session:
        voted = poster_view(session, actor=venue["voter"], settings=settings, entry_id=first)
        assert voted.voted and voted.cannot_vote is None
        spent = poster_view(session, actor=venue["voter"], settings=settings, entry_id=second)
        assert spent.cannot_vote == "vote.why.no_votes_left"
        later = utcnow() + timedelta(days=5)
        closed = poster_view(
            session, actor=venue["voter"], settings=settings, entry_id=second, now=later
        )
        assert closed.cannot_vote == "vote.why.closed"
        assert closed.cannot_retract == "error.vote.retract_closed"  # as retract_vote says
        early = utcnow() - timedelta(days=5)
        before = poster_view(
            session, actor=venue["voter"], settings=settings, entry_id=second, now=early
        )
        assert before.cannot_vote == "vote.why.before"


def test_the_home_page_follows_the_stage(runtime: Runtime, venue: dict[str, Any]) -> None:
    now = utcnow()
    with runtime.session() as session:
        assert home_view(session, actor=venue["voter"]).stage == Stage.VOTING
        assert home_view(session, actor=venue["voter"], now=now - timedelta(days=5)).stage == (
            Stage.BEFORE
        )
        after = home_view(session, actor=venue["voter"], now=now + timedelta(days=5))
        assert after.stage == Stage.COUNTING and after.votes_left == 1
        contest = require_current(session)
        contest.phase = "finalised"
        session.add(contest)
        assert home_view(session, actor=venue["voter"]).stage == Stage.VOTING  # not public yet
        contest.published_snapshot_id = 1  # what judging.publication.publish pins
        session.add(contest)
        assert home_view(session, actor=venue["voter"]).stage == Stage.PUBLISHED


def test_a_user_keeps_their_language(runtime: Runtime, venue: dict[str, Any]) -> None:
    with runtime.session() as session:
        set_language(session, actor=venue["voter"], language="en")
        with pytest.raises(InvalidInput):
            set_language(session, actor=venue["voter"], language="fr")
    with runtime.session() as session:
        user = session.get(User, venue["voter"].id)
        assert user is not None and user.language == "en"
