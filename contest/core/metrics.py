"""What a replica counts about itself: the figures Prometheus scrapes from each replica and the
admin's system page shows for the replica it runs on.

The instruments are process-wide (one replica is one process) and thread-safe; nothing here
knows a user. The web layer times views, actions and reruns (ui/telemetry.py), the services
time what only they see (the upload checks, the duplicate search), GuardedStore every store
call, and ``watch_pool`` reads the database pool when scraped. ``serve`` starts the HTTP
endpoint once per process and port.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from prometheus_client import REGISTRY, Counter, Gauge, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.engine import Engine

from contest.core.errors import (
    ContestError,
    DatabaseUnavailable,
    StorageFailed,
    StorageUnavailable,
)

FAST = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
SLOW = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

ACTIONS = Counter(
    "contest_actions",
    "Views, actions and checks run for a user, by page, kind, name and outcome",
    ["page", "kind", "name", "outcome"],
)
ACTION_SECONDS = Histogram(
    "contest_action_seconds",
    "Time of one view, action or check, database and store included",
    ["page", "kind", "name"],
    buckets=FAST,
)
RERUN_SECONDS = Histogram(
    "contest_rerun_seconds", "Time of a page's whole script run (a rerun)", ["page"], buckets=FAST
)
UPLOAD_CHECK_SECONDS = Histogram(
    "contest_upload_check_seconds",
    "Checks, copies and hashes of one uploaded image",
    buckets=SLOW,
)
DEDUPE_SEARCH_SECONDS = Histogram(
    "contest_dedupe_search_seconds",
    "Looking an upload up in the contest's duplicate index (sync included)",
    buckets=FAST,
)
STORAGE_SECONDS = Histogram(
    "contest_storage_seconds", "Time of one object store call", ["operation"], buckets=FAST
)
STORAGE_ERRORS = Counter(
    "contest_storage_errors",
    "Object store calls that failed: unavailable (unreachable, too slow) or failed (refused)",
    ["operation", "kind"],
)
ACTIVE_SESSIONS = Gauge(
    "contest_active_sessions", "Browser sessions that ran a page in the last five minutes"
)

OK, REFUSED, UNAVAILABLE, FAILED, ERROR = "ok", "refused", "unavailable", "failed", "error"
# Outcomes that mean the service, not the user, is in trouble (the "errors rising" alert).
TROUBLE = frozenset({UNAVAILABLE, FAILED, ERROR})


def outcome_of(error: BaseException | None) -> str:
    """How a view or action ended: ok, refused by a rule, or trouble of which kind."""
    if error is None:
        return OK
    if isinstance(error, DatabaseUnavailable | StorageUnavailable):
        return UNAVAILABLE
    if isinstance(error, StorageFailed):
        return FAILED
    return REFUSED if isinstance(error, ContestError) else ERROR


class _PoolCollector(Collector):
    """The pool of the engine this process serves with, read when scraped."""

    def __init__(self) -> None:
        self.engine: weakref.ReferenceType[Engine] | None = None

    def collect(self) -> Iterator[GaugeMetricFamily]:
        figures = pool_figures(self.engine() if self.engine else None)
        if figures is None:
            return
        family = GaugeMetricFamily(
            "contest_db_pool_connections", "Database connections of this process", labels=["state"]
        )
        family.add_metric(["in_use"], figures.in_use)
        family.add_metric(["idle"], figures.idle)
        yield family
        yield GaugeMetricFamily(
            "contest_db_pool_limit",
            "Most connections this process may open (pool size + overflow)",
            value=figures.limit,
        )


@dataclass(frozen=True)
class PoolFigures:
    in_use: int
    idle: int
    limit: int


def pool_figures(engine: Engine | None) -> PoolFigures | None:
    """Connections checked out and idle in the engine's pool (None for a pool without a size)."""
    pool: Any = engine.pool if engine is not None else None
    if pool is None or not all(hasattr(pool, n) for n in ("checkedout", "checkedin", "size")):
        return None
    overflow = getattr(pool, "_max_overflow", 0)
    limit = pool.size() + max(overflow, 0)
    return PoolFigures(in_use=pool.checkedout(), idle=pool.checkedin(), limit=limit)


_pool = _PoolCollector()
REGISTRY.register(_pool)
_served: dict[tuple[str, int], int] = {}
_serving = threading.Lock()


def watch_pool(engine: Engine) -> None:
    """Report this engine's pool from now on (the process's runtime engine)."""
    _pool.engine = weakref.ref(engine)


def serve(port: int, address: str = "127.0.0.1") -> int:
    """Start the /metrics endpoint on ``address:port`` unless this process already did; the
    port it listens on (``port`` 0 picks a free one, once)."""
    with _serving:
        if (address, port) not in _served:
            server, _thread = start_http_server(port, addr=address)
            _served[(address, port)] = int(server.server_port)
        return _served[(address, port)]


@dataclass(frozen=True)
class Timing:
    """One series of a histogram: how many, the mean and the 95th percentile (the upper bound
    of the bucket it falls in, as Prometheus' histogram_quantile would interpolate it)."""

    labels: tuple[str, ...]
    count: int
    mean: float
    p95: float | None


def timings(histogram: Histogram, keep: tuple[str, ...] | None = None) -> list[Timing]:
    """Every series of ``histogram`` in this process, most frequent first; with ``keep``, the
    series summed over every other label (one row per page, say, instead of per action)."""
    series: dict[tuple[str, ...], dict[str, Any]] = {}
    for family in histogram.collect():
        for sample in family.samples:
            names = [k for k in sample.labels if k != "le"] if keep is None else list(keep)
            labels = tuple(sample.labels[k] for k in names)
            found = series.setdefault(labels, {"buckets": {}, "count": 0, "sum": 0.0})
            if sample.name.endswith("_bucket"):
                bound = float(sample.labels["le"])
                found["buckets"][bound] = found["buckets"].get(bound, 0.0) + sample.value
            elif sample.name.endswith("_count"):
                found["count"] += int(sample.value)
            elif sample.name.endswith("_sum"):
                found["sum"] += sample.value
    rows = [
        Timing(
            labels,
            found["count"],
            found["sum"] / found["count"],
            _quantile(found["buckets"].items(), 0.95),
        )
        for labels, found in series.items()
        if found["count"]
    ]
    return sorted(rows, key=lambda row: (-row.count, row.labels))


def _quantile(buckets: Iterable[tuple[float, float]], q: float) -> float | None:
    """Linear interpolation inside the bucket holding the q-th observation."""
    ordered = sorted(buckets)
    total = ordered[-1][1] if ordered else 0
    if not total:
        return None
    rank, low, below = q * total, 0.0, 0.0
    for bound, cumulative in ordered:
        if cumulative >= rank:
            if bound == float("inf"):
                return low
            share = (rank - below) / (cumulative - below) if cumulative > below else 1.0
            return low + (bound - low) * share
        low, below = bound, cumulative
    return low


def counts(counter: Counter) -> dict[tuple[str, ...], int]:
    """Every labelled series of ``counter`` in this process and its total."""
    return {
        tuple(sample.labels.values()): int(sample.value)
        for family in counter.collect()
        for sample in family.samples
        if sample.name.endswith("_total")
    }


def active_sessions() -> int:
    """The sessions gauge as this process reads it now."""
    return int(
        sum(sample.value for family in ACTIVE_SESSIONS.collect() for sample in family.samples)
    )
