"""Sample posters drawn locally with Pillow for the demo contest (nothing is downloaded)."""

from __future__ import annotations

import io
import random
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONTS_DIR = Path(__file__).parents[1] / "assets" / "fonts"
SIZE = (900, 1272)  # A-series proportions, above the 600 px minimum on the short side


@cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "NanumSquareB.ttf" if bold else "NanumSquareR.ttf"
    return ImageFont.truetype(str(FONTS_DIR / name), size)


def background(rng: random.Random) -> Image.Image:
    """A two-colour gradient with soft blobs: distinct for every seed, poster-like (also drawn
    by the duplicate detector's synthetic posters, tests/contest/synth_posters.py)."""
    top = tuple(rng.randrange(30, 226) for _ in range(3))
    bottom = tuple(rng.randrange(30, 226) for _ in range(3))
    gradient = Image.linear_gradient("L").resize(SIZE)
    image = Image.composite(Image.new("RGB", SIZE, bottom), Image.new("RGB", SIZE, top), gradient)
    layer = Image.new("RGB", SIZE, (0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for _ in range(rng.randrange(5, 11)):
        x, y, r = rng.randrange(SIZE[0]), rng.randrange(SIZE[1]), rng.randrange(60, 320)
        colour = tuple(rng.randrange(256) for _ in range(3))
        shape = draw.ellipse if rng.random() < 0.6 else draw.rectangle
        shape((x - r, y - r, x + r, y + r), fill=colour)
    return Image.blend(image, layer.filter(ImageFilter.GaussianBlur(24)), 0.45)


def draw_poster(seed: int, title: str, slogan: str, theme: str) -> bytes:
    rng = random.Random(seed)
    image = background(rng)
    draw = ImageDraw.Draw(image)
    band_top = rng.randrange(700, 900)
    draw.rectangle((0, band_top, SIZE[0], band_top + 260), fill=(255, 255, 255))
    draw.text((60, band_top + 40), title, font=font(64, bold=True), fill=(20, 30, 60))
    draw.text((60, band_top + 140), slogan, font=font(34), fill=(60, 60, 60))
    draw.rounded_rectangle((60, 60, 60 + 40 * len(theme) + 60, 130), 30, fill=(20, 30, 60))
    draw.text((90, 72), theme, font=font(40, bold=True), fill=(255, 255, 255))
    draw.text(
        (60, SIZE[1] - 80), "인천광역시 · AI 혁신 포스터", font=font(28), fill=(255, 255, 255)
    )
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()
