"""S3 that refuses connections or never answers: a StorageUnavailable after bounded waits, never
a botocore error, never a hang; and the contest's store wrapper turns it into a message."""

from __future__ import annotations

import urllib.request
import uuid

import pytest

from contest.core.errors import StorageUnavailable as ContestStorageUnavailable
from contest.core.i18n import error_message
from contest.core.store import GuardedStore
from storage import ObjectNotFound, S3Store, StorageError, StorageUnavailable, make_s3_client
from tests.support.outages import hung_server, refused_url

FAST = {"connect_timeout": 0.5, "read_timeout": 0.5, "max_attempts": 2}
OPERATIONS = {
    "put": lambda s: s.put("originals/ab/x.png", b"x", "image/png"),
    "get": lambda s: s.get("originals/ab/x.png"),
    "exists": lambda s: s.exists("originals/ab/x.png"),
    "modified": lambda s: s.modified("originals/ab/x.png"),
    "delete": lambda s: s.delete("originals/ab/x.png"),
    "list": lambda s: list(s.list("originals/")),
    "scan": lambda s: list(s.scan("originals/")),
}


pytestmark = pytest.mark.usefixtures("aws_credentials")


def _store(endpoint: str) -> S3Store:
    return S3Store(make_s3_client(endpoint_url=endpoint, region="us-east-1", **FAST), "contest")


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_refused_connections_raise_storage_unavailable(operation: str) -> None:
    with pytest.raises(StorageUnavailable):
        OPERATIONS[operation](_store(refused_url()))


@pytest.mark.parametrize("operation", ["put", "exists", "get"])
def test_a_store_that_never_answers_raises_storage_unavailable(operation: str) -> None:
    with hung_server() as endpoint, pytest.raises(StorageUnavailable):
        OPERATIONS[operation](_store(endpoint))


def test_creating_the_bucket_on_a_refused_endpoint_raises_storage_unavailable() -> None:
    client = make_s3_client(endpoint_url=refused_url(), region="us-east-1", **FAST)
    with pytest.raises(StorageUnavailable):
        S3Store(client, "contest", create_bucket=True)


def test_a_missing_bucket_is_a_storage_error_not_a_crash(s3_endpoint: str) -> None:
    store = S3Store(make_s3_client(endpoint_url=s3_endpoint, region="us-east-1"), "no-such")
    with pytest.raises(StorageError):
        store.put("originals/ab/x.png", b"x", "image/png")
    with pytest.raises(StorageError) as caught:
        store.get("originals/ab/x.png")
    assert not isinstance(caught.value, ObjectNotFound)  # a lost bucket is no missing poster


def test_the_contest_sees_an_unreachable_store_as_a_message_in_korean() -> None:
    store = GuardedStore(_store(refused_url()))
    with pytest.raises(ContestStorageUnavailable) as caught:
        store.exists("originals/ab/x.png")
    assert "파일 저장소에 연결할 수 없습니다" in error_message(caught.value, "ko")
    assert "cannot be reached" in error_message(caught.value, "en")


def test_presigned_links_use_the_public_address(s3_endpoint: str) -> None:
    """The app reaches S3 at one address, browsers at another: links carry the browsers' one
    and their signature is valid there."""
    port = s3_endpoint.rsplit(":", 1)[1]
    public = f"http://localhost:{port}"
    internal = make_s3_client(endpoint_url=s3_endpoint, region="us-east-1")
    store = S3Store(
        internal,
        f"t-{uuid.uuid4().hex[:20]}",
        create_bucket=True,
        presign_client=make_s3_client(endpoint_url=public, region="us-east-1"),
    )
    store.put("display/ab/p.jpg", b"poster", "image/jpeg")
    url = store.url("display/ab/p.jpg")
    assert url is not None and url.startswith(f"{public}/")
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == b"poster"
