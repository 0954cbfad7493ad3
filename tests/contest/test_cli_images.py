"""check-image and dedupe-scan as a user runs them: a subprocess, JSON lines, exit status."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from contest.core.models import FlagLevel
from contest.dedupe.scan import scan_paths
from tests.contest.synth_posters import draw_poster, variant
from tests.support.captures import capture

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "contest", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def save(image: Image.Image, path: Path, fmt: str) -> Path:
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("posters")
    poster = draw_poster(7)
    save(poster, root / "original.png", "PNG")
    (root / "copy.jpg").write_bytes(variant(poster, "screenshot", seed=1))
    save(draw_poster(21), root / "other.png", "PNG")
    save(poster.resize((300, 424)), root / "small.webp", "WEBP")  # too small to upload
    (root / "notes.png").write_text("not an image")
    return root


def test_check_image_json(folder: Path) -> None:
    result = run("check-image", "--json", str(folder / "original.png"), str(folder / "notes.png"))
    assert result.returncode == 2
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0] == {
        "file": str(folder / "original.png"),
        "ok": True,
        "error": None,
        "format": "PNG",
        "width": 900,
        "height": 1273,
    }
    assert lines[1]["ok"] is False and "PNG, JPEG, WebP" in lines[1]["error"]
    assert lines[1]["format"] is None and lines[1]["width"] is None


def test_check_image_all_ok_and_korean(folder: Path) -> None:
    ok = run("check-image", str(folder / "original.png"), str(folder / "copy.jpg"))
    assert ok.returncode == 0 and ok.stdout.startswith("ok  ") and "PNG 900x1273" in ok.stdout
    small = run("check-image", "--lang", "ko", str(folder / "small.webp"))
    assert small.returncode == 2 and "refused" in small.stdout and "픽셀" in small.stdout


def test_dedupe_scan_json(folder: Path) -> None:
    result = run("dedupe-scan", "--json", str(folder))
    assert result.returncode == 0
    pairs = [json.loads(line) for line in result.stdout.splitlines()]
    found = {(frozenset((p["a"], p["b"])), p["level"]) for p in pairs}
    assert (frozenset(("original.png", "copy.jpg")), "duplicate") in found
    assert (frozenset(("original.png", "small.webp")), "duplicate") in found
    assert not any("other.png" in pair for pair, _ in found)
    assert all(isinstance(p["distance"], float) for p in pairs)
    assert "notes.png" in result.stderr


@pytest.fixture(scope="module")
def captures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two posters, each with a whole-desktop capture; the first also in a phone screenshot."""
    root = tmp_path_factory.mktemp("captures")
    for seed, kinds in ((1006, ("desktop", "phone_screenshot")), (1020, ("desktop",))):
        poster = draw_poster(seed)
        save(poster, root / f"{seed}_original.png", "PNG")
        for kind in kinds:
            (root / f"{seed}_{kind}.png").write_bytes(capture(poster, kind, seed=seed))
    return root


def test_two_captures_of_one_poster_are_paired_through_it(captures: Path) -> None:
    """A desktop capture and a phone screenshot share only the poster, a part of each: the scan
    pairs them through the poster it found inside both, and says so."""
    result = run("dedupe-scan", "--json", str(captures))
    assert result.returncode == 0, result.stderr
    pairs = {frozenset((p["a"], p["b"])): p for p in map(json.loads, result.stdout.splitlines())}
    assert set(pairs) == {
        frozenset(("1006_original.png", "1006_desktop.png")),
        frozenset(("1006_original.png", "1006_phone_screenshot.png")),
        frozenset(("1006_desktop.png", "1006_phone_screenshot.png")),
        frozenset(("1020_original.png", "1020_desktop.png")),
    }
    assert all(p["level"] == "duplicate" for p in pairs.values())
    through = pairs[frozenset(("1006_desktop.png", "1006_phone_screenshot.png"))]
    assert through["through"] == "1006_original.png"
    assert sum("through" in p for p in pairs.values()) == 1
    text = run("dedupe-scan", str(captures)).stdout
    assert "(through 1006_original.png)" in text


def test_captures_are_not_paired_with_each_other_without_what_they_show(captures: Path) -> None:
    """Compared with each other, the two captures of one poster are no match: the pair above
    is the poster's doing."""
    paths = [path for path in sorted(captures.iterdir()) if path.name != "1006_original.png"]
    pairs = scan_paths(paths)
    assert [(p.first.name, p.second.name, p.level) for p in pairs] == [
        ("1020_desktop.png", "1020_original.png", FlagLevel.DUPLICATE)
    ]
