"""Upload validation and normalisation: pure functions over bytes, no storage, no database.

Formats are decided by content (magic bytes, then the matching Pillow decoder), never by file
name. Cheap checks run first (size, header, pixel count, JPEG scans, the memory the decode will
hold) so hostile files fail before any pixel is decoded: a 1 KB WebP declaring 50 MP (800 MB
to decode) or a JPEG repeating a scan 3,000 times is refused in milliseconds, and what passes
is decoded within DECODE_BUDGET (a 110 KB 16-bit PNG of 49 MP: 121 MiB, it held 1 GB).
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFile, JpegImagePlugin, PngImagePlugin, WebPImagePlugin

from contest.core.errors import InvalidImage
from contest.images.colour import FLAT_MODES, flat_size, normalise
from contest.images.copies import fit_size

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


# What one check may hold in memory while it decodes, estimated from the header (decode_memory)
# and refused beyond: a PNG up to about 80 MP, a progressive JPEG up to 50 MP (100 MP when its
# colour is subsampled), a baseline JPEG of any allowed size (it decodes at a reduced scale),
# a WebP up to about 19 MP. docs/deployment.md states the measured peak per check.
DECODE_BUDGET = 320 * 2**20
# libjpeg and mozjpeg write 10 scans, jpegli about a dozen, Photoshop 3 to 5; each scan is read
# over the whole picture, so a file repeating one thousands of times costs seconds of CPU.
MAX_JPEG_SCANS = 32


@dataclass(frozen=True)
class ImageLimits:
    max_bytes: int = 20 * 1024 * 1024
    max_pixels: int = 50_000_000
    min_short_side: int = 600
    max_decode_bytes: int = DECODE_BUDGET


DEFAULT_LIMITS = ImageLimits()
# check_file keeps no pixels: a JPEG is checked at the smallest scale libjpeg offers, others
# reduced to this as they are flattened.
CHECK_LONG_SIDE = 64
# Bytes per pixel of the buffer Pillow decodes into, by mode (every other mode: 4).
_PIXEL_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2}
# Pillow's WebP plugin holds libwebp's two canvases and a copy of the frame's bytes besides its
# own picture while it decodes: four buffers of 4 bytes per pixel (measured: 16.0 bytes).
_WEBP_BUFFERS = 4


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
    if fmt == "JPEG" and (scans := jpeg_scans(data)) > MAX_JPEG_SCANS:
        raise InvalidImage("error.image.too_many_scans", scans=scans, limit=MAX_JPEG_SCANS)
    return image


def jpeg_scans(data: bytes) -> int:
    """How many scans a JPEG holds: its start-of-scan markers from the first scan to the end of
    the picture. The header is walked segment by segment (an EXIF thumbnail inside it has
    scans of its own); after it the markers can be counted directly, as 0xFF inside
    entropy-coded data is always followed by 0x00."""
    at = 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xDA:
            end = data.find(b"\xff\xd9", at)
            return data.count(b"\xff\xda", at, end if end >= 0 else len(data))
        if marker == 0xFF:  # a fill byte before a marker
            at += 1
            continue
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    return 0  # no scan in sight: the decoder refuses the file as damaged


def _coefficient_bytes(image: JpegImagePlugin.JpegImageFile, size: tuple[int, int]) -> int:
    """What libjpeg keeps for a progressive or multi-scan JPEG of ``size`` (the full size,
    whatever the scale it is decoded at): every DCT coefficient, 2 bytes each."""
    h_max = max(layer[1] for layer in image.layer)
    v_max = max(layer[2] for layer in image.layer)
    blocks = sum(
        math.ceil(size[0] * h / h_max / 8) * math.ceil(size[1] * v / v_max / 8)
        for _, h, v, _ in image.layer
    )
    return blocks * 64 * 2


def decode_memory(
    image: ImageFile.ImageFile, data: bytes, full_size: tuple[int, int], factor: tuple[int, int]
) -> int:
    """Bytes a check holds at once to decode ``image`` (opened, at the scale it will be decoded
    at) and bring it to upright sRGB reduced by ``factor``, estimated from the header:
    width x height x bytes per pixel of the decoded picture, what the decoder keeps besides it,
    and the smaller pictures made on the way (at most two at a time, 4 bytes per pixel)."""
    pixels = image.size[0] * image.size[1]
    decoded = pixels * _PIXEL_BYTES.get(image.mode, 4)
    if isinstance(image, WebPImagePlugin.WebPImageFile):
        decoded = pixels * 4 * _WEBP_BUFFERS
    elif isinstance(image, JpegImagePlugin.JpegImageFile) and (
        image.info.get("progressive") or jpeg_scans(data) > 1
    ):
        decoded += _coefficient_bytes(image, full_size)
    steps = (
        factor != (1, 1) or image.mode not in FLAT_MODES,  # flattened into a new picture
        bool(image.info.get("icc_profile")) or image.mode != "RGB",  # converted to sRGB
        _orientation(image) not in (None, 1),  # turned upright
    )
    width, height = flat_size(image.size, factor)
    return decoded + width * height * 4 * min(2, sum(steps))


def _check_memory(
    image: ImageFile.ImageFile,
    data: bytes,
    full_size: tuple[int, int],
    factor: tuple[int, int],
    limits: ImageLimits,
) -> None:
    needed = decode_memory(image, data, full_size, factor)
    if needed > limits.max_decode_bytes:
        raise InvalidImage(
            "error.image.too_much_memory",
            width=full_size[0],
            height=full_size[1],
            memory_mb=math.ceil(needed / 2**20),
            limit_mb=limits.max_decode_bytes // 2**20,
        )


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


def _reduction(size: tuple[int, int], long_side: int | None) -> tuple[int, int]:
    """Whole blocks of pixels a picture of ``size`` can be averaged by and still give copies of
    ``long_side``: the blocks copies.fit's resize would average first anyway."""
    if long_side is None:
        return (1, 1)
    target = fit_size(size, long_side)
    return max(1, size[0] // target[0]), max(1, size[1] // target[1])


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
    side is still at least ``long_side``, and any picture larger than that is reduced by whole
    blocks of pixels as it is flattened (the copies are never larger than ``long_side``).
    """
    image = open_checked(data, limits)
    fmt = _format_of(image)
    size = image.size
    if long_side is not None:
        _reduce_while_decoding(image, long_side)
    factor = _reduction(image.size, long_side)
    _check_memory(image, data, size, factor, limits)
    _decode(image, data, fmt)
    width, height = _upright(size, image)  # after the decode: a PNG's EXIF may follow its pixels
    return Decoded(fmt, width, height, normalise(image, factor))


def load_normalised(data: bytes, limits: ImageLimits = DEFAULT_LIMITS) -> tuple[str, Image.Image]:
    """All upload checks, then the full-size upright RGB image; raises InvalidImage."""
    decoded = decode_upload(data, limits)
    return decoded.source_format, decoded.image


def _orientation(image: Image.Image) -> int | None:
    """The EXIF orientation known so far, decoding nothing (Pillow decodes a whole PNG to look
    for an eXIf chunk after its pixels)."""
    if isinstance(image, PngImagePlugin.PngImageFile) and "exif" not in image.info:
        return None
    value = image.getexif().get(0x0112)
    return value if isinstance(value, int) else None


def _upright(size: tuple[int, int], image: Image.Image) -> tuple[int, int]:
    """``size`` as shown, after the image's EXIF orientation (a quarter turn swaps sides)."""
    width, height = size
    return (height, width) if _orientation(image) in (5, 6, 7, 8) else (width, height)


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
