"""A labelled folder of copies made the way people make them, for `dedupe-scan` and score.py.

Usage: .venv/bin/python bench/make_copies.py OUT (--posters DIR [--range A:B] | --seeds START:COUNT)
    [--app] [--kinds KIND,...] [--repeats N]

Originals come from a folder of poster files (e.g. real posters, read where they are: never
copy them into the repository) or are drawn (tests/contest/synth_posters.py; each 4th seed also
gets a template twin: the same background and layout, other text). Per original, one copy of
each kind: the drawn captures of tests/support/captures.py (browser window, whole desktop, phone
screenshot, phone photos of a screen and of a print), and v5's kinds (crops of 5/10/15%, JPEG
q60-75, downscale, grey, PNG, a caption band); with ``--app``, this app's own pages captured in
Chromium (tests/support/app_captures.py). Two consecutive originals share every frame (the same
seed draws the same desktop, window or phone around each), so screenshots of unrelated posters
in one frame are among the unrelated pairs.

``--kinds`` makes only the kinds named (e.g. ``photo_screen,photo_print``); ``--repeats N``
makes N copies of each kind per original, each drawn with its own seed (the first with the
seed a folder without ``--repeats`` uses, the others named <poster>_<kind>-<n>): a bigger set
of one hard kind without the rest.

Writes OUT/images/<poster>_<kind>.<ext> and OUT/labels.csv (file, poster, group, transform),
the format score.py reads.
"""

from __future__ import annotations

import csv
import io
import random
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageOps

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.contest.synth_posters import draw_poster, font  # noqa: E402
from tests.support.captures import CAPTURES, capture  # noqa: E402


def _arg(name: str, default: str | None = None) -> str | None:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def _jpeg(picture: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    picture.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def _png(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def _crop(picture: Image.Image, share: float, rng: random.Random) -> bytes:
    w, h = picture.size
    left, top = rng.uniform(0, share) * w, rng.uniform(0, share) * h
    box = (round(left), round(top), round(left + (1 - share) * w), round(top + (1 - share) * h))
    return _jpeg(picture.crop(box), 90)


def _caption(picture: Image.Image, rng: random.Random) -> bytes:
    """A caption band added below, as a messenger or a news post adds one."""
    band = round(picture.height * rng.uniform(0.08, 0.15))
    out = ImageOps.expand(picture.convert("RGB"), (0, 0, 0, band), fill="white")
    ImageDraw.Draw(out).text(
        (20, picture.height + band // 4),
        "인천 포스터 공모 출품작",
        font=font(band // 3),
        fill="black",
    )
    return _jpeg(out, 88)


V5_KINDS = {
    "crop05": lambda p, r: _crop(p, 0.05, r),
    "crop10": lambda p, r: _crop(p, 0.10, r),
    "crop15": lambda p, r: _crop(p, 0.15, r),
    "jpeg": lambda p, r: _jpeg(p, r.randint(60, 75)),
    "downscale": lambda p, r: _jpeg(p.resize((p.width // 2, p.height // 2)), 85),
    "grey": lambda p, r: _jpeg(ImageOps.grayscale(p), 85),
    "png": lambda p, r: _png(p.convert("RGB")),
    "caption": _caption,
}


def originals() -> list[tuple[str, int, Image.Image]]:
    """(name, template group, picture) of every original."""
    folder = _arg("--posters")
    if folder:
        paths = sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in (".jpg", ".png"))
        a, b = (int(x) for x in (_arg("--range") or f"0:{len(paths)}").split(":"))
        return [(p.stem, n, Image.open(p).convert("RGB")) for n, p in enumerate(paths[a:b], a)]
    start, count = (int(x) for x in (_arg("--seeds") or "9000:40").split(":"))
    out = []
    for seed in range(start, start + count):
        out.append((f"s{seed}", seed, draw_poster(seed)))
        if seed % 4 == 0:
            out.append((f"s{seed}t", seed, draw_poster(seed, seed + 50_000)))
    return out


def main() -> None:
    target = Path(sys.argv[1])
    images = target / "images"
    images.mkdir(parents=True, exist_ok=True)
    rows = []
    posters = originals()
    wanted = set((_arg("--kinds") or ",".join([*CAPTURES, *V5_KINDS])).split(","))
    repeats = int(_arg("--repeats") or "1")
    for n, (name, group, picture) in enumerate(posters):
        files = {("original", 0): (_png(picture), "png")}
        if not name.endswith("t"):
            frame = n // 2  # consecutive originals share frames
            for r in range(repeats):
                for k, kind in enumerate(CAPTURES):
                    if kind in wanted:
                        data = capture(picture, kind, seed=1000 * k + frame + 100_000 * r)
                        files[kind, r] = (data, "png" if data[:4] == b"\x89PNG" else "jpg")
                for k, (kind, make) in enumerate(V5_KINDS.items()):
                    if kind in wanted:
                        data = make(picture, random.Random(7919 * n + k + 100_000 * r))
                        files[kind, r] = (data, "png" if data[:4] == b"\x89PNG" else "jpg")
        for (kind, r), (data, ext) in files.items():
            file = f"{name}_{kind}-{r}.{ext}" if r else f"{name}_{kind}.{ext}"
            (images / file).write_bytes(data)
            rows.append({"file": file, "poster": name, "group": group, "transform": kind})
    if "--app" in sys.argv:
        from tests.support.app_captures import capture_app_pages

        named = [(name, picture) for name, _, picture in posters if not name.endswith("t")]
        groups = {name: group for name, group, _ in posters}
        for name, kind, data in capture_app_pages(named, target / "app-data"):
            file = f"{name}_{kind}.png" if data[:4] == b"\x89PNG" else f"{name}_{kind}.jpg"
            (images / file).write_bytes(data)
            rows.append({"file": file, "poster": name, "group": groups[name], "transform": kind})
    with (target / "labels.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, ["file", "poster", "group", "transform"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} files in {images}")


if __name__ == "__main__":
    main()
