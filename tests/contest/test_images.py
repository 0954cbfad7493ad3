"""Upload validation and normalisation: every refusal and every conversion (real files of each
kind are in tests/data/, see its README)."""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageCms, PngImagePlugin

from contest.contests.rules import upload_limits
from contest.core.errors import InvalidImage
from contest.core.i18n import t
from contest.core.models import Contest
from contest.dedupe.hashes import PosterHashes
from contest.entries.ingest import process_upload
from contest.images.decode import ImageLimits, check_file
from contest.images.provenance.record import TRAINED
from contest.images.stamp import source_type_xmp
from tests.factories import data_file

LIMITS = ImageLimits()


def poster(size: tuple[int, int] = (640, 900), mode: str = "RGB") -> Image.Image:
    """A busy (not flat) picture so encoders and hashes see real content."""
    rng = np.random.default_rng(7)
    small = rng.integers(0, 256, (12, 9, 3), dtype=np.uint8)
    image = Image.fromarray(small, "RGB").resize(size, Image.Resampling.BICUBIC)
    return image.convert(mode) if mode != "RGB" else image


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def refused(data: bytes, limits: ImageLimits = LIMITS) -> InvalidImage:
    with pytest.raises(InvalidImage) as caught:
        process_upload(data, limits)
    error = caught.value
    for lang in ("ko", "en"):  # the message exists and every placeholder is filled
        text = t(error.key, lang, **error.params)
        assert text != error.key and "{" not in text
    return error


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (encode(poster(), "GIF"), "GIF"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="700" height="700"></svg>', "SVG"),
        (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "PDF"),
        (b"<!DOCTYPE html><html><body>poster</body></html>", "HTML"),
        (encode(poster(), "BMP"), "BMP"),
        (encode(poster(), "TIFF"), "TIFF"),
    ],
)
def test_other_formats_are_refused_by_name(data: bytes, kind: str) -> None:
    error = refused(data)
    assert error.key == "error.image.unsupported_kind"
    assert error.params["kind"].startswith(kind)
    assert "PNG" in t(error.key, "en", **error.params)


def test_zip_and_text_are_refused() -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("poster.png", encode(poster(), "PNG"))
    assert refused(archive.getvalue()).params["kind"] == "ZIP"
    assert refused(b"just some text, named poster.png").key == "error.image.unsupported_format"


def test_empty_file() -> None:
    assert refused(b"").key == "error.image.empty"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("truncated.png", "PNG"), ("truncated.jpg", "JPEG"), ("truncated.webp", "WEBP")],
)
def test_truncated_files_are_refused(name: str, fmt: str) -> None:
    error = refused(data_file(name))  # two thirds of the file: a whole header, half the pixels
    assert error.key == "error.image.corrupt"
    assert error.params["format"] == fmt


def test_corrupt_bytes_after_a_valid_header() -> None:
    data = bytearray(encode(poster(), "PNG"))
    data[200:260] = b"\x00" * 60
    assert refused(bytes(data)).key == "error.image.corrupt"
    assert refused(b"\xff\xd8\xff\xe0" + b"garbage" * 50).key == "error.image.corrupt"


def test_animated_png_and_webp_are_refused() -> None:
    frames = [poster(), poster().rotate(180)]
    for fmt in ("PNG", "WEBP"):
        data = encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100)
        error = refused(data)
        assert error.key == "error.image.animated", fmt


def test_oversize_bytes_are_refused_before_decoding() -> None:
    error = refused(b"\x89PNG\r\n\x1a\n" + b"\x00" * 2000, ImageLimits(max_bytes=1000))
    assert error.key == "error.image.too_large"
    assert error.params["limit_mb"] == pytest.approx(0.0, abs=0.01)


def test_decompression_bomb_fails_fast_with_little_memory() -> None:
    ihdr = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0))
    idat = png_chunk(b"IDAT", zlib.compress(b"\x00" * 100_000))
    data = b"\x89PNG\r\n\x1a\n" + ihdr + idat + png_chunk(b"IEND", b"")
    tracemalloc.start()
    started = time.perf_counter()
    error = refused(data)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert error.key == "error.image.too_many_pixels"
    assert (error.params["width"], error.params["height"]) == (30000, 30000)
    assert elapsed < 1.0
    assert peak < 20 * 1024 * 1024


def test_pillow_bomb_limit_never_escapes() -> None:
    big = ImageLimits(max_pixels=10**12, min_short_side=1)
    ihdr = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 20000, 10000, 8, 0, 0, 0, 0))
    data = b"\x89PNG\r\n\x1a\n" + ihdr + png_chunk(b"IEND", b"")
    assert refused(data, big).key == "error.image.corrupt"  # no pixel data: damaged, not a crash


def test_too_small() -> None:
    error = refused(encode(poster((500, 800)), "PNG"))
    assert error.key == "error.image.too_small"
    assert (error.params["width"], error.params["height"], error.params["min_side"]) == (
        500,
        800,
        600,
    )


def test_limits_follow_the_contest() -> None:
    contest = Contest(max_upload_mb=5, max_megapixels=12, min_short_side=800)
    assert upload_limits(contest) == ImageLimits(5 * 1024 * 1024, 12_000_000, 800)


def test_accepted_png_keeps_original_and_makes_copies() -> None:
    data = encode(poster((1200, 2600)), "PNG")
    result = process_upload(data)
    assert (result.source_format, result.width, result.height) == ("PNG", 1200, 2600)
    assert result.original == data and result.original_content_type == "image/png"
    display = Image.open(io.BytesIO(result.display))
    assert display.format == "JPEG" and max(display.size) == 2048
    thumb = Image.open(io.BytesIO(result.thumbnail))
    assert thumb.format == "WEBP" and max(thumb.size) == 480
    assert result.hashes and isinstance(result.hashes, PosterHashes)


def test_pixel_hash_ignores_the_encoding() -> None:
    image = poster()
    assert (
        process_upload(encode(image, "PNG")).pixel_sha256
        == process_upload(encode(image, "WEBP", lossless=True)).pixel_sha256
    )


@pytest.mark.parametrize("progressive", [False, True], ids=["baseline", "progressive"])
def test_a_large_jpeg_is_decoded_at_a_reduced_scale_and_still_checked_to_its_end(
    progressive: bool,
) -> None:
    """A 6000x4400 photo turned upright by EXIF: libjpeg decodes it at half scale (the display
    copy needs 2048 px), the sizes reported are the upload's, and a file missing its last
    hundredth (of the last scan, when progressive) is still refused."""
    exif = Image.Exif()
    exif[0x0112] = 6
    data = encode(poster((6000, 4400)), "JPEG", quality=80, progressive=progressive, exif=exif)
    result = process_upload(data)
    assert (result.width, result.height) == (4400, 6000)
    assert Image.open(io.BytesIO(result.display)).size == (1502, 2048)
    assert Image.open(io.BytesIO(result.thumbnail)).size == (352, 480)
    assert refused(data[: len(data) * 99 // 100]).key == "error.image.corrupt"


def test_exif_orientation_is_applied() -> None:
    data = data_file("phone_rotated_gps.jpg")
    with Image.open(io.BytesIO(data)) as stored:  # stored sideways, shown rotated 90° clockwise
        assert stored.size == (900, 640) and stored.getexif()[0x0112] == 6
    result = process_upload(data)
    assert (result.width, result.height) == (640, 900)


@pytest.mark.parametrize(
    "data",
    [
        data_file("cmyk.jpg"),
        encode(poster(mode="P"), "PNG"),
        encode(poster(mode="L"), "PNG"),
        encode(poster(mode="LA"), "PNG"),
        data_file("grey_16bit.png"),  # every pixel 40000 of 65535
    ],
    ids=["CMYK", "P", "L", "LA", "I;16"],
)
def test_modes_become_rgb(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    result = process_upload(data)
    display = Image.open(io.BytesIO(result.display))
    assert display.mode == "RGB"
    if image.mode.startswith("I"):  # 16-bit values are scaled, not clipped to white
        assert abs(int(np.asarray(display).mean()) - 40000 // 257) <= 2


def test_transparency_becomes_white() -> None:
    rgba = poster(mode="RGBA")
    rgba.putalpha(0)
    display = Image.open(io.BytesIO(process_upload(encode(rgba, "PNG")).display))
    assert np.asarray(display).min() >= 250
    # a white logo on a palette PNG whose ground (index 0, black) is transparent
    display = Image.open(io.BytesIO(process_upload(data_file("palette_transparent.png")).display))
    assert np.asarray(display).min() >= 245  # white, not black (JPEG's error is a few levels)


@pytest.mark.parametrize("space", ["sRGB", "XYZ"])
def test_icc_profile_is_used_then_dropped(space: str) -> None:
    """An sRGB profile changes nothing; an unusable one falls back to a plain conversion."""
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile(space)).tobytes()
    image = poster()
    display = Image.open(
        io.BytesIO(process_upload(encode(image, "PNG", icc_profile=profile)).display)
    )
    assert "icc_profile" not in display.info
    difference = np.abs(np.asarray(display, dtype=int) - np.asarray(image, dtype=int))
    assert difference.mean() < 3


def test_derived_copies_carry_no_gps_or_exif() -> None:
    data = data_file("phone_rotated_gps.jpg")
    with Image.open(io.BytesIO(data)) as photo:  # maker, date taken and where (GPSLatitude)
        assert photo.getexif().get_ifd(0x8825)[2] == (37.0, 27.0, 22.8)
    assert b"PhoneMaker" in data
    result = process_upload(data)
    for copy in (result.display, result.thumbnail):
        image = Image.open(io.BytesIO(copy))
        assert not image.getexif() and "exif" not in image.info
        assert b"PhoneMaker" not in copy and b"Exif" not in copy


XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description dc:creator="Kim Minjun, Room 301"/></rdf:RDF>'
    b"</x:xmpmeta>"
)
# IPTC in a Photoshop APP13 block: record 2, dataset 80 (by-line) = the author's name.
IPTC = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x12\x1c\x02\x50\x00\x0eIPTC-Kim-Minjun"
# What the uploads below carry (their own XMP packet is the one naming "Room 301").
TRACES = (b"PhoneMaker", b"Room 301", b"Photoshop", b"IPTC-Kim", b"secret note")


def _jpeg_segments(data: bytes) -> list[int]:
    """The marker of every segment before the image data (0xE0 = APP0, 0xFE = comment...)."""
    markers, at = [], 2
    while data[at] == 0xFF and data[at + 1] != 0xDA:
        markers.append(data[at + 1])
        at += 2 + struct.unpack(">H", data[at + 2 : at + 4])[0]
    return markers


def _webp_chunks(data: bytes) -> list[bytes]:
    chunks, at = [], 12
    while at < len(data):
        size = struct.unpack("<I", data[at + 4 : at + 8])[0]
        chunks.append(data[at : at + 4])
        at += 8 + size + (size & 1)
    return chunks


def _carrying_everything() -> list[bytes]:
    """The same poster as a JPEG and a PNG with EXIF (GPS too), XMP, IPTC, ICC and a comment."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825)[2] = (37.0, 27.0, 0.0)  # GPSLatitude
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    jpeg = encode(
        poster(), "JPEG", exif=exif.tobytes(), icc_profile=icc, comment=b"secret note", xmp=XMP
    )
    app13 = b"\xff\xed" + struct.pack(">H", len(IPTC) + 2) + IPTC
    jpeg = jpeg[:2] + app13 + jpeg[2:]
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "secret note")
    text.add_itxt("XML:com.adobe.xmp", XMP.decode())
    png = encode(poster(), "PNG", exif=exif.tobytes(), icc_profile=icc, pnginfo=text)
    return [jpeg, png]


def test_copies_others_see_carry_nothing_but_pixels() -> None:
    """EXIF, GPS, XMP, IPTC, the ICC profile and comments stay in the original only: the
    copies are converted to sRGB and saved without a profile (sRGB is what browsers assume).
    Their one piece of metadata is the contest's own: the IPTC digital source type in XMP."""
    stamp = source_type_xmp(TRAINED)
    for data in _carrying_everything():
        assert all(trace in data for trace in (b"PhoneMaker", b"xmpmeta", b"secret note"))
        assert data[:2] != b"\xff\xd8" or {0xE1, 0xE2, 0xED, 0xFE} <= set(_jpeg_segments(data))
        result = process_upload(data)
        display = Image.open(io.BytesIO(result.display))
        segments = _jpeg_segments(result.display)
        assert segments[0] == 0xE0  # JFIF header
        assert not {0xE2, 0xED, 0xFE} & set(segments) and segments.count(0xE1) == 1
        assert not set(display.info) & {"exif", "icc_profile", "comment", "photoshop"}
        assert display.info["xmp"] == stamp
        chunks = set(_webp_chunks(result.thumbnail))
        assert chunks <= {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"XMP "}
        assert Image.open(io.BytesIO(result.thumbnail)).info["xmp"] == stamp
        for copy in (result.display, result.thumbnail):
            assert not [trace for trace in TRACES if trace in copy]


def test_a_jpeg_that_is_also_a_zip_of_html_is_a_picture_and_its_copies_carry_none_of_it() -> None:
    """Formats are named by content: the polyglot is accepted as the JPEG it is, stored as
    image/jpeg, and the copies others see are re-encoded pixels without its comment or its tail."""
    data = data_file("polyglot_jpeg_zip_html.jpg")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # the file is what its name says
        assert b"<script>" in archive.read("index.html")
    result = process_upload(data)
    assert (result.source_format, result.original_content_type) == ("JPEG", "image/jpeg")
    for copy in (result.display, result.thumbnail):
        assert b"<script" not in copy and b"<html" not in copy and b"PK\x03\x04" not in copy
        assert "comment" not in Image.open(io.BytesIO(copy)).info


def test_check_file_reports_format_and_size(tmp_path: Path) -> None:
    good = tmp_path / "poster.gif"  # the name does not matter, the content does
    good.write_bytes(encode(poster(), "PNG"))
    result = check_file(good)
    assert (result.ok, result.source_format, result.width, result.height) == (
        True,
        "PNG",
        640,
        900,
    )
    small = tmp_path / "small.png"
    small.write_bytes(encode(poster((300, 300)), "PNG"))
    result = check_file(small)
    assert not result.ok and result.error is not None and result.width == 300
    photo = tmp_path / "photo.jpg"  # checked at 1/8 scale, reported at its own size
    photo.write_bytes(encode(poster((1200, 1800)), "JPEG"))
    assert (check_file(photo).ok, check_file(photo).width, check_file(photo).height) == (
        True,
        1200,
        1800,
    )
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(photo.read_bytes()[:-200])
    assert check_file(cut).error.key == "error.image.corrupt"
    big = tmp_path / "big.png"
    big.write_bytes(b"\x00" * 2048)
    assert check_file(big, ImageLimits(max_bytes=1024)).error.key == "error.image.too_large"
