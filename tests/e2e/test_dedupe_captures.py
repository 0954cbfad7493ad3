"""Screenshots of this app's own poster page, made in Chromium from the running app, are found
as copies of the poster they show; screenshots of two other posters in the same frame are not
taken for each other (their shared sidebar, texts and vote box are no similarity). Then the
whole way: a colleague uploads a phone screenshot of an existing poster in the browser, and the
admin finds it in the duplicate review queue, the poster's place in the capture drawn on it."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from sqlmodel import col, select

from contest.contests.queries import require_current
from contest.core.i18n import t
from contest.core.models import DuplicateFlag, Entry, FlagLevel
from contest.dedupe.index import HashIndex
from contest.dedupe.indexes import DedupeIndexes
from contest.dedupe.scan import hashes_of_file
from contest.demo.seed import DEMO_PASSWORD
from contest.runtime import Runtime
from tests.contest.synth_posters import draw_poster
from tests.e2e.conftest import UI_TIMEOUT, demo_copy, new_page, settle, sign_in
from tests.e2e.test_submit import fill_and_send
from tests.factories import PASSWORD, create_user
from tests.support.app_captures import DEVICES, enter_posters, open_signed_in, poster_page
from ui.images import REGION

SEEDS = (1006, 1011, 1012)  # a photo-like scene, stripes with a band, a blurred colour field


def ko(key: str, **params: object) -> str:
    return t(key, "ko", **params)


@pytest.fixture(scope="module")
def scene(
    app_server: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Runtime, dict[str, int]]]:
    """A copy of the demo contest made current, with three drawn posters entered."""
    with demo_copy(tmp_path_factory, name="E2E 캡처 대회", slug="e2e-captures") as (runtime, _):
        posters = [(str(seed), draw_poster(seed)) for seed in SEEDS]
        yield runtime, enter_posters(runtime, posters)


@pytest.fixture(scope="module")
def captures(
    app_server: str, browser: Browser, scene: tuple[Runtime, dict[str, int]]
) -> dict[tuple[str, str], bytes]:
    """(device, poster) -> a screenshot of the poster page, on a 1280x800 desktop and on a
    390x844 phone at device scale 3."""
    _, ids = scene
    shots = {}
    for device in ("app_1280", "app_phone"):
        page = open_signed_in(browser, app_server, DEVICES[device])
        for name, entry_id in ids.items():
            shots[(device, name)] = poster_page(page, app_server, entry_id)
        page.context.close()
    return shots


def _index(runtime: Runtime) -> tuple[HashIndex, dict[int, int]]:
    """The contest's index as uploads search it, and entry id -> number."""
    with runtime.session() as session:
        contest_id = require_current(session).id or 0
        rows = session.exec(select(Entry.id, Entry.number).where(Entry.contest_id == contest_id))
        numbers = {entry_id or 0: number for entry_id, number in rows.all()}
        return DedupeIndexes().sync(session, contest_id), numbers


def test_screenshots_of_the_poster_page_are_found_as_copies(
    scene: tuple[Runtime, dict[str, int]],
    captures: dict[tuple[str, str], bytes],
    tmp_path: Path,
) -> None:
    runtime, ids = scene
    index, _ = _index(runtime)
    # Not every capture is found (docs/dedupe.md has the rates per kind): these are.
    found = [key for key in captures if key[0] == "app_1280" or key[1] == str(SEEDS[0])]
    for device, name in found:
        data = captures[(device, name)]
        shot = Image.open(io.BytesIO(data))
        assert shot.size == ((1170, 2532) if device == "app_phone" else (1280, 800))
        path = tmp_path / f"{device}-{name}.png"
        path.write_bytes(data)
        matches = index.query(hashes_of_file(path))
        assert matches and matches[0].entry_id == ids[name], (device, name, matches[:2])
        assert matches[0].level == FlagLevel.DUPLICATE, (device, name, matches[0])
        assert matches[0].evidence.located is not None
        assert all(m.level != FlagLevel.DUPLICATE for m in matches[1:]), (device, name)


def test_screenshots_of_other_posters_in_one_frame_are_not_alike(
    captures: dict[tuple[str, str], bytes], tmp_path: Path
) -> None:
    """The same sidebar, texts and vote box around two different posters: no flag at all."""
    for device in ("app_1280", "app_phone"):
        paths = []
        for name in map(str, SEEDS):
            paths.append(tmp_path / f"{device}-{name}.png")
            paths[-1].write_bytes(captures[(device, name)])
        hashes = [hashes_of_file(path) for path in paths]
        index = HashIndex.build(enumerate(hashes))
        for n, item in enumerate(hashes):
            assert index.query(item, exclude={n}) == [], (device, SEEDS[n])


def _submit(page: Page, base_url: str, picture: Path) -> None:
    page.goto(f"{base_url}/submit")
    page.locator("input[type=file]").first.set_input_files(str(picture))
    # The uploader is told before sending: the picture looks like another entry.
    told = page.get_by_text(ko("entry.lookalike.other.duplicate"))
    expect(told).to_be_visible(timeout=UI_TIMEOUT)
    fill_and_send(page, title="바다 도시 캡처", theme="초일류도시", policy="해양 정책")
    receipt = page.locator(".st-key-submit_receipt")
    expect(receipt.get_by_text(re.compile(r"접수되었습니다"))).to_be_visible(timeout=UI_TIMEOUT)


def test_a_phone_screenshot_uploaded_is_in_the_review_queue_with_its_place_drawn(
    app_server: str,
    browser: Browser,
    scene: tuple[Runtime, dict[str, int]],
    captures: dict[tuple[str, str], bytes],
    tmp_path: Path,
) -> None:
    runtime, ids = scene
    original = ids[str(SEEDS[0])]
    _, numbers = _index(runtime)
    with runtime.session() as session:
        uploader = create_user(session, name="캡처직원")
        login = uploader.employee_no
    picture = tmp_path / "휴대폰 캡처.png"
    picture.write_bytes(captures[("app_phone", str(SEEDS[0]))])

    page = new_page(browser)
    page.goto(app_server)
    sign_in(page, login, PASSWORD)
    _submit(page, app_server, picture)
    page.context.close()
    with runtime.session() as session:
        flags = session.exec(
            select(DuplicateFlag).where(col(DuplicateFlag.other_entry_id) == original)
        ).all()
        assert [f.level for f in flags] == [FlagLevel.DUPLICATE.value]
        assert flags[0].evidence["located"]["inliers"] >= 12

    admin = new_page(browser)
    admin.goto(app_server)
    sign_in(admin, "D9001", DEMO_PASSWORD)
    admin.goto(f"{app_server}/admin_duplicates")
    sentence = ko("dup.find.captured", number=numbers[original])
    card = admin.get_by_test_id("stVerticalBlock").filter(has_text=sentence).last
    expect(admin.get_by_text(sentence)).to_be_visible(timeout=UI_TIMEOUT)
    expect(card.get_by_text(ko("dup.region"))).to_be_visible(timeout=UI_TIMEOUT)
    # The upload (on the right) has the poster's place outlined in blue. The page draws the
    # two sides one after the other: on a busy machine the card showed the older poster alone,
    # and "the last picture" was that one.
    settle(admin)
    pictures = card.get_by_test_id("stImage").locator("img")
    expect(pictures).to_have_count(2)
    newer = pictures.last
    expect(newer).to_be_visible(timeout=UI_TIMEOUT)
    source = newer.get_attribute("src") or ""
    drawn = Image.open(io.BytesIO(admin.request.get(source).body())).convert("RGB")
    pixels = np.asarray(drawn, np.int16)
    blue = (np.abs(pixels - np.array(REGION)).max(axis=2) < 40).mean()
    assert blue > 0.003, blue
    admin.context.close()
