"""Submitting, editing and withdrawing posters: windows, limits, ownership, atomicity."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from sqlmodel import func, select

from contest.core.errors import (
    InvalidImage,
    InvalidInput,
    LimitReached,
    NotSignedIn,
    PermissionDenied,
    StorageFailed,
    WindowClosed,
)
from contest.core.i18n import error_message
from contest.core.models import AuditEvent, Entry, EntryStatus, ImageObject
from contest.entries import submissions
from contest.entries.objects import PREFIXES
from contest.runtime import Runtime
from tests.factories import create_contest, create_user, draft, poster_bytes, submit
from tests.support.stores import FlakyStore

SEOUL = ZoneInfo("Asia/Seoul")


def all_objects(runtime: Runtime) -> list[str]:
    return [key for prefix in PREFIXES for key in runtime.store.list(prefix)]


def row_count(runtime: Runtime, model: type) -> int:
    with runtime.session() as session:
        return session.exec(select(func.count()).select_from(model)).one()


def setup(runtime: Runtime, **contest_fields):
    with runtime.session() as session:
        contest = create_contest(session, **contest_fields)
        author = create_user(session)
    return contest, author


def test_submit_stores_copies_and_returns_a_receipt(any_runtime: Runtime) -> None:
    _contest, author = setup(any_runtime)
    receipt = submit(any_runtime, author, seed=1)
    assert receipt.entry.number == 1
    assert receipt.entry.status == EntryStatus.ACTIVE.value
    image = receipt.image
    assert image.original_key.startswith("originals/")
    for key in (image.original_key, image.display_key, image.thumb_key):
        assert any_runtime.store.exists(key)
    assert Image.open(io.BytesIO(any_runtime.store.get(image.thumb_key))).format == "WEBP"
    assert submit(any_runtime, author, seed=2).entry.number == 2


def test_form_opened_before_midnight_and_sent_after_is_refused(runtime: Runtime) -> None:
    closes = datetime(2026, 10, 24, 23, 59, 59, tzinfo=SEOUL)
    contest, author = setup(
        runtime,
        submission_opens_at=closes - timedelta(days=11),
        submission_closes_at=closes,
    )
    with runtime.session() as session, pytest.raises(WindowClosed) as caught:
        submissions.submit_entry(
            session,
            store=runtime.store,
            indexes=runtime.indexes,
            actor=author,
            draft=draft(contest),
            data=poster_bytes(1),
            now=datetime(2026, 10, 25, 0, 1, tzinfo=SEOUL),
        )
    assert caught.value.key == "error.submission_closed"
    message = error_message(caught.value, "ko")
    assert (
        "출품 접수 기간이 아닙니다" in message
        and "2026.\u00a010.\u00a024.(토)\u00a023:59:59" in message
    )
    assert all_objects(runtime) == [] and row_count(runtime, Entry) == 0
    with runtime.session() as session:
        receipt = submissions.submit_entry(
            session,
            store=runtime.store,
            indexes=runtime.indexes,
            actor=author,
            draft=draft(contest),
            data=poster_bytes(1),
            now=datetime(2026, 10, 24, 23, 59, tzinfo=SEOUL),
        )
    assert receipt.entry.number == 1


def test_entries_per_person_and_withdrawal_frees_a_place(runtime: Runtime) -> None:
    _contest, author = setup(runtime, entries_per_person=2)
    first = submit(runtime, author, seed=1)
    submit(runtime, author, seed=2)
    with pytest.raises(LimitReached):
        submit(runtime, author, seed=3)
    with runtime.session() as session:
        submissions.withdraw_entry(session, actor=author, entry_id=first.entry.id)
    assert submit(runtime, author, seed=3).entry.number == 3


def test_edit_keeps_history_and_replacing_the_image_keeps_the_old_one(runtime: Runtime) -> None:
    contest, author = setup(runtime)
    receipt = submit(runtime, author, seed=1)
    with runtime.session() as session:
        updated = submissions.update_entry(
            session,
            store=runtime.store,
            indexes=runtime.indexes,
            actor=author,
            entry_id=receipt.entry.id,
            draft=draft(contest, title="새 제목"),
            data=poster_bytes(7),
        )
    assert updated.entry.title == "새 제목"
    assert updated.image.id != receipt.image.id
    with runtime.session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "entry.edit")).one()
        assert session.get(ImageObject, receipt.image.id) is not None
    assert event.details["before"]["title"] == "바다가 가까운 도시"
    assert event.details["after"]["title"] == "새 제목"
    assert event.details["before"]["image_id"] == receipt.image.id


def test_only_the_author_may_edit_or_withdraw(runtime: Runtime) -> None:
    contest, author = setup(runtime)
    with runtime.session() as session:
        other = create_user(session)
    receipt = submit(runtime, author, seed=1)
    with runtime.session() as session, pytest.raises(PermissionDenied):
        submissions.withdraw_entry(session, actor=other, entry_id=receipt.entry.id)
    with runtime.session() as session, pytest.raises(PermissionDenied):
        submissions.update_entry(
            session,
            store=runtime.store,
            indexes=runtime.indexes,
            actor=other,
            entry_id=receipt.entry.id,
            draft=draft(contest),
        )
    with runtime.session() as session, pytest.raises(NotSignedIn):
        submissions.withdraw_entry(session, actor=None, entry_id=receipt.entry.id)


def test_withdraw_after_the_window_is_refused(runtime: Runtime) -> None:
    contest, author = setup(runtime)
    receipt = submit(runtime, author, seed=1)
    later = contest.submission_closes_at + timedelta(minutes=1)
    with runtime.session() as session, pytest.raises(WindowClosed):
        submissions.withdraw_entry(session, actor=author, entry_id=receipt.entry.id, now=later)


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"title": " "}, "error.entry.missing.title"),
        ({"theme": "없는 주제"}, "error.entry.bad_theme"),
        ({"consent_publish": False}, "error.entry.consent_required"),
        ({"ai_tools": (), "ai_tools_other": ""}, "error.entry.missing.ai_tools"),
        ({"title": "가" * 201}, "error.entry.too_long.title"),
    ],
)
def test_bad_form_input_is_refused_before_anything_is_stored(
    runtime: Runtime, change: dict, key: str
) -> None:
    _contest, author = setup(runtime)
    with pytest.raises(InvalidInput) as caught:
        submit(runtime, author, seed=1, **change)
    assert caught.value.key == key
    assert all_objects(runtime) == [] and row_count(runtime, Entry) == 0


def test_a_refused_file_leaves_no_trace(runtime: Runtime) -> None:
    contest, author = setup(runtime)
    with runtime.session() as session, pytest.raises(InvalidImage):
        submissions.submit_entry(
            session,
            store=runtime.store,
            indexes=runtime.indexes,
            actor=author,
            draft=draft(contest),
            data=b"GIF89a" + b"\x00" * 100,
        )
    assert all_objects(runtime) == []
    assert row_count(runtime, Entry) == 0 and row_count(runtime, ImageObject) == 0


def test_storage_failure_mid_upload_writes_no_row(any_runtime: Runtime) -> None:
    contest, author = setup(any_runtime)
    flaky = FlakyStore(any_runtime.store, fail_on=3)
    with any_runtime.session() as session, pytest.raises(StorageFailed) as caught:
        submissions.submit_entry(
            session,
            store=flaky,
            indexes=any_runtime.indexes,
            actor=author,
            draft=draft(contest),
            data=poster_bytes(1),
        )
    assert flaky.puts == 3
    assert "아무것도 저장되지 않았으니" in error_message(caught.value, "ko")
    assert row_count(any_runtime, Entry) == 0 and row_count(any_runtime, ImageObject) == 0
    assert len(all_objects(any_runtime)) == 2  # left for gc (test_garbage.py), never a row


def test_database_failure_mid_upload_writes_no_row(
    any_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    contest, author = setup(any_runtime)

    def broken_flags(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(submissions, "record_flags", broken_flags)
    with any_runtime.session() as session, pytest.raises(RuntimeError):
        submissions.submit_entry(
            session,
            store=any_runtime.store,
            indexes=any_runtime.indexes,
            actor=author,
            draft=draft(contest),
            data=poster_bytes(1),
        )
    assert row_count(any_runtime, Entry) == 0 and row_count(any_runtime, ImageObject) == 0
    assert len(all_objects(any_runtime)) == 3
