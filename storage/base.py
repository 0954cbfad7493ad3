"""The one interface every object store implements."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

# Keys are relative, slash-separated, made of safe characters; no "." or ".." segments.
_KEY_RE = re.compile(r"^[A-Za-z0-9_\-][A-Za-z0-9_\-.]*(/[A-Za-z0-9_\-][A-Za-z0-9_\-.]*)*$")


class StorageError(Exception):
    """The store could not complete an operation."""


class StorageUnavailable(StorageError):
    """The store did not answer in time or could not be reached (network, timeouts, 5xx)."""


class ObjectNotFound(StorageError, KeyError):
    """No object under that key."""


class InvalidKey(StorageError, ValueError):
    """The key could escape the store's root or is otherwise malformed."""


def validate_key(key: str) -> str:
    if len(key) > 512 or not _KEY_RE.match(key) or any(p in {".", ".."} for p in key.split("/")):
        raise InvalidKey(f"invalid object key: {key!r}")
    return key


@dataclass(frozen=True)
class ObjectInfo:
    """A stored object as the store itself describes it; ``modified`` is the store's clock."""

    key: str
    modified: datetime  # aware UTC
    size: int


@runtime_checkable
class ObjectStore(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store ``data`` under ``key``; a reader never sees a partial object."""

    def get(self, key: str) -> bytes:
        """Return the object's bytes; raise ObjectNotFound if absent."""

    def url(self, key: str, expires_in: int | None = None) -> str | None:
        """A URL a browser can fetch, or None when the store cannot serve browsers directly."""

    def delete(self, key: str) -> None:
        """Remove the object; deleting a missing key is not an error."""

    def exists(self, key: str) -> bool: ...

    def list(self, prefix: str = "") -> Iterator[str]:
        """Keys under ``prefix``, in lexical order."""

    def modified(self, key: str) -> datetime | None:
        """When the object was last written, by the store's clock (aware UTC); None if absent."""

    def scan(self, prefix: str = "") -> Iterator[ObjectInfo]:
        """Like ``list`` but with each object's timestamp and size, in lexical order."""
