"""Screenshots of this app's own pages in Chromium: the copies a colleague makes of a poster
they saw in the gallery.

Posters are entered into a running app (``streamlit run``, demo mode, its own data folder; one
author each, through the real upload), then captured signed in as a colleague: the poster page
on a 1280x800 and a 1920x1080 desktop and on a 390x844 phone at device scale 3 (a 1170x2532
picture), the full-size view (the image's fullscreen button) on a desktop, and a gallery card
cut from a gallery screenshot. Used by bench/make_copies.py (``--app``) and the dedupe browser
tests.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.sync_api import Browser, Page, expect, sync_playwright

from contest.core.config import Settings
from contest.demo.seed import DEMO_PASSWORD, seed_demo
from contest.runtime import Runtime, build_runtime
from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    UI_TIMEOUT,
    new_context,
    settle,
    sign_in,
    streamlit_server,
)
from tests.factories import TEST_SECRET, create_user, submit

DEVICES: dict[str, dict[str, Any]] = {
    "app_1280": {"viewport": {"width": 1280, "height": 800}},
    "app_1920": {"viewport": {"width": 1920, "height": 1080}},
    "app_phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
    },
}
VIEWER = "D1002"  # a colleague with posters of their own: they may open everyone's


def _png(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def _large_enough(picture: Image.Image) -> Image.Image:
    """The poster as an entrant's file would be: at least 1,000 px on its short side (the
    contest refuses pictures under 600)."""
    scale = 1000 / min(picture.size)
    if scale <= 1:
        return picture
    size = (round(picture.width * scale), round(picture.height * scale))
    return picture.resize(size, Image.Resampling.LANCZOS)


def enter_posters(runtime: Runtime, posters: Sequence[tuple[str, Image.Image]]) -> dict[str, int]:
    """Each poster as an entry of the current contest by an author of its own: name -> id."""
    ids = {}
    for n, (name, picture) in enumerate(posters):
        with runtime.session() as session:
            author = create_user(session, name=f"작가{n}")
        receipt = submit(
            runtime, author, seed=n, data=_png(_large_enough(picture)), title=f"포스터 {name}"[:40]
        )
        ids[name] = receipt.entry.id or 0
    return ids


def open_signed_in(browser: Browser, base_url: str, device: dict[str, Any]) -> Page:
    page = new_context(browser, device).new_page()
    page.goto(base_url)
    sign_in(page, VIEWER, DEMO_PASSWORD)
    return page


def poster_page(page: Page, base_url: str, entry_id: int) -> bytes:
    """A screenshot of the poster page (what the screen shows, nothing scrolled)."""
    page.goto(f"{base_url}/entry?entry={entry_id}")
    image = page.get_by_test_id("stImage").first
    expect(image.locator("img")).to_be_visible(timeout=UI_TIMEOUT)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stImage] img')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    settle(page)
    return page.screenshot()


def full_size(page: Page) -> bytes:
    """The poster page's picture in Streamlit's fullscreen view. The button shows only while
    the pointer is over the picture, and a click while its toolbar fades in can be lost: the
    hover and click are repeated until the view has opened."""
    image = page.get_by_test_id("stImage").first
    opened = page.get_by_role("button", name="Close fullscreen")
    for _ in range(5):
        page.mouse.move(0, 0)
        image.hover()
        page.get_by_role("button", name="Fullscreen").first.click()
        try:
            expect(opened).to_be_visible(timeout=5_000)
            break
        except AssertionError:
            continue
    expect(opened).to_be_visible(timeout=UI_TIMEOUT)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stImage] img')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    shot = page.screenshot()
    opened.click()
    expect(opened).to_have_count(0, timeout=UI_TIMEOUT)
    return shot


def gallery_cards(page: Page, base_url: str, wanted: dict[int, str]) -> Iterator[tuple[str, bytes]]:
    """Cards of the wanted entries on the gallery's first page, each cut from a screenshot of
    the whole page with a little of the page around it."""
    page.goto(f"{base_url}/gallery")
    grid = page.locator(".st-key-gallery_grid")
    expect(grid.locator("img").first).to_be_visible(timeout=UI_TIMEOUT)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.st-key-gallery_grid img')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    settle(page)
    shot = Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("RGB")
    scale = shot.width / page.viewport_size["width"] if page.viewport_size else 1.0
    for link in grid.locator("a").all():
        href = link.get_attribute("href") or ""
        entry = int(href.split("entry=")[-1]) if "entry=" in href else 0
        if entry not in wanted:
            continue
        card = link.locator("xpath=ancestor::*[@data-testid='stColumn'][1]")
        box = card.bounding_box()
        if box is None:
            continue
        pad = 12
        crop = (
            max(0, round((box["x"] - pad) * scale)),
            max(0, round((box["y"] - pad + page.evaluate("window.scrollY")) * scale)),
            min(shot.width, round((box["x"] + box["width"] + pad) * scale)),
            min(shot.height, round((box["y"] + box["height"] + pad) * scale)),
        )
        if crop[2] > crop[0] + 50 and crop[3] > crop[1] + 50:  # a card laid out on screen
            yield wanted.pop(entry), _png(shot.crop(crop))


@contextmanager
def app_with_posters(
    posters: Sequence[tuple[str, Image.Image]], data_dir: Path
) -> Iterator[tuple[str, Runtime, dict[str, int]]]:
    """A running app on ``data_dir`` with the posters entered: (base URL, runtime, ids)."""
    with streamlit_server(data_dir) as base_url:
        runtime = build_runtime(Settings(data_dir=data_dir, demo=True, secret_key=TEST_SECRET))
        seed_demo(runtime)
        try:
            yield base_url, runtime, enter_posters(runtime, posters)
        finally:
            runtime.engine.dispose()


def capture_app_pages(
    posters: Sequence[tuple[str, Image.Image]], data_dir: Path
) -> Iterator[tuple[str, str, bytes]]:
    """(poster name, kind, PNG bytes) of every capture of every poster (see the module)."""
    with app_with_posters(posters, data_dir) as (base_url, _runtime, ids), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for kind, device in DEVICES.items():
            page = open_signed_in(browser, base_url, device)
            for name, entry_id in ids.items():
                yield name, kind, poster_page(page, base_url, entry_id)
                if kind == "app_1920":
                    yield name, "app_fullsize", full_size(page)
            if kind == "app_1280":
                wanted = {entry_id: name for name, entry_id in ids.items()}
                for name, shot in gallery_cards(page, base_url, wanted):
                    yield name, "app_gallery_card", shot
            page.context.close()
        browser.close()
