"""Where st.image gets a poster from: a presigned URL on S3, cached bytes on the local store.

Keys are content-addressed, so the bytes under a key never change: caching them by key is
always correct. Presigned URLs expire, so a cached URL is keyed by the half-lifetime period it
was made in and is never handed out with less than half its lifetime left. Gallery pages use
thumbnails only (~480 px WebP); the poster view uses the display copy, never the original.

st.image re-encodes bytes that are not JPEG/PNG, or wider than its 1460 px limit, to JPEG on
every rerun (it cannot pass WebP through). So on the local store each picture is converted once,
when it enters the cache, into a JPEG st.image sends unchanged (and the browser caches by URL).
"""

from __future__ import annotations

import io
import time
from collections.abc import Sequence

import streamlit as st
from PIL import Image, ImageDraw

from contest.core.config import Settings
from contest.exhibition.labels import qr_png
from ui.runtime import get_runtime

THUMB_CACHE_ENTRIES = 2000  # ~30 KB each: a whole contest's thumbnails stay in memory
DISPLAY_CACHE_ENTRIES = 64  # display copies are larger and viewed one at a time
ST_IMAGE_MAX_WIDTH = 1460  # streamlit.elements.lib.image_utils.MAXIMUM_CONTENT_WIDTH


def _store_id(settings: Settings) -> str:
    """Part of every cache key, so two stores (tests, a migration) never share entries."""
    if settings.storage == "s3":
        return f"s3:{settings.s3_endpoint_url}:{settings.s3_bucket}"
    return f"local:{settings.objects_dir.resolve()}"


@st.cache_data(max_entries=20_000, ttl=3600, show_spinner=False)
def _presigned(store_id: str, key: str, period: int) -> str | None:
    return get_runtime().store.url(key)


def browser_ready(data: bytes) -> bytes:
    """JPEG bytes no wider than st.image's limit, so that st.image passes them through."""
    with Image.open(io.BytesIO(data)) as image:
        if image.format == "JPEG" and image.width <= ST_IMAGE_MAX_WIDTH:
            return data
        picture = image.convert("RGB")
    if picture.width > ST_IMAGE_MAX_WIDTH:
        height = round(picture.height * ST_IMAGE_MAX_WIDTH / picture.width)
        picture = picture.resize((ST_IMAGE_MAX_WIDTH, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue()


@st.cache_data(max_entries=THUMB_CACHE_ENTRIES, show_spinner=False)
def _thumb_bytes(store_id: str, key: str) -> bytes:
    return browser_ready(get_runtime().store.get(key))


@st.cache_data(max_entries=DISPLAY_CACHE_ENTRIES, show_spinner=False)
def _display_bytes(store_id: str, key: str) -> bytes:
    return browser_ready(get_runtime().store.get(key))


def _url(settings: Settings, key: str) -> str | None:
    if settings.storage != "s3":
        return None
    half_life = max(settings.s3_presign_ttl // 2, 1)
    return _presigned(_store_id(settings), key, int(time.time() // half_life))


def thumb_sources(keys: Sequence[str]) -> list[str | bytes]:
    """For st.image, a whole grid's thumbnails: URLs the browser fetches from S3, else the
    thumbnails' bytes. Asks for the runtime once (~0.1 ms a time; a grid has 24 pictures)."""
    settings = get_runtime().settings
    store_id = _store_id(settings)
    return [_url(settings, key) or _thumb_bytes(store_id, key) for key in keys]


def thumb_source(key: str) -> str | bytes:
    """For st.image: a URL the browser fetches from S3, else the thumbnail's bytes."""
    return thumb_sources([key])[0]


Area = tuple[float, float, float, float]  # left, top, right, bottom in shares of the picture
Outline = tuple[tuple[float, float], ...]  # corners in shares of the picture
MARK = (220, 30, 30)
REGION = (20, 90, 230)


@st.cache_data(max_entries=DISPLAY_CACHE_ENTRIES, show_spinner=False)
def _marked_bytes(
    store_id: str, key: str, areas: tuple[Area, ...], outline: Outline | None = None
) -> bytes:
    """The display copy with ``areas`` outlined and lightly tinted (the reviewer's highlight)
    and ``outline`` drawn as a closed line (where another poster lies inside it)."""
    with Image.open(io.BytesIO(get_runtime().store.get(key))) as image:
        picture = image.convert("RGB")
    tint = Image.new("RGB", picture.size, MARK)
    shade = Image.new("L", picture.size, 0)
    line = max(3, picture.width // 150)
    w, h = picture.size
    boxes = [
        (round(x0 * w), round(y0 * h), round(x1 * w), round(y1 * h)) for x0, y0, x1, y1 in areas
    ]
    for box in boxes:
        ImageDraw.Draw(shade).rectangle(box, fill=70)
    picture = Image.composite(tint, picture, shade)
    draw = ImageDraw.Draw(picture)
    for box in boxes:
        draw.rectangle(box, outline=MARK, width=line)
    if outline:
        corners = [(round(x * w), round(y * h)) for x, y in outline]
        draw.line([*corners, corners[0]], fill=REGION, width=line, joint="curve")
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    return browser_ready(out.getvalue())


def marked_source(key: str, areas: tuple[Area, ...], outline: Outline | None = None) -> str | bytes:
    """The display copy with the differing areas highlighted and ``outline`` drawn; the plain
    copy when there is neither."""
    if not areas and not outline:
        return display_source(key)
    return _marked_bytes(_store_id(get_runtime().settings), key, areas, outline)


def display_source(key: str) -> str | bytes:
    settings = get_runtime().settings
    return _url(settings, key) or _display_bytes(_store_id(settings), key)


@st.cache_data(max_entries=2000, show_spinner=False)
def qr_image(link: str) -> bytes:
    """A QR code for ``link``, large enough for a TV (drawn once per link)."""
    return qr_png(link, scale=12)
