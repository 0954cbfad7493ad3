"""Readiness checks for operators (``python -m contest health``): can this process reach the
database at the schema its code expects, and can it write, read and delete in the store?

Each check runs in its own thread and the whole run has one deadline, so a database or store
that hangs is reported as such within the deadline instead of hanging the probe.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from contest.core.db import schema_revisions
from storage import ObjectStore

HEALTH_PREFIX = "health/"


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    seconds: float


class Unhealthy(Exception):
    """A check found something wrong (as opposed to failing to reach its target)."""


def check_database(engine: Engine) -> str:
    current, head = schema_revisions(engine)
    if current != head:
        raise Unhealthy(f"schema at {current}, this code expects {head}: run `migrate`")
    return f"reachable, schema at {head}"


def check_store(store: ObjectStore) -> str:
    """Write, read back and delete one small object under health/ (gc never looks there)."""
    host = re.sub(r"[^A-Za-z0-9_-]", "-", socket.gethostname())[:60]
    key = f"{HEALTH_PREFIX}{host}-{os.getpid()}-{uuid.uuid4().hex[:12]}.txt"
    payload = uuid.uuid4().bytes
    store.put(key, payload, "application/octet-stream")
    try:
        if store.get(key) != payload:
            raise Unhealthy("read back different bytes")
    finally:
        store.delete(key)
    return "write, read and delete ok"


def _describe(exc: BaseException) -> str:
    cause = exc.__cause__ or exc
    text = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {text[0] if text else ''}".rstrip(": ")


def run_checks(checks: Mapping[str, Callable[[], str]], *, timeout: float) -> list[CheckResult]:
    """Run every check at once; one that has not answered by ``timeout`` seconds fails."""
    results: dict[str, CheckResult] = {}

    def run(name: str, check: Callable[[], str]) -> None:
        start = time.monotonic()
        try:
            ok, detail = True, check()
        except Exception as exc:  # a probe reports whatever went wrong
            ok, detail = False, _describe(exc)
        results[name] = CheckResult(name, ok, detail, round(time.monotonic() - start, 3))

    threads = [
        threading.Thread(target=run, args=item, name=f"health-{item[0]}", daemon=True)
        for item in checks.items()
    ]
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return [
        results.get(name) or CheckResult(name, False, f"no answer within {timeout:g} s", timeout)
        for name in checks
    ]
