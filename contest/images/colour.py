"""Any decoded picture to upright sRGB RGB: the one colour form every copy is made from.

A large picture is flattened (alpha on white, palettes expanded, 16-bit scaled) and reduced
by whole blocks of pixels one tile at a time, so no second full-size buffer is made beside the
decoded one: a 50 MP RGBA PNG used to hold four more full-size copies on the way.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable

from PIL import Image, ImageCms, ImageFile

_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
FLAT_MODES = ("RGB", "L", "CMYK")  # what flatten leaves: a colour profile may still apply
TILE = 512  # pixels a side converted at a time (rounded to whole blocks of the reduction)
Convert = Callable[[Image.Image], Image.Image]


def _on_white(image: Image.Image) -> Image.Image:
    """Alpha composited on white, as RGB."""
    rgba = image.convert("RGBA")
    base = Image.new("RGB", rgba.size, (255, 255, 255))
    base.paste(rgba.convert("RGB"), mask=rgba.getchannel("A"))
    return base


def _scaled_to_8bit(image: Image.Image) -> Convert:
    """16-bit and float greyscale to 8-bit by scaling, not clipping: the scale is decided once
    for the whole picture (its brightest value), then applied to each tile."""
    extrema = image.getextrema()  # (low, high) for a picture of one band
    high = float(extrema[1]) if isinstance(extrema[1], int | float) else 0.0
    fraction = image.mode == "F" and high <= 1.0
    scale = 255.0 if fraction else (1 / 257 if high > 255 else 1.0)
    # + 0.5: Pillow truncates floats to 8 bits, this rounds them
    return lambda tile: tile.convert("F").point(lambda v: v * scale + 0.5).convert("L")


def _converter(image: Image.Image) -> Convert | None:
    """How a tile of ``image`` becomes one of FLAT_MODES; None when it already is one."""
    mode = image.mode
    if mode in FLAT_MODES:
        return None
    if mode in ("RGBA", "RGBa", "LA", "La", "PA") or (mode == "P" and "transparency" in image.info):
        return _on_white
    if mode.startswith("I") or mode == "F":
        return _scaled_to_8bit(image)
    if mode == "1":
        return lambda tile: tile.convert("L")
    return lambda tile: tile.convert("RGB")  # P without transparency, YCbCr, LAB, HSV


def flat_size(size: tuple[int, int], factor: tuple[int, int]) -> tuple[int, int]:
    """The size ``flatten`` makes from a picture of ``size`` reduced by ``factor``."""
    return math.ceil(size[0] / factor[0]), math.ceil(size[1] / factor[1])


def flatten(image: Image.Image, factor: tuple[int, int] = (1, 1)) -> Image.Image:
    """``image`` in one of FLAT_MODES, each block of ``factor`` pixels averaged into one.

    One tile at a time: only a tile is converted at once. A picture already flat and not
    reduced is returned as it is (no copy)."""
    convert = _converter(image)
    if convert is None and factor == (1, 1):
        return image
    fx, fy = factor
    cols, rows = fx * max(1, TILE // fx), fy * max(1, TILE // fy)
    out: Image.Image | None = None
    for top in range(0, image.height, rows):
        for left in range(0, image.width, cols):
            box = (left, top, min(left + cols, image.width), min(top + rows, image.height))
            tile = image.crop(box)
            if convert is not None:
                tile = convert(tile)
            if factor != (1, 1):
                tile = tile.reduce(factor)
            if out is None:
                out = Image.new(tile.mode, flat_size(image.size, factor))
            out.paste(tile, (left // fx, top // fy))
    assert out is not None  # a decoded picture has at least one pixel
    return out


def to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """A picture in one of FLAT_MODES to sRGB RGB, honouring its colour profile ``icc``."""
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if "srgb" not in ImageCms.getProfileDescription(source).lower():
                converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
                if converted is not None:
                    return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unusable profile: fall back to a plain conversion below
    return image if image.mode == "RGB" else image.convert("RGB")


def normalise(image: ImageFile.ImageFile, factor: tuple[int, int] = (1, 1)) -> Image.Image:
    """The loaded image upright (EXIF orientation applied) in sRGB RGB, with no metadata,
    reduced by ``factor`` (whole blocks of pixels averaged) on the way.

    Pillow writes some ``info`` entries back when saving (a JPEG comment, for one, which may hold
    anything, HTML included), so nothing read from the upload stays on the image copies come from.
    """
    orientation = image.getexif().get(0x0112)
    rgb = to_srgb(flatten(image, factor), image.info.get("icc_profile"))
    method = _ORIENTATION.get(orientation or 1)
    upright = rgb.transpose(method) if method is not None else rgb
    upright.info = {}
    return upright
