"""What a replica counts about itself: the upload checks and the duplicate search timed by the
services, every store call timed and its failures counted by kind, the endpoint, the JSON log
line, and the admin's system view."""

from __future__ import annotations

import io
import json
import logging
import urllib.request
from pathlib import Path

import pytest
from prometheus_client import Histogram

from contest.core import logs, metrics
from contest.core.errors import (
    DatabaseUnavailable,
    InvalidInput,
    PermissionDenied,
    StorageFailed,
    StorageUnavailable,
)
from contest.core.store import GuardedStore
from contest.ops.status import system_view
from contest.runtime import Runtime
from storage import LocalStore, ObjectNotFound
from storage import StorageUnavailable as StoreUnreachable
from tests.factories import contest_with_entries, create_user, submit
from tests.support.stores import FlakyStore


def count(histogram: Histogram) -> int:
    return sum(t.count for t in metrics.timings(histogram))


def test_an_upload_is_timed_in_its_checks_and_its_duplicate_search(runtime: Runtime) -> None:
    scene = contest_with_entries(runtime, entries=0)
    checks, searches = count(metrics.UPLOAD_CHECK_SECONDS), count(metrics.DEDUPE_SEARCH_SECONDS)
    puts = sum(t.count for t in metrics.timings(metrics.STORAGE_SECONDS) if t.labels == ("put",))
    submit(runtime, scene["author"], seed=3)
    assert count(metrics.UPLOAD_CHECK_SECONDS) == checks + 1
    assert count(metrics.DEDUPE_SEARCH_SECONDS) == searches + 1
    after = sum(t.count for t in metrics.timings(metrics.STORAGE_SECONDS) if t.labels == ("put",))
    assert after >= puts + 3  # original, display copy, thumbnail


def test_store_failures_are_counted_by_kind(tmp_path: Path) -> None:
    class Unreachable:
        def get(self, key: str) -> bytes:
            raise StoreUnreachable("no route")

    def failures(operation: str, kind: str) -> int:
        return metrics.counts(metrics.STORAGE_ERRORS).get((operation, kind), 0)

    refused, unreachable = failures("put", "failed"), failures("get", "unavailable")
    flaky = GuardedStore(FlakyStore(LocalStore(tmp_path), fail_on=1))
    with pytest.raises(StorageFailed):
        flaky.put("a/b.txt", b"x", "text/plain")
    with pytest.raises(StorageUnavailable):
        GuardedStore(Unreachable()).get("a/b.txt")  # type: ignore[arg-type]
    missing = failures("get", "failed")
    with pytest.raises(ObjectNotFound):  # an answer, not a failure
        GuardedStore(LocalStore(tmp_path)).get("no/such.txt")
    assert failures("put", "failed") == refused + 1
    assert failures("get", "unavailable") == unreachable + 1
    assert failures("get", "failed") == missing


def test_outcomes() -> None:
    assert metrics.outcome_of(None) == "ok"
    assert metrics.outcome_of(InvalidInput()) == "refused"
    assert metrics.outcome_of(PermissionDenied()) == "refused"
    assert metrics.outcome_of(DatabaseUnavailable()) == "unavailable"
    assert metrics.outcome_of(StorageUnavailable()) == "unavailable"
    assert metrics.outcome_of(StorageFailed()) == "failed"
    assert metrics.outcome_of(KeyError("x")) == "error"


def test_timings_summarise_a_histogram() -> None:
    histogram = Histogram("t_seconds", "test", ["page"], buckets=(0.1, 1.0), registry=None)
    for value in (0.05,) * 90 + (0.5,) * 10:
        histogram.labels("gallery").observe(value)
    histogram.labels("entry").observe(2.0)
    gallery, entry = metrics.timings(histogram)
    assert gallery.labels == ("gallery",) and gallery.count == 100
    assert gallery.mean == pytest.approx(0.095)
    assert gallery.p95 == pytest.approx(0.1 + 0.9 * 0.5)  # halfway into the (0.1, 1] bucket
    assert entry.p95 == 1.0  # beyond the last bound: its lower edge, as Prometheus says
    (together,) = metrics.timings(histogram, keep=())
    assert together.count == 101


def test_the_endpoint_starts_once_and_serves_the_figures() -> None:
    port = metrics.serve(0)
    assert metrics.serve(0) == port
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        text = response.read().decode()
    assert "contest_rerun_seconds" in text and "contest_storage_errors_total" in text


def test_a_log_line_is_one_json_object_without_parameters() -> None:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logs.JsonLines())
    logger = logging.getLogger(logs.ACTION_LOGGER)
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        logs.log_action(
            page="entry",
            kind="action",
            name="cast_vote",
            seconds=0.0123,
            outcome="refused",
            replica="web-1:8501",
            error="error.budget_exhausted",
        )
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    line = json.loads(out.getvalue())
    assert line["action"] == "cast_vote" and line["duration_ms"] == 12.3
    assert (line["outcome"], line["error"], line["replica"]) == (
        "refused",
        "error.budget_exhausted",
        "web-1:8501",
    )


def test_the_system_view_is_for_admins_and_checks_both_parts(runtime: Runtime) -> None:
    scene = contest_with_entries(runtime, entries=0)
    with runtime.session() as session:
        view = system_view(session, actor=scene["admin"], store=runtime.store)
        staff = create_user(session)
        with pytest.raises(PermissionDenied):
            system_view(session, actor=staff, store=runtime.store)
    assert [(c.name, c.ok) for c in view.checks] == [("database", True), ("store", True)]
    assert view.pool is not None and view.pool.limit > 0
