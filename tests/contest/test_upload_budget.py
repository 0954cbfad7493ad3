"""Uploads that would cost far more than their size: each is refused from its header, in well
under a second and with little memory, and what is accepted stays within the decode budget.

Peak memory is measured in a child process (VmHWM, reset before each file): Pillow's pixel
buffers are allocated outside Python, where tracemalloc does not see them."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PIL import Image

from contest.core.errors import Busy, InvalidImage
from contest.core.i18n import t
from contest.entries import submissions
from contest.entries.ingest import process_upload
from contest.entries.submissions import check_upload
from contest.entries.turns import NICE, Turns
from contest.images.decode import DECODE_BUDGET, MAX_JPEG_SCANS, ImageLimits, jpeg_scans
from contest.runtime import Runtime
from tests.factories import create_contest, create_user, data_file, poster_bytes

ROOT = Path(__file__).resolve().parents[2]
MiB = 2**20
# What a check holds besides the decode estimate: the display copy, its encoders, the hashes.
OVERHEAD = 64 * MiB
LIMITS = ImageLimits(max_pixels=100_000_000)  # the highest a contest may allow


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _deflated(data: bytes) -> bytes:
    """``data`` as one self-contained deflate block run (no zlib header, no final block)."""
    packer = zlib.compressobj(9)
    return (packer.compress(data) + packer.flush(zlib.Z_FULL_FLUSH))[2:]


def flat_png(width: int, height: int, depth: int, colour: int, fill: int = 0) -> bytes:
    """A complete, valid PNG of ``width`` x ``height`` pixels whose every sample byte is
    ``fill``, built in moments: 64 rows compress to a block that stands alone (a full flush),
    repeated as often as needed, so a picture of 50 MP or more is a file of kilobytes
    (deflate's best ratio, about 1000:1)."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    row = b"\x00" + bytes([fill]) * (width * channels * depth // 8)
    blocks, rest = divmod(height, 64)
    checksum = 1
    for _ in range(height):
        checksum = zlib.adler32(row, checksum)
    stream = (
        b"\x78\xda"  # zlib header: deflate, 32K window, best compression
        + _deflated(row * 64) * blocks
        + (_deflated(row * rest) if rest else b"")
        + b"\x03\x00"  # an empty final block
        + struct.pack(">I", checksum)
    )
    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", stream)
        + _chunk(b"IEND", b"")
    )


def jpeg_repeating_a_scan(size: tuple[int, int], times: int) -> bytes:
    """A progressive JPEG whose smallest scan is repeated ``times`` times before its end: libjpeg
    reads every one of them over the whole picture."""
    out = io.BytesIO()
    Image.new("RGB", size, (120, 130, 140)).save(out, "JPEG", progressive=True, quality=50)
    data = out.getvalue()
    starts = [i for i in range(len(data) - 1) if data[i : i + 2] == b"\xff\xda"]
    ends = [*starts[1:], len(data) - 2]
    scan = min(zip(starts[1:], ends[1:], strict=True), key=lambda s: s[1] - s[0])
    return data[: ends[-1]] + data[scan[0] : scan[1]] * times + data[ends[-1] :]


def webp_of_one_colour(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (1, 2, 3, 4)).save(out, "WEBP", lossless=True, method=0, quality=0)
    return out.getvalue()


MEASURE = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from contest.core.errors import InvalidImage
from contest.entries.ingest import process_upload
from contest.images.decode import ImageLimits
def rss(field):
    lines = Path("/proc/self/status").read_text().splitlines()
    return int(next(x for x in lines if x.startswith(field)).split()[1]) * 1024
results = {{}}
for path in {paths!r}:
    data = Path(path).read_bytes()
    Path("/proc/self/clear_refs").write_text("5")
    before = rss("VmRSS:")
    started = time.perf_counter()
    try:
        process_upload(data, ImageLimits(max_pixels=100_000_000))
        key = None
    except InvalidImage as error:
        key = error.key
    results[Path(path).name] = {{
        "key": key, "seconds": time.perf_counter() - started, "peak": rss("VmHWM:") - before
    }}
print(json.dumps(results))
"""


def measured(files: dict[str, bytes], folder: Path) -> dict[str, dict[str, object]]:
    """Each file through process_upload in one fresh process: the refusal's key (None when
    accepted), the seconds it took and the peak memory it added."""
    paths = []
    for name, data in files.items():
        (folder / name).write_bytes(data)
        paths.append(str(folder / name))
    code = MEASURE.format(root=str(ROOT), paths=paths)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result: dict[str, dict[str, object]] = json.loads(out.stdout)
    return result


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    return {
        # 40 bytes declaring 5000x5000: libwebp and Pillow would hold 400 MB to decode it
        "flat.webp": webp_of_one_colour((5000, 5000)),
        # kilobytes declaring 90 MP of RGBA: 360 MB decoded
        "deep.png": flat_png(9500, 9500, 8, 6),
        # 3,000 scans, each read over all 12 MP
        "scans.jpg": jpeg_repeating_a_scan((4000, 3000), 3000),
    }


def test_bombs_are_refused_from_their_header_fast_and_with_little_memory(
    bombs: dict[str, bytes], tmp_path: Path
) -> None:
    assert all(len(data) < 500_000 for data in bombs.values())
    results = measured(bombs, tmp_path)
    expected = {
        "flat.webp": "error.image.too_much_memory",
        "deep.png": "error.image.too_much_memory",
        "scans.jpg": "error.image.too_many_scans",
    }
    for name, key in expected.items():
        result = results[name]
        assert result["key"] == key, name
        assert float(str(result["seconds"])) < 1.0, name
        assert int(str(result["peak"])) < 32 * MiB, name


@pytest.mark.parametrize("name", ["flat.webp", "deep.png", "scans.jpg"])
def test_each_refusal_says_why_in_both_languages(bombs: dict[str, bytes], name: str) -> None:
    with pytest.raises(InvalidImage) as caught:
        process_upload(bombs[name], LIMITS)
    error = caught.value
    for lang in ("ko", "en"):
        text = t(error.key, lang, **error.params)
        assert text != error.key and "{" not in text
    if error.key == "error.image.too_much_memory":
        assert error.params["memory_mb"] > error.params["limit_mb"] == DECODE_BUDGET // MiB
    else:
        assert (error.params["scans"], error.params["limit"]) == (10 + 3000, MAX_JPEG_SCANS)


def test_what_is_accepted_stays_within_the_budget_it_was_estimated_at(tmp_path: Path) -> None:
    """Large files inside the budget: the 110 KB 16-bit PNG of 49 MP the review sent (it held
    1,060 MB before: every conversion made another full-size copy), a 25 MP RGBA PNG and a
    12 MP progressive JPEG; each peak is within the budget (plus the copies' overhead)."""
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000), (200, 30, 60)).save(out, "JPEG", progressive=True)
    files = {
        "grey16.png": flat_png(7000, 7000, 16, 0, fill=0x9C),  # 40092 of 65535
        "rgba.png": flat_png(5000, 5000, 8, 6),
        "progressive.jpg": out.getvalue(),
    }
    assert len(files["grey16.png"]) < 120_000
    results = measured(files, tmp_path)
    for name, result in results.items():
        assert result["key"] is None, name
        assert int(str(result["peak"])) < DECODE_BUDGET + OVERHEAD, name
    assert int(str(results["grey16.png"]["peak"])) < 160 * MiB


def test_a_smaller_budget_refuses_before_decoding() -> None:
    data = poster_bytes(3, (900, 1200))
    process_upload(data, ImageLimits(max_decode_bytes=8 * MiB))
    with pytest.raises(InvalidImage) as caught:
        process_upload(data, ImageLimits(max_decode_bytes=2 * MiB))
    assert caught.value.key == "error.image.too_much_memory"
    assert (caught.value.params["width"], caught.value.params["height"]) == (900, 1200)


def test_scans_are_counted_in_the_picture_not_in_its_exif_thumbnail() -> None:
    out = io.BytesIO()
    Image.new("RGB", (700, 700), (9, 9, 9)).save(out, "JPEG", progressive=True)
    assert jpeg_scans(out.getvalue()) == 10  # libjpeg's progression for colour
    baseline = data_file("phone_rotated_gps.jpg")
    assert jpeg_scans(baseline) == 1
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    thumb = io.BytesIO()
    Image.new("RGB", (160, 120)).save(thumb, "JPEG", progressive=True)
    with_thumbnail = io.BytesIO()
    Image.new("RGB", (700, 700)).save(with_thumbnail, "JPEG", exif=exif.tobytes())
    data = with_thumbnail.getvalue()
    app1 = b"\xff\xe1" + struct.pack(">H", len(thumb.getvalue()) + 2) + thumb.getvalue()
    assert jpeg_scans(data[:2] + app1 + data[2:]) == 1
    process_upload(data[:2] + app1 + data[2:])


@contextmanager
def held(turns: Turns, owner: int) -> Iterator[None]:
    """``owner``'s turn held by another thread until the block ends."""
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with turns.turn(owner):
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holding.wait(5)
        yield
    finally:
        release.set()
        thread.join(5)


def test_beyond_the_room_a_check_is_told_at_once_to_try_again() -> None:
    turns = Turns(at_once=1, waiting=0, wait_seconds=30)
    with held(turns, 1):
        with pytest.raises(Busy) as mine, turns.turn(1):  # the same person in another tab
            pass
        assert mine.value.key == "error.upload.busy_yours"
        started = time.perf_counter()
        with pytest.raises(Busy) as full, turns.turn(2):
            pass
        assert full.value.key == "error.upload.busy"
        assert time.perf_counter() - started < 1
    with turns.turn(2):  # room again
        pass


def test_a_check_in_line_runs_when_the_turn_is_free() -> None:
    turns = Turns(at_once=1, waiting=1, wait_seconds=10)
    ran = threading.Event()

    def in_line() -> None:
        with turns.turn(2):
            ran.set()

    with held(turns, 1):
        waiting = threading.Thread(target=in_line)
        waiting.start()
        assert not ran.wait(0.2)
    waiting.join(5)
    assert ran.is_set()


def test_a_turn_not_given_in_time_is_busy() -> None:
    turns = Turns(at_once=1, waiting=2, wait_seconds=0.05)
    with turns.turn(1):
        waiting = threading.Thread(target=_expect_busy, args=(turns, 2))
        waiting.start()
        waiting.join(5)
    with turns.turn(2):
        pass


def _expect_busy(turns: Turns, owner: int) -> None:
    with pytest.raises(Busy), turns.turn(owner):
        pass


def test_an_upload_check_waits_its_turn_and_says_busy_beyond_it(
    any_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a colleague's check holds the only turn and no one may wait, a check is refused at
    once as busy (a refusal the submit page asks again for), on both databases."""
    monkeypatch.setattr(submissions, "UPLOAD_CHECKS", Turns(at_once=1, waiting=0, wait_seconds=1))
    with any_runtime.session() as session:
        create_contest(session)
        busy, other = create_user(session), create_user(session)
    data = poster_bytes(5)
    with held(submissions.UPLOAD_CHECKS, other.id or 0):
        with any_runtime.session() as session, pytest.raises(Busy) as caught:
            check_upload(session, indexes=any_runtime.indexes, actor=busy, data=data)
        assert caught.value.key == "error.upload.busy"
        assert "잠시 뒤 다시 시도해 주세요" in t(caught.value.key, "ko")
    with any_runtime.session() as session:
        assert check_upload(session, indexes=any_runtime.indexes, actor=busy, data=data).image


def test_checks_run_at_a_lower_cpu_priority_than_the_sessions() -> None:
    """Linux keeps a nice value per thread: the check's thread yields the CPU to the sessions'."""
    turns = Turns(at_once=1, waiting=0, wait_seconds=1)
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    theirs = turns.run(1, lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
    assert theirs == min(mine + NICE, 19)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine
