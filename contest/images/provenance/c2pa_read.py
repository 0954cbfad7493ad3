"""The C2PA manifest of an upload, read by the Content Authenticity Initiative's library in a
child process with a deadline.

A manifest is hostile input to a native library: one that is malformed, enormous or built to
make the parser loop must cost the upload no more than DEADLINE seconds and never the server
process. So the library runs in a child (c2pa_worker.py) with its memory and CPU capped, is
killed at the deadline, and is handed nothing when the manifest store is larger than
MAX_MANIFEST. Files without a manifest (most uploads) never start a child. The reader works
offline: no remote manifest and no revocation check is fetched.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from contest.images.provenance.record import C2pa

DEADLINE = 5.0  # seconds; a signed poster is read in about 0.1 s (docs/benchmarks.md)
MAX_MANIFEST = 2 * 1024 * 1024  # bytes of manifest store handed to the library at most
MAX_ANSWER = 64 * 1024
WORKER = Path(__file__).with_name("c2pa_worker.py")
MIME = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


@dataclass(frozen=True)
class C2paFinding:
    state: C2pa
    generator: str = ""
    issuer: str = ""
    actions: tuple[tuple[str, str, str], ...] = ()  # (action, digital source type, agent)
    problem: str = ""  # why it is unreadable: "too_large", "timeout", "crashed", the error


def read_c2pa(
    data: bytes,
    fmt: str,
    *,
    manifest_bytes: int,
    deadline: float = DEADLINE,
    trust_anchors: Path | None = None,
) -> C2paFinding:
    """The manifest of ``data`` (whose store takes ``manifest_bytes``); never raises."""
    if manifest_bytes == 0:
        return C2paFinding(C2pa.NONE)
    if manifest_bytes > MAX_MANIFEST:
        return C2paFinding(C2pa.UNREADABLE, problem="too_large")
    command = [sys.executable, "-I", str(WORKER), MIME[fmt]]
    if trust_anchors is not None:
        command.append(str(trust_anchors))
    try:
        done = subprocess.run(
            command, input=data, capture_output=True, timeout=deadline, check=False
        )
    except subprocess.TimeoutExpired:
        return C2paFinding(C2pa.UNREADABLE, problem="timeout")
    except OSError:
        return C2paFinding(C2pa.UNREADABLE, problem="crashed")
    if done.returncode != 0 or len(done.stdout) > MAX_ANSWER:
        return C2paFinding(C2pa.UNREADABLE, problem="crashed")
    return _finding(done.stdout)


def _finding(answer: bytes) -> C2paFinding:
    try:
        summary = json.loads(answer)
        state = C2pa(summary["state"])
    except (ValueError, KeyError, TypeError):
        return C2paFinding(C2pa.UNREADABLE, problem="crashed")
    if state == C2pa.NONE:  # the file holds a store labelled C2PA that the library cannot find
        return C2paFinding(C2pa.UNREADABLE, problem="not_found")
    actions = summary.get("actions") if isinstance(summary.get("actions"), list) else []
    return C2paFinding(
        state=state,
        generator=str(summary.get("generator", "")),
        issuer=str(summary.get("issuer", "")),
        actions=tuple(
            (str(a.get("action", "")), str(a.get("source", "")), str(a.get("agent", "")))
            for a in actions
            if isinstance(a, dict)
        ),
        problem=str(summary.get("error", "")),
    )
