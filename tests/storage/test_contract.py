"""One contract, two backends: LocalStore on disk and S3Store over HTTP against moto's server."""

from __future__ import annotations

import os
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from storage import InvalidKey, LocalStore, ObjectNotFound, ObjectStore, S3Store, make_s3_client

BYTES = bytes(range(256)) * 4 + b"\x00\xff\r\n"
BAD_KEYS = ["../x", "/abs", "a/../../b", "", "a\\b", "..\\x", "a\x00b", "a/./b", "a//b", "."]


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ObjectStore]:
    if request.param == "local":
        yield LocalStore(tmp_path / "objects")
        return
    endpoint = request.getfixturevalue("s3_endpoint")
    client = make_s3_client(endpoint_url=endpoint, region="us-east-1")
    yield S3Store(client, f"t-{uuid.uuid4().hex[:20]}", create_bucket=True)


def test_both_backends_implement_the_protocol(store: ObjectStore) -> None:
    assert isinstance(store, ObjectStore)


def test_put_then_get_returns_the_same_bytes(store: ObjectStore) -> None:
    store.put("originals/ab/poster.png", BYTES, "image/png")
    assert store.get("originals/ab/poster.png") == BYTES


def test_put_overwrites(store: ObjectStore) -> None:
    store.put("k/one.bin", b"first", "application/octet-stream")
    store.put("k/one.bin", b"second, longer", "application/octet-stream")
    assert store.get("k/one.bin") == b"second, longer"


def test_get_missing_raises_object_not_found(store: ObjectStore) -> None:
    with pytest.raises(ObjectNotFound):
        store.get("nothing/here.png")


def test_delete_removes_and_missing_delete_is_fine(store: ObjectStore) -> None:
    store.put("d/x.bin", b"x", "application/octet-stream")
    store.delete("d/x.bin")
    assert not store.exists("d/x.bin")
    with pytest.raises(ObjectNotFound):
        store.get("d/x.bin")
    store.delete("d/x.bin")
    store.delete("never/was.bin")


def test_exists(store: ObjectStore) -> None:
    assert not store.exists("e/a.txt")
    store.put("e/a.txt", b"a", "text/plain")
    assert store.exists("e/a.txt")
    assert not store.exists("e/b.txt")


def test_list_by_prefix_is_sorted_and_only_that_prefix(store: ObjectStore) -> None:
    for key in ["thumbs/b/2.webp", "thumbs/a/1.webp", "thumbs/a/0.webp", "display/a/1.jpg"]:
        store.put(key, b"x", "application/octet-stream")
    assert list(store.list("thumbs/")) == ["thumbs/a/0.webp", "thumbs/a/1.webp", "thumbs/b/2.webp"]
    assert list(store.list("display/")) == ["display/a/1.jpg"]
    assert list(store.list("originals/")) == []
    assert list(store.list()) == sorted(store.list())
    assert len(list(store.list())) == 4


def test_modified_is_the_stores_clock_of_the_last_write(store: ObjectStore) -> None:
    assert store.modified("m/a.bin") is None
    before = datetime.now(UTC) - timedelta(seconds=5)  # S3 keeps whole seconds
    store.put("m/a.bin", b"a", "application/octet-stream")
    stamp = store.modified("m/a.bin")
    assert stamp is not None and stamp.tzinfo is not None
    assert before <= stamp <= datetime.now(UTC) + timedelta(seconds=5)


def test_scan_lists_keys_with_their_times_and_sizes(store: ObjectStore) -> None:
    for key, data in [("s/b.bin", b"bb"), ("s/a.bin", b"a"), ("t/c.bin", b"ccc")]:
        store.put(key, data, "application/octet-stream")
    infos = list(store.scan("s/"))
    assert [(i.key, i.size) for i in infos] == [("s/a.bin", 1), ("s/b.bin", 2)]
    assert all(i.modified == store.modified(i.key) for i in infos)
    assert [i.key for i in store.scan()] == list(store.list())


@pytest.mark.parametrize("key", BAD_KEYS)
def test_keys_that_could_escape_are_refused(store: ObjectStore, key: str) -> None:
    with pytest.raises(InvalidKey):
        store.put(key, b"x", "text/plain")
    with pytest.raises(InvalidKey):
        store.get(key)
    with pytest.raises(InvalidKey):
        store.exists(key)
    with pytest.raises(InvalidKey):
        store.delete(key)
    with pytest.raises(InvalidKey):
        store.url(key)


def test_refused_keys_write_nothing_outside_the_root(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "root")
    with pytest.raises(InvalidKey):
        store.put("../escaped.txt", b"x", "text/plain")
    assert not (tmp_path / "escaped.txt").exists()
    assert list(store.list()) == []


def test_s3_presigned_url_downloads_the_bytes_and_expires(s3_endpoint: str) -> None:
    client = make_s3_client(endpoint_url=s3_endpoint, region="us-east-1")
    store = S3Store(client, f"t-{uuid.uuid4().hex[:20]}", presign_ttl=900, create_bucket=True)
    store.put("display/ab/p.jpg", BYTES, "image/jpeg")
    url = store.url("display/ab/p.jpg", expires_in=120)
    assert url is not None and url.startswith(s3_endpoint)
    assert parse_qs(urlparse(url).query)["X-Amz-Expires"] == ["120"]
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == BYTES
        assert response.headers["Content-Type"] == "image/jpeg"
    default = store.url("display/ab/p.jpg")
    assert default is not None
    assert parse_qs(urlparse(default).query)["X-Amz-Expires"] == ["900"]


def test_local_url_is_none_so_the_app_serves_bytes(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    store.put("a/b.png", b"x", "image/png")
    assert store.url("a/b.png") is None
    assert store.url("a/b.png", expires_in=60) is None


def test_local_failed_write_keeps_old_content_and_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = LocalStore(tmp_path)
    store.put("p/poster.png", b"old content", "image/png")

    def broken_fsync(_fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        store.put("p/poster.png", b"new content", "image/png")
    with pytest.raises(OSError, match="disk full"):
        store.put("p/fresh.png", b"never", "image/png")
    monkeypatch.undo()
    assert store.get("p/poster.png") == b"old content"
    assert not store.exists("p/fresh.png")
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == ["poster.png"]
    assert list(store.list()) == ["p/poster.png"]
