"""What reading a file's record of its making adds to an upload, against the upload's own cost.

Usage: .venv/bin/python bench/bench_provenance.py [--runs N]

For one poster-like 1024x1536 picture as a plain JPEG, the same with a C2PA manifest (signed here
with a test certificate, as tests/provenance_samples.py does), a Stable Diffusion PNG and a JPEG
with the IPTC source type in XMP: the median wall time of read_provenance alone and of the whole
process_upload (which includes it), N runs each (default 9) after one warm-up, and the ratio of
the signed file's upload to the plain one's. Files with a manifest start a child process for
the C2PA library (c2pa_read.py): that is most of their extra time. Also the time a malformed
manifest and a deeply nested one take to be recorded as unreadable.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from contest.entries.ingest import process_upload
from contest.images.provenance.read import read_provenance
from tests import provenance_samples as samples
from tests.factories import poster_bytes


def _median_ms(work: Callable[[], object], runs: int) -> float:
    work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    picture = Image.open(io.BytesIO(poster_bytes(7, size=(1024, 1536))))
    plain = io.BytesIO()
    picture.save(plain, "JPEG", quality=90)
    files = {
        "plain JPEG": (plain.getvalue(), "JPEG"),
        "C2PA-signed JPEG": (samples.c2pa_signed(samples.test_chain(), seed=7), "JPEG"),
        "Stable Diffusion PNG": (samples.sd_png(7), "PNG"),
        "IPTC XMP JPEG": (samples.xmp_jpeg(7), "JPEG"),
        "malformed manifest": (samples.malformed_manifest(7), "JPEG"),
        "nested manifest": (samples.nested_manifest(7), "JPEG"),
    }
    print(f"{'file':22s} {'read (ms)':>10s} {'upload (ms)':>12s}")
    uploads = {}
    for name, (data, fmt) in files.items():
        read = _median_ms(lambda d=data, f=fmt: read_provenance(d, f), runs)
        uploads[name] = _median_ms(lambda d=data: process_upload(d), runs)
        print(f"{name:22s} {read:10.1f} {uploads[name]:12.1f}")
    ratio = uploads["C2PA-signed JPEG"] / uploads["plain JPEG"]
    print(f"signed upload / plain upload: {ratio:.2f}x")


if __name__ == "__main__":
    main()
