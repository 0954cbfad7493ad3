"""Objects in an S3-compatible bucket (AWS S3, MinIO, NCP Object Storage, ...)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from storage.base import ObjectNotFound, StorageError, validate_key


def make_s3_client(*, endpoint_url: str | None, region: str) -> Any:
    """Create the boto3 client once per process; credentials come from boto3's usual chain."""
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=region,
        config=Config(
            s3={"addressing_style": "path"},
            signature_version="s3v4",
            retries={"max_attempts": 3, "mode": "standard"},
        ),
    )


class S3Store:
    def __init__(
        self, client: Any, bucket: str, *, presign_ttl: int = 3600, create_bucket: bool = False
    ) -> None:
        self.client = client
        self.bucket = bucket
        self.presign_ttl = presign_ttl
        if create_bucket:
            self._ensure_bucket()

    def _ensure_bucket(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError:
            self.client.create_bucket(Bucket=self.bucket)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        try:
            self.client.put_object(
                Bucket=self.bucket, Key=validate_key(key), Body=data, ContentType=content_type
            )
        except ClientError as exc:
            raise StorageError(f"put {key!r} failed: {exc}") from exc

    def get(self, key: str) -> bytes:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=validate_key(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                raise ObjectNotFound(key) from exc
            raise StorageError(f"get {key!r} failed: {exc}") from exc
        data: bytes = response["Body"].read()
        return data

    def url(self, key: str, expires_in: int | None = None) -> str | None:
        url: str = self.client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": validate_key(key)},
            ExpiresIn=expires_in or self.presign_ttl,
        )
        return url

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=validate_key(key))
        except ClientError as exc:
            raise StorageError(f"delete {key!r} failed: {exc}") from exc

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=validate_key(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return False
            raise StorageError(f"head {key!r} failed: {exc}") from exc
        return True

    def list(self, prefix: str = "") -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                yield item["Key"]
