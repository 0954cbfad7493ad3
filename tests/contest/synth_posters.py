"""Synthetic posters and the kinds of copy a duplicate detector must see through.

Used by the dedupe tests and by bench/bench_dedupe.py. Posters sharing a ``background`` seed
but not a ``text`` seed stand for entries made from the same template or AI background (with
the same layout, or with the title elsewhere when ``layout_seed`` differs). Background styles:
gradient+shapes, blurred 'AI' colour fields, stripes, photo-like texture, soft blobs, smooth
gradients (linear or radial, nothing else: the hardest to tell apart), photo-like scenes
(sky, hills, sun) and the demo contest's blended gradients.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont, ImageOps

from contest.demo.posters import background as demo_background

FONT_DIR = Path(__file__).resolve().parents[2] / "contest" / "assets" / "fonts"
SIZE = (900, 1273)
WORDS = [
    "인천",
    "시민",
    "안전",
    "혁신",
    "행정",
    "스마트",
    "바다",
    "공항",
    "청년",
    "복지",
    "탄소중립",
    "데이터",
    "AI",
    "민원",
    "교통",
    "환경",
    "문화",
    "관광",
    "소통",
    "협업",
    "미래",
    "도시",
    "공정",
    "공유",
    "공감",
    "디지털",
    "주민",
    "마을",
]


def font(size: int, bold: bool = True) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    path = FONT_DIR / ("NanumSquareB.ttf" if bold else "NanumSquareR.ttf")
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def _noise(nrng: np.random.Generator, size: tuple[int, int]) -> np.ndarray:
    """Photo-like texture: noise at several scales, coloured, summed (H, W, 3) in 0..255."""
    out = np.zeros((size[1], size[0], 3), np.float32)
    for cells, weight in ((4, 1.0), (12, 0.5), (40, 0.25), (160, 0.12)):
        small = nrng.normal(0, 1, (max(2, cells * size[1] // size[0]), cells, 3))
        layer = Image.fromarray(((small + 4) * 32).clip(0, 255).astype(np.uint8), "RGB")
        out += weight * (np.asarray(layer.resize(size, Image.Resampling.BICUBIC)) - 128.0)
    tint = nrng.uniform(60, 200, 3)
    return (out * nrng.uniform(0.6, 1.4) + tint).clip(0, 255)


STYLES = 8


def _smooth(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """A smooth gradient, linear at any angle or radial, between two or three colours."""
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    if rng.random() < 0.6:
        angle = rng.uniform(0, 2 * np.pi)
        t = (x / w - 0.5) * np.cos(angle) + (y / h - 0.5) * np.sin(angle)
    else:
        cx, cy = rng.uniform(0.1, 0.9) * w, rng.uniform(0.1, 0.9) * h
        t = np.hypot(x - cx, y - cy) / np.hypot(w, h)
    t = (t - t.min()) / max(float(np.ptp(t)), 1e-6)
    stops = [np.array([rng.randrange(256) for _ in range(3)], np.float32) for _ in range(3)]
    mid = rng.uniform(0.3, 0.7)
    if rng.random() < 0.5:  # two colours only
        stops[1] = stops[0] * (1 - mid) + stops[2] * mid
    low = (t < mid)[..., None]
    a = np.clip(t / mid, 0, 1)[..., None]
    b = np.clip((t - mid) / (1 - mid), 0, 1)[..., None]
    rgb = np.where(low, stops[0] * (1 - a) + stops[1] * a, stops[1] * (1 - b) + stops[2] * b)
    return Image.fromarray(rgb.clip(0, 255).astype(np.uint8), "RGB")


def _scene(rng: random.Random, nrng: np.random.Generator, size: tuple[int, int]) -> Image.Image:
    """Photo-like: a sky gradient, a sun, two or three ridges of hills with texture."""
    w, h = size
    image = _smooth(random.Random(rng.random()), size)
    draw = ImageDraw.Draw(image)
    sx, sy, r = rng.randrange(w), rng.randrange(h // 2), rng.randint(40, 120)
    draw.ellipse((sx - r, sy - r, sx + r, sy + r), fill=(255, rng.randint(180, 250), 120))
    xs = np.arange(w)
    for layer in range(rng.randint(2, 3)):
        base = h * rng.uniform(0.35 + 0.15 * layer, 0.55 + 0.15 * layer)
        ridge = base + sum(
            rng.uniform(10, 90) / k * np.sin(xs * k * rng.uniform(0.002, 0.01) + rng.random() * 6)
            for k in (1, 2, 4)
        )
        colour = tuple(rng.randrange(20, 160) for _ in range(3))
        draw.polygon(
            [(0, h), *zip(xs[::8].tolist(), ridge[::8].tolist(), strict=True), (w, h)], fill=colour
        )
    texture = _noise(nrng, size) - _noise(nrng, size).mean()
    photo = np.asarray(image, np.float32) + 0.25 * texture
    return Image.fromarray(photo.clip(0, 255).astype(np.uint8), "RGB")


def background(seed: int, size: tuple[int, int] = SIZE) -> Image.Image:
    """A picture in one of STYLES styles (``seed % STYLES``)."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    style = seed % STYLES
    if style == 5:
        return _smooth(rng, size)
    if style == 6:
        return _scene(rng, nrng, size)
    if style == 7:  # the demo contest's blended gradients
        return demo_background(rng).resize(size, Image.Resampling.BICUBIC)
    if style == 1:
        small = nrng.integers(0, 256, (6, 4, 3), dtype=np.uint8)
        image = Image.fromarray(small, "RGB").resize(size, Image.Resampling.BICUBIC)
    elif style == 3:
        image = Image.fromarray(_noise(nrng, size).astype(np.uint8), "RGB")
    else:
        top, bottom = (np.array([rng.randrange(256) for _ in range(3)]) for _ in range(2))
        ramp = np.linspace(0, 1, size[1])[:, None, None]
        grad = top * (1 - ramp) + bottom * ramp
        image = Image.fromarray(np.broadcast_to(grad, (size[1], size[0], 3)).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(6, 14) if style != 3 else rng.randint(0, 4)):
        colour = tuple(rng.randrange(256) for _ in range(3))
        x, y, r = rng.randrange(size[0]), rng.randrange(size[1]), rng.randint(30, 220)
        if style == 2 and rng.random() < 0.5:
            draw.rectangle((0, y, size[0], y + r // 3), fill=colour)
        elif rng.random() < 0.5 or style == 4:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        else:
            points = [(x + rng.randint(-r, r), y + rng.randint(-r, r)) for _ in range(3)]
            draw.polygon(points, fill=colour)
    if style in (1, 4):
        image = image.filter(ImageFilter.GaussianBlur(6 if style == 1 else 25))
    return image


def text_lines(seed: int) -> list[str]:
    rng = random.Random(seed * 7919 + 1)
    return [" ".join(rng.sample(WORDS, rng.randint(2, 3))) for _ in range(rng.randint(2, 4))]


def layout(seed: int) -> dict:
    """Where the text goes for a layout seed: a band (dark or light) low, middle or high, or
    text straight on the picture; left-aligned or centred; with or without a white footer."""
    rng = random.Random(seed * 31 + 7)
    return {
        "top": rng.choice((0.08, 0.38, 0.62)),
        "band": rng.choice(((20, 24, 48), (245, 240, 230), None)),
        "footer": rng.random() < 0.6,
        "title": rng.choice((52, 64, 80)),
        "x": rng.choice((40, 80)),
        "centre": rng.random() < 0.3,
    }


def draw_poster(
    bg_seed: int,
    text_seed: int | None = None,
    lines: list[str] | None = None,
    layout_seed: int | None = None,
) -> Image.Image:
    """A poster: background, a title and lines in a band or straight on the picture, maybe a
    white footer. Its layout is kept in ``image.info["layout"]`` for the text-edit copies.
    One smooth-gradient poster in three is drawn at 4K (2160 px wide)."""
    image = background(bg_seed)
    lines = lines if lines is not None else text_lines(bg_seed if text_seed is None else text_seed)
    spec = layout(bg_seed if layout_seed is None else layout_seed)
    w, h = image.size
    draw = ImageDraw.Draw(image)
    top = int(h * spec["top"])
    ink, soft = (255, 255, 255), (230, 230, 230)
    if spec["band"] is not None:
        draw.rectangle((0, top, w, top + int(h * 0.3)), fill=spec["band"])
        if sum(spec["band"]) > 384:
            ink, soft = (20, 20, 30), (50, 50, 60)
    x, title = spec["x"], spec["title"]

    def left(text: str, size: int, bold: bool) -> int:
        if not spec["centre"]:
            return x
        return max(10, int((w - draw.textlength(text, font=font(size, bold))) / 2))

    draw.text(
        (left(lines[0], title, True), top + 25),
        lines[0],
        font=font(title),
        fill=ink,
        stroke_width=2,
        stroke_fill=(0, 0, 0) if ink[0] > 128 else (255, 255, 255),
    )
    for i, line in enumerate(lines[1:]):
        xy = (left(line, 34, False), top + title + 56 + i * 48)
        draw.text(xy, line, font=font(34, False), fill=soft)
    if spec["footer"]:
        draw.rectangle((0, int(h * 0.92), w, h), fill="white")
        draw.text((30, int(h * 0.94)), "인천광역시", font=font(30), fill=(10, 60, 140))
    info = {**spec, "ink": soft, "y": top + title + 56}
    if bg_seed % STYLES == 5 and bg_seed % 3 == 0:
        scale = 2160 / w
        image = image.resize((2160, round(h * scale)), Image.Resampling.BICUBIC)
        info |= {"x": round(x * scale), "y": round(info["y"] * scale), "scale": scale}
    image.info["layout"] = info
    return image


def _bytes(image: Image.Image, fmt: str = "JPEG", **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _tilt(image: Image.Image, rng: random.Random) -> bytes:
    angle = rng.choice((-1, 1)) * rng.uniform(2, 4)
    return _bytes(image.rotate(angle, Image.Resampling.BICUBIC, expand=True, fillcolor="white"))


def _exif(image: Image.Image, rng: random.Random) -> bytes:
    """A phone photo stored sideways with an orientation tag saying how to show it."""
    tag = rng.choice((3, 6, 8))
    turn = {3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_90}
    stored = image.transpose(turn.get(tag, Image.Transpose.ROTATE_270))
    exif = Image.Exif()
    exif[0x0112] = tag
    return _bytes(stored, quality=85, exif=exif.tobytes())


def _screenshot(image: Image.Image, rng: random.Random) -> bytes:
    """The poster in a viewer window with a title bar, on a desktop, as a PNG."""
    scale = rng.uniform(0.6, 0.9)
    poster = image.resize((int(image.width * scale), int(image.height * scale)))
    desk = (rng.randrange(40, 90), rng.randrange(60, 120), rng.randrange(100, 160))
    canvas = Image.new("RGB", (poster.width + 240, poster.height + 160), desk)
    draw = ImageDraw.Draw(canvas)
    x0, y0 = 120, 90
    draw.rectangle((x0 - 8, y0 - 42, x0 + poster.width + 8, y0 + poster.height + 8), fill="#ececec")
    title = "poster_final.png - 사진 뷰어"
    draw.text((x0 + 10, y0 - 36), title, font=font(18, False), fill="black")
    for i, colour in enumerate(("#ff5f56", "#ffbd2e", "#27c93f")):
        cx = x0 + poster.width - 80 + i * 26
        draw.ellipse((cx, y0 - 32, cx + 14, y0 - 18), fill=colour)
    draw.rectangle((0, canvas.height - 40, canvas.width, canvas.height), fill="#202020")
    canvas.paste(poster, (x0, y0))
    return _bytes(canvas, "PNG")


def _letterbox(image: Image.Image, rng: random.Random) -> bytes:
    canvas = Image.new("RGB", (int(image.height * 16 / 9), image.height), "black")
    canvas.paste(image, ((canvas.width - image.width) // 2, 0))
    return _bytes(canvas.resize((canvas.width // 2, canvas.height // 2)), quality=80)


def _finish(image: Image.Image, rng: random.Random) -> bytes:
    """Saved as a JPEG, resized then saved as a JPEG, or kept lossless (PNG)."""
    how = rng.randrange(3)
    if how == 1:
        scale = rng.uniform(0.5, 0.9)
        image = image.resize((round(image.width * scale), round(image.height * scale)))
    if how == 2:
        return _bytes(image, "PNG")
    return _bytes(image, quality=rng.randint(70, 95))


def _cut(image: Image.Image, rng: random.Random, sides: tuple[float, float, float, float]) -> bytes:
    """Cut (left, top, right, bottom) fractions of the width and height away, then finish."""
    w, h = image.size
    left, top, right, bottom = sides
    box = (round(w * left), round(h * top), round(w * (1 - right)), round(h * (1 - bottom)))
    return _finish(image.crop(box), rng)


def _crop_centre(image: Image.Image, rng: random.Random) -> bytes:
    """A centred crop: 5-15% of each dimension, half from each side."""
    x, y = rng.uniform(0.05, 0.15) / 2, rng.uniform(0.05, 0.15) / 2
    return _cut(image, rng, (x, y, x, y))


def _crop_side(image: Image.Image, rng: random.Random) -> bytes:
    """5-15% cut from one side only."""
    sides = [0.0] * 4
    sides[rng.randrange(4)] = rng.uniform(0.05, 0.15)
    return _cut(image, rng, tuple(sides))


def _crop_corner(image: Image.Image, rng: random.Random) -> bytes:
    """5-15% cut from two adjacent sides (a corner kept)."""
    sides = [0.0] * 4
    sides[rng.choice((0, 2))] = rng.uniform(0.05, 0.15)
    sides[rng.choice((1, 3))] = rng.uniform(0.05, 0.15)
    return _cut(image, rng, tuple(sides))


def _crop_any(image: Image.Image, rng: random.Random) -> bytes:
    """Up to 15% of each dimension, split at random between the two sides."""
    x, y = rng.uniform(0.0, 0.15), rng.uniform(0.0, 0.15)
    a, b = rng.random(), rng.random()
    return _cut(image, rng, (x * a, y * b, x * (1 - a), y * (1 - b)))


def _bright(image: Image.Image, rng: random.Random) -> bytes:
    """Brightness, contrast and saturation nudged (an 'enhanced' copy)."""
    for enhance in (ImageEnhance.Brightness, ImageEnhance.Contrast, ImageEnhance.Color):
        image = enhance(image).enhance(rng.uniform(0.8, 1.25))
    return _bytes(image, quality=90)


def _text_line(image: Image.Image, rng: random.Random) -> bytes:
    """One subtitle line rewritten (same template, nearly the same poster)."""
    spec = image.info.get("layout") or {"band": (20, 24, 48), "y": int(image.height * 0.62) + 120}
    y, x, k = spec["y"], spec.get("x", 40), spec.get("scale", 1.0)
    draw = ImageDraw.Draw(image := image.copy())
    if spec["band"] is not None:
        draw.rectangle((x - 10 * k, y - 4 * k, image.width - 30 * k, y + 44 * k), fill=spec["band"])
    else:  # text on the picture: the old line stays, struck through, the new one beside it
        draw.line(
            (x, y + 20 * k, x + 400 * k, y + 20 * k), fill=(255, 255, 255), width=round(4 * k)
        )
    ink = spec.get("ink", (230, 230, 230))
    draw.text((x, y), " ".join(rng.sample(WORDS, 3)), font=font(round(34 * k), False), fill=ink)
    return _bytes(image, quality=92)


def _name(image: Image.Image, rng: random.Random) -> bytes:
    """A name scrawled in a corner, as if written on the poster."""
    image = image.copy()
    draw = ImageDraw.Draw(image)
    x, y = rng.randint(40, 500), rng.randint(30, 300)
    pts = [(x + i * 9, y + int(12 * np.sin(i * rng.uniform(0.6, 1.2)))) for i in range(30)]
    draw.line(pts, fill=(rng.randrange(256), 0, 0), width=5)
    draw.text((x, y + 30), "홍길동", font=font(44), fill=(200, 0, 0))
    return _bytes(image, quality=90)


def _watermark(image: Image.Image, rng: random.Random) -> bytes:
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    spot = (image.width // 6, image.height // 3)
    size = round(140 * image.info.get("layout", {}).get("scale", 1.0))
    draw.text(spot, "SAMPLE", font=font(size), fill=(255, 255, 255, 90))
    return _bytes(Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB"), quality=90)


VARIANTS: dict[str, Callable[[Image.Image, random.Random], bytes]] = {
    "rot90": lambda im, r: _bytes(im.transpose(Image.Transpose.ROTATE_90), quality=90),
    "rot180": lambda im, r: _bytes(im.transpose(Image.Transpose.ROTATE_180), quality=90),
    "rot270": lambda im, r: _bytes(im.transpose(Image.Transpose.ROTATE_270), quality=90),
    "tilt": _tilt,
    "exif": _exif,
    "screenshot": _screenshot,
    "letterbox": _letterbox,
    "pad": lambda im, r: _bytes(ImageOps.expand(im, r.randint(30, 90), fill="#f0f0f0")),
    "crop_centre": _crop_centre,
    "crop_side": _crop_side,
    "crop_corner": _crop_corner,
    "crop_any": _crop_any,
    "bright": _bright,
    "jpeg_low": lambda im, r: _bytes(im, quality=r.randint(30, 60)),
    "grayscale": lambda im, r: _bytes(ImageOps.grayscale(im), quality=85),
    "text_line": _text_line,
    "name": _name,
    "watermark": _watermark,
    "resize": lambda im, r: _bytes(im.resize((int(im.width * 0.4), int(im.height * 0.4)))),
    "webp": lambda im, r: _bytes(im, "WEBP", quality=70),
}


def variant(image: Image.Image, kind: str, seed: int = 0) -> bytes:
    """Encoded bytes of ``kind`` applied to ``image`` (deterministic for a seed)."""
    return VARIANTS[kind](image, random.Random(seed))
