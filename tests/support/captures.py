"""Copies of a poster as people really make them, drawn: a browser window showing it, a whole
desktop around such a window, a phone screenshot, a phone photo of a screen or of a print.

Used by the dedupe tests and bench/bench_dedupe.py (with tests/support/app_captures.py, which
captures this app's own pages in Chromium). Every function takes the poster (or any picture to
show) and a ``random.Random``; the same seed draws the same frame around any poster, which is
how the "same frame, different posters" unrelated pairs are made.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont

FONT = Path(__file__).resolve().parents[2] / "contest" / "assets" / "fonts" / "NanumSquareR.ttf"
WORDS = ["인천", "포스터", "갤러리", "투표", "출품작", "Home", "Search", "News", "Mail", "Docs"]


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.truetype(str(FONT), size) if FONT.exists() else ImageFont.load_default(size)


def _grey(rng: random.Random, low: int, high: int) -> tuple[int, int, int]:
    level = rng.randint(low, high)
    return (level, level, min(255, level + rng.randint(0, 8)))


def _text(rng: random.Random, words: int = 3) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def _fit(picture: Image.Image, box: tuple[int, int]) -> Image.Image:
    scale = min(box[0] / picture.width, box[1] / picture.height)
    size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    return picture.resize(size, Image.Resampling.LANCZOS)


def page(
    poster: Image.Image, size: tuple[int, int], rng: random.Random, share: float
) -> Image.Image:
    """A web page of ``size`` showing the poster ``share`` of its width wide among text."""
    width = size[0]
    dark = rng.random() < 0.3
    canvas = Image.new("RGB", size, _grey(rng, 10, 30) if dark else _grey(rng, 240, 255))
    draw = ImageDraw.Draw(canvas)
    ink = (230, 230, 230) if dark else (30, 30, 40)
    draw.rectangle((0, 0, width, 56), fill=_grey(rng, 30, 80) if dark else _grey(rng, 200, 235))
    draw.text((20, 16), _text(rng, 4), font=_font(22), fill=ink)
    shown = poster.resize(
        (round(width * share), round(width * share * poster.height / poster.width)),
        Image.Resampling.LANCZOS,
    )
    x = rng.randint(20, max(20, width - shown.width - 20))
    y = rng.randint(70, 110)
    canvas.paste(shown, (x, y))
    right = x + shown.width + 30 if x + shown.width + 260 < width else 20
    for line in range(12):
        ty = y + 10 + line * 34
        if right == 20 and ty > y - 20:
            ty = y + shown.height + 20 + line * 30
        draw.text((right, ty), _text(rng, rng.randint(2, 5)), font=_font(20), fill=ink)
    return canvas


def viewer(poster: Image.Image, size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A browser showing the image alone: fitted to the window (as browsers do), centred on
    dark grey."""
    canvas = Image.new("RGB", size, (14, 14, 14))
    shown = _fit(poster, size)
    canvas.paste(shown, ((size[0] - shown.width) // 2, (size[1] - shown.height) // 2))
    return canvas


def browser(content: Image.Image, rng: random.Random) -> Image.Image:
    """A browser window around ``content``: tab strip, address bar, a frame."""
    dark = rng.random() < 0.4
    tabs, bar = rng.randint(34, 44), rng.randint(38, 48)
    frame = _grey(rng, 30, 50) if dark else _grey(rng, 215, 235)
    window = Image.new("RGB", (content.width, content.height + tabs + bar), frame)
    draw = ImageDraw.Draw(window)
    ink = (220, 220, 220) if dark else (40, 40, 40)
    tab_fill = _grey(rng, 50, 70) if dark else (255, 255, 255)
    for n in range(rng.randint(1, 5)):
        x = 8 + n * 230
        draw.rounded_rectangle((x, 6, x + 220, tabs + 4), 8, fill=tab_fill if n == 0 else frame)
        draw.text((x + 34, 12), _text(rng, 2), font=_font(14), fill=ink)
        draw.ellipse((x + 10, 13, x + 26, 29), fill=(66, 133, 244))
    draw.rectangle((0, tabs, content.width, tabs + bar), fill=tab_fill)
    draw.rounded_rectangle(
        (110, tabs + 6, content.width - 120, tabs + bar - 6), 14, fill=_grey(rng, 236, 245)
    )
    draw.text(
        (130, tabs + 12),
        "https://poster.example.go.kr/entry?entry=12",
        font=_font(15),
        fill=(60, 60, 60),
    )
    for n in range(3):
        draw.ellipse((14 + 30 * n, tabs + 12, 30 + 30 * n, tabs + 28), outline=ink, width=2)
    window.paste(content, (0, tabs + bar))
    return window


def browser_window(poster: Image.Image, rng: random.Random) -> Image.Image:
    """A screenshot of a browser window showing the poster (the window cropped close)."""
    size = (rng.randint(1000, 1600), rng.randint(650, 1000))
    content = (
        viewer(poster, size, rng)
        if rng.random() < 0.5
        else page(poster, size, rng, rng.uniform(0.3, 0.6))
    )
    return browser(content, rng)


def taskbar(width: int, rng: random.Random) -> Image.Image:
    height = rng.randint(40, 56)
    bar = Image.new("RGB", (width, height), _grey(rng, 20, 60))
    draw = ImageDraw.Draw(bar)
    for n in range(rng.randint(5, 12)):
        x = 60 + n * (height + 8)
        colour = (rng.randrange(60, 255), rng.randrange(60, 255), rng.randrange(60, 255))
        draw.rounded_rectangle((x, 8, x + height - 16, height - 8), 4, fill=colour)
    draw.text((width - 110, height // 2 - 10), "오후 3:24", font=_font(16), fill=(240, 240, 240))
    return bar


def wallpaper(size: tuple[int, int], rng: random.Random) -> Image.Image:
    small = np.array([[[rng.randrange(256) for _ in range(3)] for _ in range(4)] for _ in range(3)])
    layer = Image.fromarray(small.astype(np.uint8), "RGB").resize(size, Image.Resampling.BICUBIC)
    return layer.filter(ImageFilter.GaussianBlur(20))


def desktop(poster: Image.Image, rng: random.Random) -> Image.Image:
    """A whole-desktop screenshot: wallpaper, a browser window (maximised or not) with the
    poster 20-35% of the desktop's width, a taskbar the full width."""
    size = rng.choice(((1920, 1080), (1366, 768), (2560, 1440), (1600, 900)))
    screen = wallpaper(size, rng)
    bar = taskbar(size[0], rng)
    if rng.random() < 0.5:
        box = (0, 0, size[0], size[1] - bar.height)
    else:
        x0, y0 = rng.randint(0, size[0] // 8), rng.randint(0, size[1] // 10)
        box = (
            x0,
            y0,
            size[0] - rng.randint(0, size[0] // 8),
            size[1] - bar.height - rng.randint(0, 40),
        )
    inner = (box[2] - box[0], box[3] - box[1] - 90)
    share = rng.uniform(0.2, 0.35) * size[0] / inner[0]
    content = page(poster, inner, rng, min(share, 0.9))
    window = browser(content, rng).crop((0, 0, box[2] - box[0], box[3] - box[1]))
    screen.paste(window, box[:2])
    screen.paste(bar, (0, size[1] - bar.height))
    return screen


def phone(content: Image.Image, rng: random.Random) -> Image.Image:
    """A phone screenshot around ``content`` (any width: fitted): a status bar (dark or
    light, the time and icons), an app bar with a title, the content, a navigation bar."""
    width, height = rng.choice(((1080, 2340), (1170, 2532), (1080, 2400), (1284, 2778)))
    dark = rng.random() < 0.5
    status, nav, app = rng.randint(70, 140), rng.randint(50, 140), rng.randint(120, 180)
    screen = Image.new("RGB", (width, height), (0, 0, 0) if dark else (250, 250, 250))
    draw = ImageDraw.Draw(screen)
    ink = (240, 240, 240) if dark else (20, 20, 20)
    draw.text((40, status // 3), "9:41", font=_font(36), fill=ink)
    for n in range(3):
        draw.rectangle(
            (width - 160 + n * 40, status // 3, width - 135 + n * 40, status // 3 + 28), fill=ink
        )
    draw.rectangle(
        (0, status, width, status + app), fill=_grey(rng, 20, 40) if dark else (255, 255, 255)
    )
    draw.text((110, status + app // 3), _text(rng, 2), font=_font(44), fill=ink)
    margin = rng.choice((0, 0, 16, 48))
    shown = content.resize(
        (width - 2 * margin, round((width - 2 * margin) * content.height / content.width)),
        Image.Resampling.LANCZOS,
    )
    screen.paste(shown, (margin, status + app + rng.randint(0, 60)))
    draw.rectangle(
        (0, height - nav, width, height), fill=(245, 245, 245) if rng.random() < 0.7 else (0, 0, 0)
    )
    draw.rounded_rectangle(
        (width // 2 - 140, height - nav // 2 - 6, width // 2 + 140, height - nav // 2 + 6),
        6,
        fill=(60, 60, 60),
    )
    return screen


def phone_screenshot(poster: Image.Image, rng: random.Random) -> Image.Image:
    return phone(poster, rng)


def _perspective(corners: list[tuple[float, float]], size: tuple[int, int]) -> list[float]:
    """PIL's perspective coefficients mapping the output quad ``corners`` to a picture of
    ``size`` (output pixel -> input pixel)."""
    w, h = size
    source = [(0, 0), (w, 0), (w, h), (0, h)]
    rows, rhs = [], []
    for (x, y), (u, v) in zip(corners, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return list(np.linalg.solve(np.array(rows, float), np.array(rhs, float)))


def photo(picture: Image.Image, rng: random.Random, *, screen: bool) -> Image.Image:
    """A phone photo of ``picture`` on a screen (a bezel, moire, glare) or printed (a white
    margin, uneven light): 2-4 degrees of perspective with the edges leaning differently, a
    background, brightness, mild blur, noise."""
    if screen:
        bezel = 24
        framed = Image.new(
            "RGB", (picture.width + 2 * bezel, picture.height + 2 * bezel), (15, 15, 18)
        )
        framed.paste(picture, (bezel, bezel))
    else:
        margin = picture.width // 20
        framed = Image.new(
            "RGB", (picture.width + 2 * margin, picture.height + 2 * margin), (248, 246, 240)
        )
        framed.paste(picture, (margin, margin))
    out_size = (2048, 1536) if framed.width > framed.height else (1536, 2048)
    fill = rng.uniform(0.6, 0.85)
    scale = fill * min(out_size[0] / framed.width, out_size[1] / framed.height)
    w, h = framed.width * scale, framed.height * scale
    cx = out_size[0] / 2 + rng.uniform(-0.05, 0.05) * out_size[0]
    cy = out_size[1] / 2 + rng.uniform(-0.05, 0.05) * out_size[1]
    lean = [np.radians(rng.uniform(2, 4)) * rng.choice((-1, 1)) for _ in range(2)]
    turn = np.radians(rng.uniform(-2, 2))
    corners = []
    for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        x, y = sx * w / 2, sy * h / 2
        x += np.tan(lean[0] if sx < 0 else lean[1]) * y  # left and right edges lean differently
        y *= 1 + 0.03 * sx * rng.uniform(0.3, 1.0)  # foreshortening: one side taller
        x, y = x * np.cos(turn) - y * np.sin(turn), x * np.sin(turn) + y * np.cos(turn)
        corners.append((cx + x, cy + y))
    background = wallpaper(out_size, rng).filter(ImageFilter.GaussianBlur(6))
    coefficients = _perspective(corners, framed.size)
    warped = framed.transform(
        out_size, Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BICUBIC
    )
    mask = Image.new("L", framed.size, 255).transform(
        out_size, Image.Transform.PERSPECTIVE, coefficients
    )
    shot = Image.composite(warped, background, mask)
    pixels = np.asarray(shot, np.float32)
    yy, xx = np.mgrid[0 : out_size[1], 0 : out_size[0]].astype(np.float32)
    if screen:  # moire: a faint beat of the screen's pixel grid with the camera's
        period, angle = rng.uniform(5, 12), rng.uniform(0, np.pi)
        beat = np.sin((xx * np.cos(angle) + yy * np.sin(angle)) * 2 * np.pi / period)
        pixels += (rng.uniform(2, 6) * beat)[..., None]
    gx, gy = rng.uniform(0, out_size[0]), rng.uniform(0, out_size[1])  # glare or uneven light
    radius = rng.uniform(0.2, 0.5) * out_size[0]
    light = np.exp(-((xx - gx) ** 2 + (yy - gy) ** 2) / (2 * radius**2))
    pixels += (rng.uniform(25, 60) * light)[..., None]
    pixels += np.random.default_rng(rng.randrange(2**32)).normal(0, 3, pixels.shape)
    shot = Image.fromarray(pixels.clip(0, 255).astype(np.uint8), "RGB")
    shot = ImageEnhance.Brightness(shot).enhance(rng.uniform(0.8, 1.15))
    shot = ImageEnhance.Contrast(shot).enhance(rng.uniform(0.8, 1.1))
    return shot.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.3)))


def photo_of_screen(poster: Image.Image, rng: random.Random) -> Image.Image:
    """A photo of a monitor showing the poster in a browser window."""
    return photo(browser_window(poster, rng), rng, screen=True)


def photo_of_print(poster: Image.Image, rng: random.Random) -> Image.Image:
    return photo(poster, rng, screen=False)


def encode(picture: Image.Image, rng: random.Random, lossless: bool) -> bytes:
    """PNG for a screenshot, JPEG for a photo (quality 75-92)."""
    out = io.BytesIO()
    if lossless:
        picture.save(out, "PNG")
    else:
        picture.convert("RGB").save(out, "JPEG", quality=rng.randint(75, 92))
    return out.getvalue()


# kind -> (draw, lossless)
CAPTURES: dict[str, tuple[Callable[[Image.Image, random.Random], Image.Image], bool]] = {
    "browser_window": (browser_window, True),
    "desktop": (desktop, True),
    "phone_screenshot": (phone_screenshot, True),
    "photo_screen": (photo_of_screen, False),
    "photo_print": (photo_of_print, False),
}


def capture(poster: Image.Image, kind: str, seed: int) -> bytes:
    """Encoded bytes of a ``kind`` capture of ``poster`` (the frame is the seed's)."""
    draw, lossless = CAPTURES[kind]
    rng = random.Random(seed)
    return encode(draw(poster.convert("RGB"), rng), rng, lossless)
