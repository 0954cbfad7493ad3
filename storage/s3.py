"""Objects in an S3-compatible bucket (AWS S3, MinIO, NCP Object Storage, ...).

Every call has a deadline (connect and read timeouts, a bounded number of attempts) and every
failure leaves as a StorageError: StorageUnavailable when the store could not be reached or did
not answer in time, ObjectNotFound for a missing key.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError

from storage.base import ObjectInfo, ObjectNotFound, StorageError, StorageUnavailable, validate_key

MISSING_CODES = frozenset({"404", "NoSuchKey", "NotFound"})


def make_s3_client(
    *,
    endpoint_url: str | None,
    region: str,
    connect_timeout: float = 3.0,
    read_timeout: float = 5.0,
    max_attempts: int = 2,
) -> Any:
    """Create the boto3 client once per process; credentials come from boto3's usual chain.

    ``max_attempts`` counts the first try: a store that never answers costs a caller about
    ``max_attempts * read_timeout`` seconds before StorageUnavailable.
    """
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=region,
        config=Config(
            s3={"addressing_style": "path"},
            signature_version="s3v4",
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            retries={"total_max_attempts": max_attempts, "mode": "standard"},  # first included
        ),
    )


def _unavailable(exc: ClientError) -> bool:
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
    return int(status) >= 500


@contextmanager
def _translated(action: str, key: str) -> Iterator[None]:
    """botocore's errors as the store's own: nothing else leaves this module."""
    try:
        yield
    except (HTTPClientError, BotoConnectionError) as exc:  # refused, reset, timeouts, TLS
        raise StorageUnavailable(f"{action} {key!r}: {exc}") from exc
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in MISSING_CODES:
            raise ObjectNotFound(key) from exc
        kind = StorageUnavailable if _unavailable(exc) else StorageError
        raise kind(f"{action} {key!r} failed: {exc}") from exc
    except BotoCoreError as exc:  # credentials, configuration
        raise StorageError(f"{action} {key!r} failed: {exc}") from exc


class S3Store:
    """``presign_client`` signs the links browsers get (see ``make_s3_client``); it may name a
    public address of the same store, since a signature covers the host it was made for."""

    def __init__(
        self,
        client: Any,
        bucket: str,
        *,
        presign_ttl: int = 3600,
        create_bucket: bool = False,
        presign_client: Any | None = None,
    ) -> None:
        self.client = client
        self.presign_client = presign_client or client
        self.bucket = bucket
        self.presign_ttl = presign_ttl
        if create_bucket:
            self._ensure_bucket()

    def _ensure_bucket(self) -> None:
        try:
            with _translated("head bucket", self.bucket):
                self.client.head_bucket(Bucket=self.bucket)
        except ObjectNotFound:
            with _translated("create bucket", self.bucket):
                self.client.create_bucket(Bucket=self.bucket)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        with _translated("put", key):
            self.client.put_object(
                Bucket=self.bucket, Key=validate_key(key), Body=data, ContentType=content_type
            )

    def get(self, key: str) -> bytes:
        with _translated("get", key):
            response = self.client.get_object(Bucket=self.bucket, Key=validate_key(key))
            data: bytes = response["Body"].read()
        return data

    def url(self, key: str, expires_in: int | None = None) -> str | None:
        with _translated("presign", key):
            url: str = self.presign_client.generate_presigned_url(
                "get_object",
                Params={"Bucket": self.bucket, "Key": validate_key(key)},
                ExpiresIn=expires_in or self.presign_ttl,
            )
        return url

    def delete(self, key: str) -> None:
        with _translated("delete", key):
            self.client.delete_object(Bucket=self.bucket, Key=validate_key(key))

    def exists(self, key: str) -> bool:
        return self.modified(key) is not None

    def modified(self, key: str) -> datetime | None:
        try:
            with _translated("head", key):
                response = self.client.head_object(Bucket=self.bucket, Key=validate_key(key))
        except ObjectNotFound:
            return None
        modified: datetime = response["LastModified"]
        return modified

    def list(self, prefix: str = "") -> Iterator[str]:
        for info in self.scan(prefix):
            yield info.key

    def scan(self, prefix: str = "") -> Iterator[ObjectInfo]:
        with _translated("list", prefix):
            paginator = self.client.get_paginator("list_objects_v2")
            for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
                for item in page.get("Contents", []):
                    yield ObjectInfo(item["Key"], item["LastModified"], item["Size"])
