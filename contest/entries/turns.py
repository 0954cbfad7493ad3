"""Upload checks take turns: a bounded number run at once in a process, a few more wait.

A check (decode, copies, hashes) holds up to images.decode.DECODE_BUDGET of memory and a core
for up to a few seconds. Every session of a replica runs in one process, so without a bound a
few colleagues picking large files at once (or one colleague in several tabs) could take the
replica's memory and cores from everyone else on it. So: ``AT_ONCE`` checks run, ``WAITING``
more wait up to ``WAIT_SECONDS`` for their turn, and one person has one check at a time;
anything beyond is told at once to try again in a moment (Busy), nothing is queued
without bound. The bound is per process on purpose: it is the process that runs out.

The checks run on the pool's own threads at a lower CPU priority (Linux keeps a nice value per
thread): when the cores are busy, a colleague's vote or gallery page goes first and the check
takes a little longer.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from typing import TypeVar

from contest.core.errors import Busy

AT_ONCE = 1  # one check per replica: it keeps a core and its memory; votes keep theirs
WAITING = 4
WAIT_SECONDS = 15.0
NICE = 10  # how much lower the checks' CPU priority is than the sessions'
T = TypeVar("T")


def _yield_cpu() -> None:
    """Lower this thread's CPU priority by NICE (per thread on Linux; elsewhere nothing
    changes)."""
    with suppress(AttributeError, OSError):
        thread = threading.get_native_id()
        now = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(now + NICE, 19))


class Turns:
    """At most ``at_once`` holders at a time, ``waiting`` more in line, one per owner."""

    def __init__(self, at_once: int, waiting: int, wait_seconds: float) -> None:
        self._running = threading.BoundedSemaphore(at_once)
        self._room = at_once + waiting
        self._wait = wait_seconds
        self._lock = threading.Lock()
        self._owners: set[int] = set()
        self._pool = ThreadPoolExecutor(at_once, "upload-check", initializer=_yield_cpu)

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

    def run(self, owner: int, work: Callable[[], T]) -> T:
        """``work`` done in ``owner``'s turn, on the pool's lower-priority thread."""
        with self.turn(owner):
            return self._pool.submit(work).result()


UPLOAD_CHECKS = Turns(AT_ONCE, WAITING, WAIT_SECONDS)
