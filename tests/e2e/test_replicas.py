"""The production shape in Chromium: PostgreSQL, an S3 server over HTTP and two `streamlit run`
replicas started at once on an empty database. A poster uploaded on replica A is seen with its
presigned image on B; a vote on B shows in the budget on A; a near-copy uploaded on B is flagged
as a duplicate of A's poster straight away."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect

from contest.core.i18n import t
from contest.demo.seed import DEMO_PASSWORD
from tests.conftest import fresh_pg_database
from tests.e2e.conftest import (
    UI_TIMEOUT,
    AppSpec,
    new_context,
    settle,
    sign_in,
    streamlit_apps,
)
from tests.e2e.test_gallery_vote import expect_votes_left, votes_left
from tests.e2e.test_submit import fill_and_send
from tests.factories import poster_bytes

TITLE = "두 서버 사이의 포스터"
NEAR_COPY_TITLE = "살짝 바꾼 같은 포스터"


def ko(key: str, **params: object) -> str:
    return t(key, "ko", **params)


@dataclass(frozen=True)
class Replicas:
    a: str
    b: str
    database_url: str
    s3_endpoint: str

    def query(self, sql: str, **params: object) -> list[tuple]:
        engine = sa.create_engine(self.database_url)
        with engine.connect() as conn:
            rows = [tuple(r) for r in conn.execute(sa.text(sql), params)]
        engine.dispose()
        return rows


@pytest.fixture(scope="module")
def replicas(
    pg_server: str, s3_endpoint: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Replicas]:
    """Two replicas on one empty PostgreSQL database and one bucket, started together."""
    database_url = fresh_pg_database(pg_server, f"replicas_{uuid.uuid4().hex[:8]}")
    shared = {
        "CONTEST_DATABASE_URL": database_url,
        "CONTEST_STORAGE": "s3",
        "CONTEST_S3_ENDPOINT_URL": s3_endpoint,
        "CONTEST_S3_BUCKET": f"replicas-{uuid.uuid4().hex[:12]}",
        "CONTEST_S3_CREATE_BUCKET": "true",
    }
    root = tmp_path_factory.mktemp("replicas")
    specs = [AppSpec(root / name, env=shared) for name in ("a", "b")]
    with streamlit_apps(*specs) as (a, b):
        yield Replicas(a, b, database_url, s3_endpoint)
    admin = sa.create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database_url.rsplit("/", 1)[1]}"')
    admin.dispose()


def new_page(browser: Browser) -> tuple[BrowserContext, Page]:
    """A tall window: with the look-alike warning the theme box sits lower on the submit page,
    and a dropdown opened at the bottom edge moved while Playwright clicked it."""
    context = new_context(browser, {"viewport": {"width": 1280, "height": 1600}})
    return context, context.new_page()


def submit_poster(page: Page, poster: Path, title: str, checked: str) -> None:
    """Upload on the submit page, wait for the check's verdict (``checked``), fill, send."""
    page.get_by_role("link", name=ko("nav.submit")).first.click()
    page.locator("input[type=file]").first.set_input_files(str(poster))
    expect(page.get_by_text(checked)).to_be_visible(timeout=UI_TIMEOUT)
    settle(page)
    fill_and_send(page, title=title, theme="초일류도시", policy="스마트 교통 정책")
    expect(page.get_by_text("접수되었습니다")).to_be_visible(timeout=UI_TIMEOUT)


def near_copy(original: bytes) -> bytes:
    """The same poster shrunk a little and saved as a JPEG: a duplicate, not new work."""
    image = Image.open(io.BytesIO(original)).convert("RGB")
    out = io.BytesIO()
    image.resize((760, 1045)).save(out, "JPEG", quality=80)
    return out.getvalue()


def test_two_replicas_share_posters_votes_and_duplicate_checks(
    replicas: Replicas, browser: Browser, tmp_path: Path
) -> None:
    original = poster_bytes(4242)
    poster, copy = tmp_path / "포스터.png", tmp_path / "포스터-사본.jpg"
    poster.write_bytes(original)
    copy.write_bytes(near_copy(original))
    author_ctx, author = new_page(browser)  # D1001 works on replica A
    voter_ctx, voter = new_page(browser)  # D1002 works on replica B, later looks at A
    try:
        author.goto(replicas.a, wait_until="commit")  # both replicas' first sessions at once
        voter.goto(replicas.b)
        sign_in(voter, "D1002", DEMO_PASSWORD)
        sign_in(author, "D1001", DEMO_PASSWORD)

        submit_poster(author, poster, TITLE, ko("submit.file_ok"))
        [(entry_id,)] = replicas.query("SELECT id FROM entry WHERE title = :t", t=TITLE)

        voter.goto(f"{replicas.b}/?entry={entry_id}")
        expect(voter.get_by_role("heading", name=TITLE)).to_be_visible(timeout=UI_TIMEOUT)
        image = voter.locator("[data-testid=stImage] img").first
        expect(image).to_have_attribute("src", re.compile(rf"^{re.escape(replicas.s3_endpoint)}/"))
        voter.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
        )
        before = votes_left(voter)
        settle(voter)
        voter.get_by_role("button", name=ko("vote.button")).click()
        expect(voter.get_by_text(ko("vote.cast_done", left=before - 1))).to_be_visible()

        on_a = voter_ctx.new_page()  # the same person on the other replica
        on_a.goto(f"{replicas.a}/?entry={entry_id}")
        if on_a.get_by_label(ko("auth.login")).count():
            sign_in(on_a, "D1002", DEMO_PASSWORD)
        expect(on_a.get_by_role("heading", name=TITLE)).to_be_visible(timeout=UI_TIMEOUT)
        expect_votes_left(on_a, before - 1)
        expect(on_a.get_by_role("button", name=ko("vote.retract"))).to_be_visible()

        voter.goto(replicas.b)
        settle(voter)
        warning = ko("entry.lookalike.other.duplicate")
        submit_poster(voter, copy, NEAR_COPY_TITLE, warning)
        flags = replicas.query(
            "SELECT f.level, f.cross_author FROM duplicate_flag f JOIN entry e ON e.id = f.entry_id"
            " WHERE e.title = :t AND f.other_entry_id = :other",
            t=NEAR_COPY_TITLE,
            other=entry_id,
        )
        assert flags == [("duplicate", True)]
    finally:
        author_ctx.close()
        voter_ctx.close()
