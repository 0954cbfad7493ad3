"""Write the image files in tests/data/: real files of the kinds staff upload, good and bad.

Run from the repository root after changing a file's recipe (the output is the same on every run
with the pinned Pillow and numpy, so `git diff` shows only what the change did):

    .venv/bin/python tests/data/make_files.py

Every picture is at least 600 px on its short side, so the upload checks get past the size rule
and reach the part each file is about. tests/data/README.md lists the files and their readers.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
SIZE = (640, 900)  # width, height of an upright poster

ORIENTATION, MAKE, MODEL, DATE_TAKEN = 0x0112, 0x010F, 0x0110, 0x9003
GPS_IFD = 0x8825
GPS_LATITUDE_REF, GPS_LATITUDE, GPS_LONGITUDE_REF, GPS_LONGITUDE = 1, 2, 3, 4

# What the polyglot hides: a page that runs a script if a browser ever takes the file for HTML.
HTML_PAYLOAD = b"<html><body><script>alert(document.domain)</script></body></html>"


def smooth(size: tuple[int, int], seed: int) -> Image.Image:
    """Soft colour fields (a random 12×9 grid scaled up): photo-like, small as JPEG or WebP."""
    rng = np.random.default_rng(seed)
    grid = rng.integers(0, 256, (12, 9, 3), dtype=np.uint8)
    return Image.fromarray(grid, "RGB").resize(size, Image.Resampling.BICUBIC)


def flat(size: tuple[int, int], seed: int) -> Image.Image:
    """Flat shapes on a plain ground: poster-like, small as PNG."""
    rng = np.random.default_rng(seed)
    image = Image.new("RGB", size, tuple(int(v) for v in rng.integers(0, 256, 3)))
    draw = ImageDraw.Draw(image)
    for _ in range(14):
        x0, y0 = (int(v) for v in rng.integers(0, size, 2))
        x1, y1 = x0 + int(rng.integers(40, 300)), y0 + int(rng.integers(40, 300))
        fill = tuple(int(v) for v in rng.integers(0, 256, 3))
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape((x0, y0, x1, y1), fill=fill)
    return image


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def phone_jpeg() -> bytes:
    """A phone photo: stored sideways (900×640) with orientation 6, maker, date and GPS tags."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # shown rotated 90° clockwise: upright it is 640×900
    exif[MAKE] = "PhoneMaker"
    exif[MODEL] = "PM-26"
    exif.get_ifd(0x8769)[DATE_TAKEN] = "2026:10:14 09:30:00"
    gps = exif.get_ifd(GPS_IFD)
    gps[GPS_LATITUDE_REF], gps[GPS_LATITUDE] = "N", (37.0, 27.0, 22.8)  # Incheon city hall
    gps[GPS_LONGITUDE_REF], gps[GPS_LONGITUDE] = "E", (126.0, 42.0, 18.0)
    return encoded(smooth(SIZE[::-1], seed=1), "JPEG", quality=85, exif=exif.tobytes())


def cmyk_jpeg() -> bytes:
    """A print-shop JPEG: four channels, CMYK, Adobe marker."""
    return encoded(smooth(SIZE, seed=2).convert("CMYK"), "JPEG", quality=85)


def grey_16bit_png() -> bytes:
    """A 16-bit greyscale PNG at 40000 of 65535 (8-bit: 155), 640×700."""
    return encoded(Image.fromarray(np.full((700, 640), 40000, dtype=np.uint16)), "PNG")


def palette_transparent_png() -> bytes:
    """A white logo on a transparent ground: palette PNG whose index 0 (black) is transparent."""
    image = Image.new("P", (640, 640), 0)
    image.putpalette([0, 0, 0, 255, 255, 255, 251, 251, 251])
    draw = ImageDraw.Draw(image)
    draw.ellipse((120, 120, 520, 520), fill=1)
    draw.rectangle((250, 60, 390, 580), fill=2)
    return encoded(image, "PNG", transparency=0)


def truncated(fmt: str) -> Callable[[], bytes]:
    """An upload cut off after two thirds of its bytes (its header is whole)."""

    def make() -> bytes:
        picture = flat(SIZE, seed=3) if fmt == "PNG" else smooth(SIZE, seed=3)
        data = encoded(picture, fmt)
        return data[: len(data) * 2 // 3]

    return make


def polyglot_jpeg() -> bytes:
    """A valid JPEG whose comment is an HTML page and whose tail is a ZIP holding that page.

    Image viewers show a picture, `unzip` lists index.html, and a browser that sniffed the
    content would find a script. ZIP readers look for the directory at the end, so appending works.
    """
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:  # stored, not compressed: the page is in plain
        zf.writestr(zipfile.ZipInfo("index.html", date_time=(2026, 10, 13, 0, 0, 0)), HTML_PAYLOAD)
    picture = encoded(smooth(SIZE, seed=4), "JPEG", quality=85, comment=HTML_PAYLOAD)
    return picture + archive.getvalue()


FILES: dict[str, Callable[[], bytes]] = {
    "phone_rotated_gps.jpg": phone_jpeg,
    "cmyk.jpg": cmyk_jpeg,
    "grey_16bit.png": grey_16bit_png,
    "palette_transparent.png": palette_transparent_png,
    "truncated.png": truncated("PNG"),
    "truncated.jpg": truncated("JPEG"),
    "truncated.webp": truncated("WEBP"),
    "polyglot_jpeg_zip_html.jpg": polyglot_jpeg,
}


def main() -> None:
    total = 0
    for name, make in FILES.items():
        data = make()
        (HERE / name).write_bytes(data)
        total += len(data)
        print(f"{len(data):>8}  {name}")
    print(f"{total:>8}  bytes in all")


if __name__ == "__main__":
    main()
