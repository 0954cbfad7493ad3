"""The object store as services see it: a failure is a ContestError a page can show.

The stores in storage/ raise their own errors (and OSError for a local disk); here they become
StorageUnavailable (not reachable, too slow) or StorageFailed (refused). A missing object stays
ObjectNotFound (callers decide what an absent picture means), a malformed key InvalidKey (a bug).
Every call is timed and every failure counted by kind (core/metrics.py): the store's latency
and errors as Prometheus and the system page see them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from contest.core import metrics
from contest.core.errors import StorageFailed, StorageUnavailable
from storage import InvalidKey, ObjectInfo, ObjectNotFound, ObjectStore, StorageError
from storage import StorageUnavailable as StoreUnreachable


@contextmanager
def storage_errors() -> Iterator[None]:
    try:
        yield
    except (ObjectNotFound, InvalidKey):
        raise
    except StoreUnreachable as exc:
        raise StorageUnavailable() from exc
    except (StorageError, OSError) as exc:
        raise StorageFailed() from exc


@contextmanager
def _measured(operation: str) -> Iterator[None]:
    """storage_errors, with the call's time and any failure counted (a missing object is an
    answer, not a failure)."""
    start = time.perf_counter()
    try:
        with storage_errors():
            yield
    except StorageFailed as exc:
        kind = "unavailable" if isinstance(exc, StorageUnavailable) else "failed"
        metrics.STORAGE_ERRORS.labels(operation, kind).inc()
        raise
    finally:
        metrics.STORAGE_SECONDS.labels(operation).observe(time.perf_counter() - start)


class GuardedStore:
    """Wraps any ObjectStore; same methods, errors translated (see module doc)."""

    def __init__(self, inner: ObjectStore) -> None:
        self.inner = inner

    def put(self, key: str, data: bytes, content_type: str) -> None:
        with _measured("put"):
            self.inner.put(key, data, content_type)

    def get(self, key: str) -> bytes:
        with _measured("get"):
            return self.inner.get(key)

    def url(self, key: str, expires_in: int | None = None) -> str | None:
        with _measured("url"):
            return self.inner.url(key, expires_in)

    def delete(self, key: str) -> None:
        with _measured("delete"):
            self.inner.delete(key)

    def exists(self, key: str) -> bool:
        with _measured("exists"):
            return self.inner.exists(key)

    def list(self, prefix: str = "") -> Iterator[str]:
        with _measured("list"):
            yield from self.inner.list(prefix)

    def modified(self, key: str) -> datetime | None:
        with _measured("modified"):
            return self.inner.modified(key)

    def scan(self, prefix: str = "") -> Iterator[ObjectInfo]:
        with _measured("scan"):
            yield from self.inner.scan(prefix)


def guarded(store: ObjectStore) -> GuardedStore:
    return store if isinstance(store, GuardedStore) else GuardedStore(store)
