"""The restore drill an operator runs before the contest opens, as a test: a contest with
entries, votes, scores, a duplicate flag, published results and printed certificates is backed
up with ``python -m contest backup``, restored with ``restore`` onto a fresh database and an
empty store, and the app started on the copy shows in Chromium the gallery, a poster, the
winners and the certificates; every object is byte-identical and the results record's
integrity check passes, on PostgreSQL + S3 (moto over HTTP). SQLite + local files, and a backup
restored onto the other kind, go through the same commands in tests/contest/test_backup.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from contest.core.config import Settings
from contest.core.i18n import t
from contest.core.models import Contest, DuplicateFlag, ImageObject, JudgeScore
from contest.runtime import Runtime, build_runtime
from tests.conftest import fresh_pg_database
from tests.e2e.conftest import (
    ROOT,
    UI_TIMEOUT,
    AppSpec,
    new_page,
    settle,
    sign_in,
    streamlit_app,
)
from tests.e2e.plain import go
from tests.factories import PASSWORD, TEST_SECRET, PublishedContest, published_contest

pytestmark = pytest.mark.postgres


def ko(key: str, **params: object) -> str:
    return t(key, "ko", **params)


@dataclass(frozen=True)
class Drill:
    base_url: str
    scene: PublishedContest
    source: Runtime
    target: Runtime


def environment(folder: Path, request: pytest.FixtureRequest) -> dict[str, str]:
    """The CONTEST_* settings of a fresh PostgreSQL database and an empty S3 bucket."""
    server = request.getfixturevalue("pg_server")
    return {
        "CONTEST_DEMO": "false",
        "CONTEST_SECRET_KEY": TEST_SECRET,
        "CONTEST_DATA_DIR": str(folder),
        "CONTEST_DATABASE_URL": fresh_pg_database(server, f"drill_{uuid.uuid4().hex[:8]}"),
        "CONTEST_STORAGE": "s3",
        "CONTEST_S3_ENDPOINT_URL": request.getfixturevalue("s3_endpoint"),
        "CONTEST_S3_BUCKET": f"drill-{uuid.uuid4().hex[:12]}",
        "CONTEST_S3_CREATE_BUCKET": "true",
    }


def runtime_of(env: dict[str, str]) -> Runtime:
    names = {k.removeprefix("CONTEST_").lower(): v for k, v in env.items()}
    return build_runtime(Settings(**names))  # type: ignore[arg-type]


def contest_command(env: dict[str, str], *args: str) -> str:
    """``python -m contest ARGS`` as an operator runs it, configured by ``env`` only."""
    plain = {k: v for k, v in os.environ.items() if not k.startswith("CONTEST_")}
    done = subprocess.run(
        [sys.executable, "-m", "contest", *args],
        cwd=ROOT,
        env={**plain, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def drill(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Drill]:
    root = tmp_path_factory.mktemp("drill")
    source_env = environment(root / "source", request)
    source = runtime_of(source_env)
    scene = published_contest(source)
    with source.session() as session:  # the scene holds what the drill must bring back
        assert session.exec(select(DuplicateFlag)).all()
        assert session.exec(select(JudgeScore)).all()
    contest_command(source_env, "backup", str(root / "backup"), "--pg-dump")
    assert ": ok," in contest_command(source_env, "verify-backup", str(root / "backup"))
    spec = AppSpec(root / "target")
    target_env = environment(spec.data_dir, request)
    assert "restored" in contest_command(target_env, "restore", str(root / "backup"))
    target = runtime_of(target_env)
    with streamlit_app(AppSpec(spec.data_dir, port=spec.port, env=target_env)) as base_url:
        yield Drill(base_url, scene, source, target)
    source.engine.dispose()
    target.engine.dispose()


def loaded(page: Page, alt: str) -> None:
    image = page.get_by_role("img", name=alt).first
    expect(image).to_be_visible(timeout=UI_TIMEOUT)
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )


def test_the_restored_copy_is_the_contest(drill: Drill, browser: Browser) -> None:
    scene, source, target = drill.scene, drill.source, drill.target
    # Every object byte for byte, on the other database and store.
    with source.session() as session:
        images = session.exec(select(ImageObject)).all()
    keys = {k for i in images for k in (i.original_key, i.display_key, i.thumb_key)}
    assert keys and all(target.store.get(key) == source.store.get(key) for key in keys)

    page = new_page(browser)
    try:
        page.goto(drill.base_url)
        sign_in(page, scene.admin.employee_no, PASSWORD)
        first = ko("image.alt", title="보존 포스터 1", theme="시민행복")

        go(page, "nav.gallery")
        loaded(page, first)
        fourth = ko("image.alt", title="보존 포스터 4", theme="시민행복")
        expect(page.get_by_role("img", name=fourth)).to_be_visible(timeout=UI_TIMEOUT)

        page.get_by_role("link", name=ko("gallery.open", number=1, title="보존 포스터 1")).click()
        settle(page)
        expect(page).to_have_url(re.compile(rf"entry={scene.entries[0]}\b"), timeout=UI_TIMEOUT)
        loaded(page, first)

        go(page, "nav.results_published")
        contest_name = target_contest_name(drill)
        title = ko("results.winners_title", name=contest_name)
        expect(page.get_by_text(title)).to_be_visible(timeout=UI_TIMEOUT)
        expect(page.get_by_text("1번 보존 포스터 1")).to_be_visible(timeout=UI_TIMEOUT)
        expect(page.get_by_text("2번 보존 포스터 2")).to_be_visible(timeout=UI_TIMEOUT)

        go(page, "nav.admin_results")
        page.get_by_role("button", name=ko("results.verify")).click()
        expect(page.get_by_text(ko("results.verified_ok", id=scene.snapshot_id))).to_be_visible(
            timeout=UI_TIMEOUT
        )
        page.get_by_role("button", name=ko("certificates.make")).click()
        expect(page.get_by_text(ko("certificates.ready"))).to_be_visible(timeout=UI_TIMEOUT)
        with page.expect_download() as download:
            page.get_by_role("button", name=ko("certificates.download")).click()
        pdf = Path(download.value.path()).read_bytes()
        assert pdf.startswith(b"%PDF")
    finally:
        page.context.close()


def target_contest_name(drill: Drill) -> str:
    with drill.target.session() as session:
        contest = session.get(Contest, drill.scene.contest_id)
        assert contest is not None
        return contest.name
