"""The one interface every object store implements."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Protocol, runtime_checkable

# Keys are relative, slash-separated, made of safe characters; no "." or ".." segments.
_KEY_RE = re.compile(r"^[A-Za-z0-9_\-][A-Za-z0-9_\-.]*(/[A-Za-z0-9_\-][A-Za-z0-9_\-.]*)*$")


class StorageError(Exception):
    """The store could not complete an operation."""


class ObjectNotFound(StorageError, KeyError):
    """No object under that key."""


class InvalidKey(StorageError, ValueError):
    """The key could escape the store's root or is otherwise malformed."""


def validate_key(key: str) -> str:
    if len(key) > 512 or not _KEY_RE.match(key) or any(p in {".", ".."} for p in key.split("/")):
        raise InvalidKey(f"invalid object key: {key!r}")
    return key


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
