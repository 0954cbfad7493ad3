"""Upload validation and normalisation: pure functions over bytes, no storage, no database.

Formats are decided by content (magic bytes, then the matching Pillow decoder), never by file
name. Cheap checks run first (size, header, pixel count) so hostile files fail before decoding.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFile, JpegImagePlugin, PngImagePlugin, WebPImagePlugin

from contest.core.errors import InvalidImage
from contest.images.colour import normalise

ACCEPTED = "PNG, JPEG, WebP"
CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
# Constructing the plugin class directly skips Pillow's own decompression-bomb check: the
# pixel cap below is ours and is applied to the header before any pixel is decoded.
_DECODERS: dict[str, type[ImageFile.ImageFile]] = {
    "PNG": PngImagePlugin.PngImageFile,
    "JPEG": JpegImagePlugin.JpegImageFile,
    "WEBP": WebPImagePlugin.WebPImageFile,
}
_OTHER_KINDS = (  # recognised only to name them in the refusal message
    (b"GIF8", "GIF"),
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"<svg", "SVG"),
    (b"<?xml", "XML/SVG"),
    (b"<!doctype html", "HTML"),
    (b"<html", "HTML"),
)


@dataclass(frozen=True)
class ImageLimits:
    max_bytes: int = 20 * 1024 * 1024
    max_pixels: int = 50_000_000
    min_short_side: int = 600


DEFAULT_LIMITS = ImageLimits()
# check_file keeps no pixels: a JPEG is checked at the smallest scale libjpeg offers.
CHECK_LONG_SIDE = 1


@dataclass(frozen=True)
class CheckResult:
    """Outcome of check_file; format and size are None when the header could not be read."""

    path: Path
    ok: bool
    error: InvalidImage | None
    source_format: str | None
    width: int | None
    height: int | None


def sniff_format(data: bytes) -> str | None:
    """The accepted format the magic bytes announce, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def _refuse_format(data: bytes) -> InvalidImage:
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    for magic, kind in _OTHER_KINDS:
        if head.startswith(magic.lower()):
            return InvalidImage("error.image.unsupported_kind", kind=kind, accepted=ACCEPTED)
    return InvalidImage("error.image.unsupported_format", accepted=ACCEPTED)


def open_checked(data: bytes, limits: ImageLimits) -> ImageFile.ImageFile:
    """Open ``data`` lazily after every check that needs no decoding; raises InvalidImage."""
    if len(data) > limits.max_bytes:
        raise InvalidImage(
            "error.image.too_large",
            size_mb=round(len(data) / 1024 / 1024, 1),
            limit_mb=round(limits.max_bytes / 1024 / 1024, 1),
        )
    if not data:
        raise InvalidImage("error.image.empty", accepted=ACCEPTED)
    fmt = sniff_format(data)
    if fmt is None:
        raise _refuse_format(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            image = _DECODERS[fmt](io.BytesIO(data))
    except Exception as exc:  # any decoder failure on a header means a damaged file
        raise InvalidImage("error.image.corrupt", format=fmt, accepted=ACCEPTED) from exc
    width, height = image.size
    if width * height > limits.max_pixels:
        raise InvalidImage(
            "error.image.too_many_pixels",
            width=width,
            height=height,
            megapixels=round(width * height / 1e6, 1),
            limit_mp=round(limits.max_pixels / 1e6, 1),
        )
    if getattr(image, "n_frames", 1) > 1:
        raise InvalidImage("error.image.animated", format=fmt, accepted=ACCEPTED)
    if min(width, height) < limits.min_short_side:
        raise InvalidImage(
            "error.image.too_small", width=width, height=height, min_side=limits.min_short_side
        )
    return image


def _decode(image: ImageFile.ImageFile, data: bytes, fmt: str) -> None:
    """Decode every pixel (and every PNG chunk's checksum) so damaged files are refused."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if fmt == "PNG":
                PngImagePlugin.PngImageFile(io.BytesIO(data)).verify()
            image.load()
    except Exception as exc:  # Pillow reports damage as OSError, SyntaxError, ValueError...
        raise InvalidImage("error.image.corrupt", format=fmt, accepted=ACCEPTED) from exc


@dataclass(frozen=True)
class Decoded:
    """An upload decoded once: ``image`` is upright sRGB RGB without metadata; ``width`` and
    ``height`` are the upright size of the picture as uploaded (larger than ``image`` when a
    JPEG was decoded at a reduced scale)."""

    source_format: str
    width: int
    height: int
    image: Image.Image


def _reduce_while_decoding(image: ImageFile.ImageFile, long_side: int) -> None:
    """Ask libjpeg for the smallest scale (1/2, 1/4 or 1/8) that keeps the long side at least
    ``long_side``. It still reads every scan of the file, so a damaged or truncated JPEG is
    refused as in a full decode, but it skips most of the inverse DCT and never makes the
    full-size buffer. Other formats have no reduced decode: this does nothing for them."""
    width, height = image.size
    scale = long_side / max(width, height)
    if isinstance(image, JpegImagePlugin.JpegImageFile) and scale <= 0.5:
        image.draft(image.mode, (math.ceil(width * scale), math.ceil(height * scale)))


def decode_upload(
    data: bytes, limits: ImageLimits = DEFAULT_LIMITS, *, long_side: int | None = None
) -> Decoded:
    """All upload checks, then the picture decoded once, upright, in sRGB; raises InvalidImage.

    With ``long_side``, a JPEG larger than twice that is decoded at a reduced scale whose long
    side is still at least ``long_side`` (the copies are never larger than that).
    """
    image = open_checked(data, limits)
    fmt = _format_of(image)
    size = image.size
    if long_side is not None:
        _reduce_while_decoding(image, long_side)
    _decode(image, data, fmt)
    width, height = _upright(size, image)  # after the decode: a PNG's EXIF may follow its pixels
    return Decoded(fmt, width, height, normalise(image))


def load_normalised(data: bytes, limits: ImageLimits = DEFAULT_LIMITS) -> tuple[str, Image.Image]:
    """All upload checks, then the full-size upright RGB image; raises InvalidImage."""
    decoded = decode_upload(data, limits)
    return decoded.source_format, decoded.image


def _upright(size: tuple[int, int], image: Image.Image) -> tuple[int, int]:
    """``size`` as shown, after the image's EXIF orientation (a quarter turn swaps sides)."""
    width, height = size
    return (height, width) if image.getexif().get(0x0112) in (5, 6, 7, 8) else (width, height)


def _format_of(image: Image.Image) -> str:
    return "JPEG" if image.format == "MPO" else str(image.format)


def _header(data: bytes) -> tuple[str | None, int | None, int | None]:
    """Best-effort format and upright size from the header alone, for reports."""
    fmt = sniff_format(data)
    if fmt is None:
        return None, None, None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            image = _DECODERS[fmt](io.BytesIO(data))
        width, height = _upright(image.size, image)
        return fmt, width, height
    except Exception:  # a header too damaged to read: the format is all we know
        return fmt, None, None


def check_file(path: Path, limits: ImageLimits = DEFAULT_LIMITS) -> CheckResult:
    """Run the upload checks on a file (for the check-image command)."""
    size = path.stat().st_size
    if size > limits.max_bytes:
        error = InvalidImage(
            "error.image.too_large",
            size_mb=round(size / 1024 / 1024, 1),
            limit_mb=round(limits.max_bytes / 1024 / 1024, 1),
        )
        return CheckResult(path, False, error, None, None, None)
    data = path.read_bytes()
    fmt, width, height = _header(data)
    try:
        decoded = decode_upload(data, limits, long_side=CHECK_LONG_SIDE)
    except InvalidImage as error:
        return CheckResult(path, False, error, fmt, width, height)
    return CheckResult(path, True, None, decoded.source_format, decoded.width, decoded.height)
