"""Upload checks take turns: a bounded number run at once in a process, a few more wait.

A check (decode, copies, hashes) holds up to images.decode.DECODE_BUDGET of memory and a core
for up to a few seconds. Every session of a replica runs in one process, so without a bound a
few colleagues picking large files at once (or one colleague in several tabs) could take the
replica's memory and cores from everyone else on it. So: ``AT_ONCE`` checks run, ``WAITING``
more wait up to ``WAIT_SECONDS`` for their turn, and one person has one check at a time;
anything beyond is told at once to try again in a moment (Busy), nothing is queued
without bound. The bound is per process on purpose: it is the process that runs out.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from contest.core.errors import Busy

AT_ONCE = 1  # one check per replica: it keeps a core and its memory; votes keep theirs
WAITING = 4
WAIT_SECONDS = 15.0


class Turns:
    """At most ``at_once`` holders at a time, ``waiting`` more in line, one per owner."""

    def __init__(self, at_once: int, waiting: int, wait_seconds: float) -> None:
        self._running = threading.BoundedSemaphore(at_once)
        self._room = at_once + waiting
        self._wait = wait_seconds
        self._lock = threading.Lock()
        self._owners: set[int] = set()

    @contextmanager
    def turn(self, owner: int) -> Iterator[None]:
        """Run the body in ``owner``'s turn; Busy when there is no room or no turn came
        within the wait."""
        with self._lock:
            if owner in self._owners:
                raise Busy("error.upload.busy_yours")
            if len(self._owners) >= self._room:
                raise Busy("error.upload.busy")
            self._owners.add(owner)
        try:
            if not self._running.acquire(timeout=self._wait):
                raise Busy("error.upload.busy")
            try:
                yield
            finally:
                self._running.release()
        finally:
            with self._lock:
                self._owners.discard(owner)


UPLOAD_CHECKS = Turns(AT_ONCE, WAITING, WAIT_SECONDS)
