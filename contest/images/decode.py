"""Upload validation and normalisation: pure functions over bytes, no storage, no database.

Formats are decided by content (magic bytes, then the matching Pillow decoder), never by file
name. Cheap checks run first (size, header, pixel count) so hostile files fail before decoding.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageCms, ImageFile, JpegImagePlugin, PngImagePlugin, WebPImagePlugin

from contest.core.errors import InvalidImage
from contest.dedupe.hashing import compute_hashes

ACCEPTED = "PNG, JPEG, WebP"
DISPLAY_LONG_SIDE = 2048
THUMB_LONG_SIDE = 480
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


@dataclass(frozen=True)
class ImageLimits:
    max_bytes: int = 20 * 1024 * 1024
    max_pixels: int = 50_000_000
    min_short_side: int = 600

    @classmethod
    def for_contest(cls, contest: Any) -> ImageLimits:
        return cls(
            max_bytes=int(contest.max_upload_mb) * 1024 * 1024,
            max_pixels=int(contest.max_megapixels) * 1_000_000,
            min_short_side=int(contest.min_short_side),
        )


@dataclass(frozen=True)
class ProcessedImage:
    source_format: str
    width: int
    height: int
    size_bytes: int
    sha256: str
    pixel_sha256: str
    original: bytes
    original_content_type: str
    display: bytes
    thumbnail: bytes
    hashes: dict[str, Any]


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


def _to_8bit(image: Image.Image) -> Image.Image:
    """16-bit and float greyscale to 8-bit by scaling, not clipping."""
    array = np.asarray(image)
    if array.dtype.kind == "f":
        scaled = np.clip(array * 255.0 if array.max() <= 1.0 else array, 0, 255)
    else:
        scaled = array / 257.0 if array.max() > 255 else array
    return Image.fromarray(np.round(scaled).astype(np.uint8), "L")


def to_srgb(image: Image.Image) -> Image.Image:
    """Any decoded mode to sRGB RGB: alpha composited on white, ICC profile honoured."""
    icc = image.info.get("icc_profile")
    if image.mode in ("P", "PA"):
        image = image.convert(
            "RGBA" if "transparency" in image.info or image.mode == "PA" else "RGB"
        )
    elif image.mode == "LA":
        image = image.convert("RGBA")
    elif image.mode.startswith("I") or image.mode == "F":
        image = _to_8bit(image)
    elif image.mode == "1":
        image = image.convert("L")
    if image.mode in ("RGBA", "RGBa"):
        base = Image.new("RGB", image.size, (255, 255, 255))
        base.paste(image.convert("RGB"), mask=image.getchannel("A"))
        image = base
    if icc and image.mode in ("RGB", "L", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if "srgb" not in ImageCms.getProfileDescription(source).lower():
                return ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unusable profile: fall back to a plain conversion below
    return image if image.mode == "RGB" else image.convert("RGB")


def normalise(image: ImageFile.ImageFile) -> Image.Image:
    """The loaded image upright (EXIF orientation applied) in sRGB RGB."""
    orientation = image.getexif().get(0x0112)
    rgb = to_srgb(image)
    method = _ORIENTATION.get(orientation or 1)
    return rgb.transpose(method) if method is not None else rgb


def load_normalised(data: bytes, limits: ImageLimits = ImageLimits()) -> tuple[str, Image.Image]:
    """All upload checks, then the decoded upright RGB image; raises InvalidImage."""
    image = open_checked(data, limits)
    fmt = _format_of(image)
    _decode(image, data, fmt)
    return fmt, normalise(image)


def _format_of(image: Image.Image) -> str:
    return "JPEG" if image.format == "MPO" else str(image.format)


def _pixel_sha256(image: Image.Image) -> str:
    """Hash the pixels in strips so no second full-size buffer is made."""
    digest = hashlib.sha256(f"{image.width}x{image.height}:".encode())
    for top in range(0, image.height, 256):
        digest.update(image.crop((0, top, image.width, min(top + 256, image.height))).tobytes())
    return digest.hexdigest()


def _fit(image: Image.Image, long_side: int) -> Image.Image:
    scale = long_side / max(image.size)
    if scale >= 1:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _encode(image: Image.Image, fmt: str, **options: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)  # no exif/icc passed: derived copies carry no metadata
    return out.getvalue()


def process_upload(data: bytes, limits: ImageLimits = ImageLimits()) -> ProcessedImage:
    """Validate an upload and make its display copy, thumbnail and perceptual hashes."""
    fmt, rgb = load_normalised(data, limits)
    display = _fit(rgb, DISPLAY_LONG_SIDE)
    pixel_sha256 = _pixel_sha256(rgb)
    width, height = rgb.size
    del rgb  # from here on the display copy is enough
    thumb = _fit(display, THUMB_LONG_SIDE)
    return ProcessedImage(
        source_format=fmt,
        width=width,
        height=height,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        pixel_sha256=pixel_sha256,
        original=data,
        original_content_type=CONTENT_TYPES[fmt],
        display=_encode(display, "JPEG", quality=88, progressive=True, optimize=True),
        thumbnail=_encode(thumb, "WEBP", quality=80, method=4),
        hashes=compute_hashes(display),
    )


def _header(data: bytes) -> tuple[str | None, int | None, int | None]:
    """Best-effort format and upright size from the header alone, for reports."""
    fmt = sniff_format(data)
    if fmt is None:
        return None, None, None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            image = _DECODERS[fmt](io.BytesIO(data))
        width, height = image.size
        if image.getexif().get(0x0112) in (5, 6, 7, 8):
            width, height = height, width
        return fmt, width, height
    except Exception:  # a header too damaged to read: the format is all we know
        return fmt, None, None


def check_file(path: Path, limits: ImageLimits = ImageLimits()) -> CheckResult:
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
        fmt, rgb = load_normalised(data, limits)
    except InvalidImage as error:
        return CheckResult(path, False, error, fmt, width, height)
    return CheckResult(path, True, None, fmt, rgb.width, rgb.height)
