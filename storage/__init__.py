"""Object storage behind one Protocol. Never imports streamlit or contest."""

from storage.base import (
    InvalidKey,
    ObjectInfo,
    ObjectNotFound,
    ObjectStore,
    StorageError,
    StorageUnavailable,
    validate_key,
)
from storage.local import LocalStore
from storage.s3 import S3Store, make_s3_client

__all__ = [
    "InvalidKey",
    "LocalStore",
    "ObjectInfo",
    "ObjectNotFound",
    "ObjectStore",
    "S3Store",
    "StorageError",
    "StorageUnavailable",
    "make_s3_client",
    "validate_key",
]
