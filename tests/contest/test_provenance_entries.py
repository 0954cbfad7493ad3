"""A poster's provenance through the contest, on SQLite and PostgreSQL: read at upload and kept
with its image, shown to admins and judges beside the declaration, the served copies stamped with
the IPTC digital source type and nothing else, the making shared only with consent, the
gallery's tool filter, the AI usage page and its downloads."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlmodel import select

from contest.contests.queries import require_current
from contest.core.i18n import t
from contest.core.models import Entry, ImageObject, Role
from contest.core.timeutil import utcnow
from contest.entries.backfill import backfill
from contest.entries.submissions import EntryDraft, submit_entry, update_entry
from contest.entries.views import moderation_view
from contest.exhibition.labels import exhibition_pdf
from contest.exhibition.public import visitor_view
from contest.images.provenance.describe import Line
from contest.images.provenance.read import read_provenance
from contest.images.provenance.record import COMPOSITE, TRAINED, C2pa, Provenance, Texts
from contest.judging import scoring
from contest.reports.ai_usage import ai_usage_view, usage_csv, usage_xlsx
from contest.runtime import Runtime
from contest.voting.gallery import GalleryQuery, entry_detail, filters, gallery_page
from tests import provenance_samples as samples
from tests.contest.test_exhibition import pdf_text
from tests.factories import (
    TEST_SECRET,
    create_contest,
    create_user,
    judging_contest,
    submit,
)


def say(line: Line, lang: str = "ko") -> str:
    params = {k: say(v, lang) if isinstance(v, Line) else v for k, v in line.params.items()}
    return t(line.key, lang, **params)


@pytest.fixture
def setup(any_runtime: Runtime) -> dict[str, Any]:
    with any_runtime.session() as session:
        now = utcnow()
        create_contest(
            session,
            exhibition_public=True,
            exhibition_opens_at=now - timedelta(days=1),
            exhibition_closes_at=now + timedelta(days=1),
        )
        return {
            "author": create_user(session, department="도시계획과"),
            "colleague": create_user(session, department="혁신정책담당관"),
            "admin": create_user(session, role=Role.ADMIN),
        }


def _draft(session: Any, **fields: Any) -> EntryDraft:
    contest = require_current(session)
    values: dict[str, Any] = {
        "title": "바다",
        "theme": contest.themes[0],
        "policy": "해양",
        "ai_tools": ("Midjourney",),
        "prompt": "harbour poster",
        "human_part": "",
        "consent_own_work": True,
        "consent_publish": True,
    }
    return EntryDraft(**{**values, **fields})


def _stored(runtime: Runtime, entry_id: int) -> tuple[Entry, ImageObject]:
    with runtime.session() as session:
        entry = session.get(Entry, entry_id)
        assert entry is not None
        image = session.get(ImageObject, entry.image_id)
        assert image is not None
        return entry, image


def test_upload_keeps_the_record_and_admins_read_it(any_runtime: Runtime, setup: dict) -> None:
    sd = submit(any_runtime, setup["author"], seed=1, data=samples.sd_png(), human_part="")
    chain = samples.test_chain()
    firefly = submit(
        any_runtime, setup["author"], seed=2, data=samples.c2pa_signed(chain), human_part=""
    )
    _, image = _stored(any_runtime, sd.entry.id or 0)
    record = Provenance.from_json(image.provenance)
    assert (record.texts, record.seed) == (Texts.A1111, "1234567")
    with any_runtime.session() as session:
        rows = {r.entry.id: r for r in moderation_view(session, actor=setup["admin"]).rows}
    lines = [say(line) for line in rows[sd.entry.id].file_record.lines]
    assert (
        lines[0] == "파일 기록: Stable Diffusion 생성 설정 (모델 v1-5-pruned-emaonly, 시드 1234567)"
    )
    signed = rows[firefly.entry.id].file_record
    assert say(signed.lines[0]) == "파일 기록: Adobe Firefly로 생성 (C2PA 서명 확인됨)"
    assert signed.note is not None  # declared Midjourney, the file says Adobe Firefly
    assert say(signed.note).startswith("출품자가 밝힌 도구(Midjourney)와 파일 기록(Adobe Firefly)")
    assert rows[sd.entry.id].file_record.note is not None  # Midjourney vs Stable Diffusion


def test_judges_read_the_record_without_the_author(any_runtime: Runtime) -> None:
    s = judging_contest(any_runtime, votes=(3, 2), judges=1)
    record = read_provenance(samples.xmp_png(), "PNG")
    with any_runtime.session() as session:
        image = session.get(ImageObject, s.entries[0].image_id)
        assert image is not None
        image.provenance = record.to_json()
        session.add(image)
    with any_runtime.session() as session:
        queue = scoring.judge_queue(session, actor=s.judges[0], contest_id=s.contest.id or 0)
    by_id = {item.entry_id: item for item in queue}
    first = by_id[s.entries[0].id or 0].file_record
    assert [say(line) for line in first.lines] == ["파일 기록: 생성 AI 이미지 표시(IPTC)"]
    assert first.note is None  # the file names no tool: nothing to compare
    assert [say(line) for line in by_id[s.entries[1].id or 0].file_record.lines] == [
        "파일 기록을 아직 읽지 않았습니다."
    ]


def _xmp_and_exif(data: bytes) -> tuple[str, dict[str, Any], Any]:
    image = Image.open(io.BytesIO(data))
    xmp = image.info.get("xmp", b"")
    return (xmp.decode() if isinstance(xmp, bytes) else str(xmp)), dict(image.getexif()), image


def test_served_copies_carry_only_the_source_type(any_runtime: Runtime, setup: dict) -> None:
    sent = submit(any_runtime, setup["author"], seed=3, data=samples.xmp_jpeg(), human_part="")
    _, image = _stored(any_runtime, sent.entry.id or 0)
    assert image.display_key.endswith(".ai.jpg") and image.thumb_key.endswith(".ai.webp")
    for key in (image.display_key, image.thumb_key):
        data = any_runtime.store.get(key)
        xmp, exif, picture = _xmp_and_exif(data)
        assert f"digitalsourcetype/{TRAINED}<" in xmp
        assert "mj_user_kim" not in xmp and "Job ID" not in xmp  # nothing of the upload's XMP
        assert exif == {} and "icc_profile" not in picture.info
        assert b"GPS" not in data and b"Midjourney" not in data
    original = any_runtime.store.get(image.original_key)
    assert b"mj_user_kim" in original  # the original is kept as sent, for the organisers


def test_own_work_makes_the_copies_composite_and_an_edit_restamps(
    any_runtime: Runtime, setup: dict
) -> None:
    sent = submit(any_runtime, setup["author"], seed=4, human_part="문구와 배치")
    _, image = _stored(any_runtime, sent.entry.id or 0)
    assert image.display_key.endswith(".ai-composite.jpg")
    assert COMPOSITE in _xmp_and_exif(any_runtime.store.get(image.display_key))[0]
    with any_runtime.session() as session:
        update_entry(
            session,
            store=any_runtime.store,
            indexes=any_runtime.indexes,
            actor=setup["author"],
            entry_id=sent.entry.id or 0,
            draft=_draft(session, human_part=""),
        )
    _, after = _stored(any_runtime, sent.entry.id or 0)
    assert after.id == image.id and after.display_key.endswith(".ai.jpg")
    xmp = _xmp_and_exif(any_runtime.store.get(after.display_key))[0]
    assert f"digitalsourcetype/{TRAINED}<" in xmp


def _as_before_this_release(runtime: Runtime, image_id: int | None) -> tuple[str, str]:
    """Take the record and the stamp's key tag off an image; its keys as they were."""
    with runtime.session() as session:
        image = session.get(ImageObject, image_id)
        assert image is not None
        old_display, old_thumb = image.display_key, image.thumb_key
        image.provenance = None
        image.display_key = old_display.replace(".ai.jpg", ".jpg")
        image.thumb_key = old_thumb.replace(".ai.webp", ".webp")
        session.add(image)
    return old_display, old_thumb


def test_backfill_reads_and_stamps_older_images(any_runtime: Runtime, setup: dict) -> None:
    sent = submit(any_runtime, setup["author"], seed=5, data=samples.sd_png(), human_part="")
    old_display, old_thumb = _as_before_this_release(any_runtime, sent.image.id)
    report = backfill(any_runtime.engine, any_runtime.store)
    assert (report.pending, report.done, report.failed) == (1, 1, [])
    _, image = _stored(any_runtime, sent.entry.id or 0)
    assert (image.display_key, image.thumb_key) == (old_display, old_thumb)
    assert Provenance.from_json(image.provenance).texts == Texts.A1111
    assert backfill(any_runtime.engine, any_runtime.store).pending == 0


def test_the_making_is_shown_with_consent(any_runtime: Runtime, setup: dict) -> None:
    private = submit(any_runtime, setup["author"], seed=6, share_making=False)
    shared = submit(any_runtime, setup["author"], seed=7, share_making=True)
    with any_runtime.session() as session:
        hidden = entry_detail(session, actor=setup["colleague"], entry_id=private.entry.id or 0)
        admin = entry_detail(session, actor=setup["admin"], entry_id=private.entry.id or 0)
        own = entry_detail(session, actor=setup["author"], entry_id=private.entry.id or 0)
        open_ = entry_detail(session, actor=setup["colleague"], entry_id=shared.entry.id or 0)
        visitor = visitor_view(session, actor=None, entry_id=private.entry.id or 0).poster
    assert (hidden.prompt, hidden.human_part, hidden.ai_tools) == ("", "", ("Midjourney",))
    assert admin.prompt and own.prompt and open_.prompt == "bright poster of Incheon harbour"
    assert visitor is not None and visitor.prompt == ""
    assert say(visitor.ai_label) == "생성형 AI로 만든 출품작입니다 (사용 도구: Midjourney)"
    assert say(visitor.ai_label, "en") == "Made with generative AI (tools: Midjourney)"


def test_gallery_filters_by_declared_tool(any_runtime: Runtime, setup: dict) -> None:
    submit(any_runtime, setup["author"], seed=8, ai_tools=("Midjourney",))
    firefly = submit(any_runtime, setup["author"], seed=9, ai_tools=("Adobe Firefly", "Canva AI"))
    viewer = setup["colleague"]
    with any_runtime.session() as session:
        choices = filters(session, actor=viewer)
        page = gallery_page(
            session, actor=viewer, secret_key=TEST_SECRET, query=GalleryQuery(tool="Adobe Firefly")
        )
    assert choices.tools == ("Midjourney", "Adobe Firefly", "Canva AI")
    assert [card.entry_id for card in page.cards] == [firefly.entry.id]


def test_ai_usage_counts_and_downloads(any_runtime: Runtime, setup: dict) -> None:
    submit(any_runtime, setup["author"], seed=10, ai_tools=("Midjourney",))
    submit(any_runtime, setup["colleague"], seed=11, ai_tools=("Midjourney", "Adobe Firefly"))
    submit(
        any_runtime,
        setup["colleague"],
        seed=12,
        data=samples.c2pa_signed(samples.test_chain()),
        ai_tools=(),
        ai_tools_other="사내 도구",
    )
    with any_runtime.session() as session:
        staff = ai_usage_view(session, actor=setup["author"])
        admin = ai_usage_view(session, actor=setup["admin"])
        judge = ai_usage_view(session, actor=create_user(session, role=Role.JUDGE))
        csv = usage_csv(session, actor=setup["admin"]).decode("utf-8-sig")
        workbook = load_workbook(io.BytesIO(usage_xlsx(session, actor=setup["admin"], lang="en")))
    assert staff.entries == 3
    assert [(u.tool, u.entries, u.departments) for u in staff.tools] == [
        ("Midjourney", 2, 2),
        ("Adobe Firefly", 1, 1),
        (None, 1, 1),
    ]
    assert {(d.department, d.entries) for d in staff.departments} == {
        ("도시계획과", 1),
        ("혁신정책담당관", 2),
    }
    assert staff.files == () and judge.departments == ()  # judges are blind to departments
    said = {say(use.says): use.entries for use in admin.files}
    assert said == {"Adobe Firefly": 1, "파일 기록 없음": 2}
    assert csv.splitlines()[0] == "도구,출품작 수,부서 수"
    assert "기타 (직접 입력),1,1" in csv
    assert workbook.sheetnames == ["By tool", "By department", "By file record"]


def test_unreadable_manifest_is_recorded_not_refused(any_runtime: Runtime, setup: dict) -> None:
    sent = submit(any_runtime, setup["author"], seed=13, data=samples.malformed_manifest())
    _, image = _stored(any_runtime, sent.entry.id or 0)
    assert Provenance.from_json(image.provenance).c2pa == C2pa.UNREADABLE
    with any_runtime.session() as session:
        ids = session.exec(select(Entry.id)).all()
    assert sent.entry.id in ids


def test_the_contest_signs_the_copies_when_an_operator_gives_a_certificate(
    any_runtime: Runtime, setup: dict, tmp_path: Path
) -> None:
    """Off by default (every test above); with a certificate the copies carry a C2PA manifest
    naming the contest as publisher, beside the XMP stamp, under keys of their own."""
    chain = samples.test_chain(organisation="Incheon Metropolitan City")
    (tmp_path / "cert.pem").write_bytes(chain.certificates)
    (tmp_path / "key.pem").write_bytes(chain.key)
    settings = any_runtime.settings.model_copy(
        update={"c2pa_cert": tmp_path / "cert.pem", "c2pa_key": tmp_path / "key.pem"}
    )
    with any_runtime.session() as session:
        receipt = submit_entry(
            session,
            store=any_runtime.store,
            indexes=any_runtime.indexes,
            actor=setup["author"],
            draft=_draft(session),
            data=samples.sd_png(14),
            settings=settings,
        )
    assert receipt.image.display_key.endswith(".ai.c2pa.jpg")
    for key, fmt in ((receipt.image.display_key, "JPEG"), (receipt.image.thumb_key, "WEBP")):
        data = any_runtime.store.get(key)
        record = read_provenance(data, fmt)
        assert (record.c2pa, record.c2pa_source) == (C2pa.VALID, TRAINED)
        assert record.tool == "인천광역시 AI 혁신 포스터 경진대회"
        assert record.actions == ("c2pa.created", "c2pa.published")
        assert f"digitalsourcetype/{TRAINED}<" in _xmp_and_exif(data)[0]
    _, image = _stored(any_runtime, receipt.entry.id or 0)  # the upload's own record is kept
    assert Provenance.from_json(image.provenance).texts == Texts.A1111


def test_backfill_command(runtime: Runtime, tmp_path: Path) -> None:
    with runtime.session() as session:
        create_contest(session)
        author = create_user(session)
    sent = submit(runtime, author, seed=15, human_part="")
    _as_before_this_release(runtime, sent.image.id)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTEST_")}
    env.update(CONTEST_DATA_DIR=str(tmp_path / "data"), CONTEST_SECRET_KEY=TEST_SECRET)
    done = subprocess.run(
        [sys.executable, "-m", "contest", "backfill-provenance"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "1 images lacked their record or stamp: 1 done, 0 failed" in done.stdout
    _, image = _stored(runtime, sent.entry.id or 0)
    assert image.provenance == {"v": 1} and image.display_key.endswith(".ai.jpg")


def test_every_exhibition_label_says_the_poster_is_ai_made(runtime: Runtime) -> None:
    with runtime.session() as session:
        create_contest(session)
        author, admin = create_user(session), create_user(session, role=Role.ADMIN)
    submit(runtime, author, seed=16, ai_tools=("Adobe Firefly",))
    submit(runtime, author, seed=17, ai_tools=(), ai_tools_other="사내 생성 도구")
    with runtime.session() as session:
        pdf = exhibition_pdf(
            session, store=runtime.store, settings=runtime.settings, actor=admin, compress=False
        )
    texts = pdf_text(pdf)
    assert any("생성형 AI로 만든 출품작입니다 (사용 도구: Adobe Firefly)" in t for t in texts)
    assert any("생성형 AI로 만든 출품작입니다 (사용 도구: 사내 생성 도구)" in t for t in texts)
