"""Object stores that fail or wait on cue, wrapped around a real store."""

from __future__ import annotations

import threading
from typing import Any

from storage import ObjectStore, StorageError

WAIT = 60  # seconds a gated store waits for the test before giving up


class FlakyStore:
    """Delegates to a real store but fails the n-th put, like a full disk or a lost bucket."""

    def __init__(self, store: ObjectStore, fail_on: int) -> None:
        self.store, self.fail_on, self.puts = store, fail_on, 0

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.puts += 1
        if self.puts == self.fail_on:
            raise StorageError("disk full")
        self.store.put(key, data, content_type)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


class GatedStore:
    """Delegates to a real store; after its ``after_puts``-th put it signals ``reached`` and
    waits until the test calls ``release()``, as an upload stuck on a slow network does."""

    def __init__(self, store: ObjectStore, *, after_puts: int = 1) -> None:
        self.store, self.after_puts, self.puts = store, after_puts, 0
        self.reached, self.released = threading.Event(), threading.Event()

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.store.put(key, data, content_type)
        self.puts += 1
        if self.puts == self.after_puts:
            self.reached.set()
            if not self.released.wait(WAIT):
                raise StorageError("the test never released the gate")

    def release(self) -> None:
        self.released.set()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)
