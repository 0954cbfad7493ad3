"""The purge of a published contest's personal data, on SQLite and PostgreSQL: what it removes,
what stays public, when it may run; and the declared list of personal fields against the
models, so that a new personal column cannot be forgotten."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

from contest.cli import main
from contest.contests.visibility import Purpose, author_visibility
from contest.core.errors import InvalidState
from contest.core.models import (
    AuditEvent,
    Contest,
    Entry,
    ImageObject,
    SignInThrottle,
    User,
    Vote,
    VoteEvent,
)
from contest.core.pseudonyms import is_pseudonym
from contest.core.timeutil import utcnow
from contest.judging.publication import published_board
from contest.judging.results import verify_snapshot
from contest.privacy.personal import (
    NO_PERSONAL_DATA,
    NOT_PERSONAL,
    PERSONAL,
    PERSONAL_NAMES,
    PERSONAL_SUFFIXES,
    Fate,
)
from contest.privacy.placeholder import prepared
from contest.privacy.plan import purge_preview
from contest.privacy.purge import purge_contest, scope
from contest.privacy.retention import retention
from contest.privacy.views import privacy_notice
from contest.reports.audit_log import lines, sentence
from contest.reports.exports import voter_export
from contest.runtime import Runtime
from contest.voting.queries import vote_counts
from tests.factories import (
    PublishedContest,
    age_objects,
    contest_with_entries,
    published_contest,
)


def later(runtime: Runtime, scene: PublishedContest, days: int = 366) -> Any:
    with runtime.session() as session:
        contest = session.get(Contest, scene.contest_id)
        assert contest is not None and contest.published_at is not None
        return contest.published_at + timedelta(days=days)


def image_keys(session: Session, entry_id: int) -> set[str]:
    entry = session.get(Entry, entry_id)
    assert entry is not None
    image = session.get(ImageObject, entry.image_id)
    assert image is not None
    return {image.original_key, image.display_key, image.thumb_key}


def test_purge_removes_people_and_keeps_what_is_public(any_runtime: Runtime) -> None:
    rt = any_runtime
    scene = published_contest(rt)
    cid, admin = scene.contest_id, scene.admin
    with rt.session() as session:
        counts_before = vote_counts(session, contest_id=cid)
        board_before = published_board(session, actor=scene.voters[0], contest_id=cid)
        removed_keys = image_keys(session, scene.entries[4]) | image_keys(session, scene.entries[5])
        kept_keys = set().union(*(image_keys(session, e) for e in scene.entries[:4]))
        # A deactivated non-winner: nothing needs the account any more. A deactivated winner
        # stays named. A lock still in force stays; ended sign-in records go.
        for user_id in (scene.authors[3].id, scene.authors[0].id):
            user = session.get(User, user_id)
            assert user is not None
            user.is_active = False
            session.add(user)
        for key, failed, locked_until in (
            ("a" * 64, 3, None),
            ("b" * 64, 9, utcnow() + timedelta(days=900)),
        ):
            session.add(
                SignInThrottle(
                    key=key,
                    account=f"login:{key}",
                    failed_logins=failed,
                    locked_until=locked_until,
                    last_failed_at=utcnow(),
                )
            )
    removed_keys -= kept_keys
    assert removed_keys
    age_objects(rt.settings.objects_dir)
    # An upload of the very same bytes may have just rewritten an object: it stays, for gc.
    rewritten = sorted(removed_keys)[0]
    rt.store.put(rewritten, rt.store.get(rewritten), "application/octet-stream")
    removed_keys.discard(rewritten)
    now = later(rt, scene)

    with rt.session() as session:
        plan = purge_preview(session, actor=admin, contest_id=cid, now=now)
    assert (plan.votes, plan.voters, plan.winners, plan.pictures) == (9, 3, 2, 2)
    assert (plan.authors, plan.entries, plan.accounts) == (2, 4, 1)
    assert plan.sign_in_records == 1  # the count whose lock (if any) has ended

    with rt.session() as session:
        report = purge_contest(session, actor=admin, store=rt.store, contest_id=cid, now=now)
    assert report.objects_deleted == len(removed_keys) and report.objects_left == 1
    assert rt.store.exists(rewritten)

    with rt.session() as session:
        # Votes still count, for the same entries; nobody is behind them.
        assert vote_counts(session, contest_id=cid) == counts_before
        assert session.exec(select(Vote.voter_id).where(Vote.contest_id == cid)).all() == [None] * 9
        events = session.exec(select(VoteEvent).where(VoteEvent.contest_id == cid)).all()
        assert events and all(e.voter_id is None and e.actor_id is None for e in events)
        # The results record still verifies; the winners page is unchanged, names included.
        assert verify_snapshot(session, actor=admin, snapshot_id=scene.snapshot_id)
        board = published_board(session, actor=scene.voters[0], contest_id=cid)
        assert board == board_before
        assert [w.entry_id for w in board.winners] == scene.winners
        assert all(
            w.author and scene.authors[0].name in board.winners[0].author for w in board.winners[:1]
        )
        # Non-winners belong to one pseudonym per author; nobody sees a name or department.
        contest = session.get(Contest, cid)
        assert contest is not None and contest.purged_at is not None
        losing = [session.get(Entry, e) for e in scene.entries[2:]]
        owners = [session.get(User, e.author_id) for e in losing if e]
        assert all(o is not None and is_pseudonym(o) for o in owners)
        assert owners[0] is not None and owners[3] is not None and owners[0].id == owners[3].id
        assert owners[1] is not None and owners[2] is not None and owners[1].id == owners[2].id
        assert owners[0].id != owners[1].id
        shown = author_visibility(contest, None, Purpose.BROWSE)
        assert shown.name_of(owners[0]) is None and shown.department_of(owners[0]) is None
        # Withdrawn and disqualified entries show the grey card; their pictures are gone.
        card = prepared()
        for entry in losing[2:]:
            assert entry is not None
            image = session.get(ImageObject, entry.image_id)
            assert image is not None and image.sha256 == card.sha256
        assert not any(rt.store.exists(key) for key in removed_keys)
        assert all(rt.store.exists(key) for key in kept_keys)
        # The audit log keeps every action, with roles instead of names.
        audit = session.exec(select(AuditEvent).where(AuditEvent.contest_id == cid)).all()
        purge_row = [e for e in audit if e.action == "privacy.purge"]
        assert len(purge_row) == 1 and purge_row[0].actor_id == admin.id
        others = [e for e in audit if e.action != "privacy.purge"]
        assert {"entry.submit", "results.publish", "results.certificates"} <= {
            e.action for e in others
        }
        assert all(e.actor_id is None and "voter_id" not in e.details for e in others)
        said = [sentence(line, "ko") for line in lines(session, others, "Asia/Seoul")]
        assert any("관리자(이름 파기됨)" in s for s in said)
        assert not any(admin.name in s for s in said)
        # Accounts: the spent one is a pseudonym now; the winner and active people keep names.
        spent = session.get(User, scene.authors[3].id)
        winner = session.get(User, scene.authors[0].id)
        voter = session.get(User, scene.voters[0].id)
        assert spent is not None and is_pseudonym(spent) and spent.password_hash is None
        assert winner is not None and winner.name == scene.authors[0].name
        assert voter is not None and voter.name == scene.voters[0].name
        # Sign-in records: ended ones are gone, a lock in force stays.
        assert session.exec(select(SignInThrottle.key)).all() == ["b" * 64]

    with rt.session() as session:  # the export still lists every vote, naming nobody
        listed = voter_export(session, actor=admin, contest_id=cid, keys=True)
    assert len(listed) == 9 and set(listed["voter_name"]) == {""}

    with rt.session() as session, pytest.raises(InvalidState, match="already_purged"):
        purge_contest(session, actor=admin, store=rt.store, contest_id=cid, now=now)


def test_purge_waits_for_the_retention_period(runtime: Runtime) -> None:
    scene = published_contest(runtime)
    almost = later(runtime, scene, days=365) - timedelta(minutes=1)
    with runtime.session() as session, pytest.raises(InvalidState, match="not_due"):
        purge_contest(
            session, actor=scene.admin, store=runtime.store, contest_id=scene.contest_id, now=almost
        )
    with runtime.session() as session:
        contest = session.get(Contest, scene.contest_id)
        assert contest is not None
        assert retention(contest).until == contest.published_at + timedelta(days=365)  # type: ignore[operator]
        contest.retention_days = 30
        session.add(contest)
    with runtime.session() as session:
        purge_contest(
            session, actor=scene.admin, store=runtime.store, contest_id=scene.contest_id, now=almost
        )


def test_the_notice_on_the_sign_in_page_names_the_date(runtime: Runtime) -> None:
    scene = published_contest(runtime)
    with runtime.session() as session:
        notice = privacy_notice(session, actor=None)
        contest = session.get(Contest, scene.contest_id)
    assert notice is not None and contest is not None
    assert notice.days == 365 and notice.until == retention(contest).until and not notice.purged


def test_dry_run_changes_nothing(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    scene = published_contest(runtime)
    with runtime.session() as session:
        contest = session.get(Contest, scene.contest_id)
        assert contest is not None
        contest.retention_days = 30
        contest.published_at = utcnow() - timedelta(days=31)
        session.add(contest)
        slug = contest.slug
        admin = session.get(User, scene.admin.id)
        assert admin is not None
    monkeypatch.setenv("CONTEST_DATA_DIR", str(runtime.settings.data_dir))
    assert main(["purge", "--dry-run", "--admin", admin.employee_no, "--lang", "ko"]) == 0
    out = capsys.readouterr().out
    assert f"{slug}: due" in out and "투표 9표에서 투표자 3명의 정보를 지웁니다" in out
    with runtime.session() as session:
        assert session.exec(select(Vote.voter_id).where(col(Vote.voter_id).isnot(None))).all()
        assert session.get(Contest, scene.contest_id).purged_at is None  # type: ignore[union-attr]
    assert main(["purge", "--contest", slug, "--admin", admin.employee_no]) == 0
    with runtime.session() as session:
        assert not session.exec(select(Vote.voter_id).where(col(Vote.voter_id).isnot(None))).all()


# --- the declared table against the models -----------------------------------------------------


def _columns() -> list[sa.Column[Any]]:
    return [c for t in SQLModel.metadata.sorted_tables for c in t.columns]


def test_every_table_has_a_decision() -> None:
    personal = {f.table for f in PERSONAL}
    assert personal | set(NO_PERSONAL_DATA) == set(SQLModel.metadata.tables)


def test_every_column_that_points_at_a_person_is_declared() -> None:
    declared = {(f.table, f.column) for f in PERSONAL} | set(NOT_PERSONAL)
    pointing = {
        (c.table.name, c.name)
        for c in _columns()
        if any(fk.column.table.name == "user" for fk in c.foreign_keys)
        or c.name in PERSONAL_NAMES
        or c.name.endswith(PERSONAL_SUFFIXES)
        or (
            c.table.name == "user"
            and c.name
            not in {
                "id",
                "role",
                "is_active",
                "must_change_password",
                "session_epoch",
                "created_at",
            }
        )
    }
    assert pointing - declared == set()


def test_declared_fields_exist_and_can_be_purged() -> None:
    tables = SQLModel.metadata.tables
    for field in PERSONAL:
        assert field.column in tables[field.table].c, field
        if field.fate in (Fate.FORGET, Fate.SCRUB):
            scope(tables[field.table], 1)  # raises for a table without a contest scope
        if field.fate in (Fate.DELETE, Fate.RESET):
            assert "locked_until" in tables[field.table].c, field
        if field.only is not None:
            assert field.only[0] in tables[field.table].c, field


def test_a_contest_never_published_counts_from_the_close_of_voting(runtime: Runtime) -> None:
    long_ago = utcnow() - timedelta(days=500)
    scene = contest_with_entries(
        runtime,
        entries=2,
        submission_opens_at=long_ago - timedelta(days=20),
        submission_closes_at=long_ago - timedelta(days=10),
        voting_opens_at=long_ago - timedelta(days=10),
        voting_closes_at=long_ago,
    )
    cid = scene["contest"].id
    with runtime.session() as session:
        contest = session.get(Contest, cid)
        assert contest is not None and retention(contest).until == long_ago + timedelta(days=365)
        plan = purge_preview(session, actor=scene["admin"], contest_id=cid)
    assert (plan.winners, plan.authors, plan.entries) == (0, 1, 2)
    age_objects(runtime.settings.objects_dir)
    with runtime.session() as session:
        purge_contest(session, actor=scene["admin"], store=runtime.store, contest_id=cid)
    with runtime.session() as session:
        owners = {e.author_id for e in session.exec(select(Entry)).all()}
        (owner,) = [session.get(User, owner_id) for owner_id in owners]
    assert owner is not None and is_pseudonym(owner)
