"""The admin's system page: the same figures Prometheus scrapes from this replica (its own
process: another replica keeps its own), and whether the database and the store answer now."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import Histogram
from sqlalchemy.engine import Engine
from sqlmodel import Session

from contest.core import metrics
from contest.core.authz import require_admin
from contest.core.health import CheckResult, check_database, check_store, run_checks
from contest.core.metrics import PoolFigures, Timing
from contest.core.models import User
from storage import ObjectStore

HEALTH_TIMEOUT = 5.0  # seconds for both checks together


@dataclass(frozen=True)
class ActionFigures:
    """The views or actions of one kind on one page."""

    page: str
    kind: str
    count: int
    refused: int  # a rule said no: the user's business
    trouble: int  # unavailable, failed or an error: ours
    mean: float
    p95: float | None


@dataclass(frozen=True)
class SystemView:
    sessions: int
    actions: tuple[ActionFigures, ...]  # per page and kind, most frequent first
    reruns: tuple[Timing, ...]  # per page
    rerun_all: Timing | None  # every page together
    upload_checks: Timing | None
    dedupe_searches: Timing | None
    storage: tuple[Timing, ...]  # per operation
    storage_errors: dict[str, int]  # "operation/kind" -> count
    pool: PoolFigures | None
    checks: tuple[CheckResult, ...]  # database, store

    @property
    def total_actions(self) -> int:
        return sum(a.count for a in self.actions)

    @property
    def total_trouble(self) -> int:
        return sum(a.trouble for a in self.actions)

    def storage_failures(self, operation: str) -> int:
        return sum(n for key, n in self.storage_errors.items() if key.startswith(f"{operation}/"))


def _one(histogram: Histogram) -> Timing | None:
    return next(iter(metrics.timings(histogram)), None)


def _actions() -> tuple[ActionFigures, ...]:
    """Per page and kind (view, action, ...): each action's own series are in Prometheus."""
    outcomes: dict[tuple[str, ...], dict[str, int]] = {}
    for (page, kind, _name, outcome), n in metrics.counts(metrics.ACTIONS).items():
        ended = outcomes.setdefault((page, kind), {})
        ended[outcome] = ended.get(outcome, 0) + n
    rows = []
    for timing in metrics.timings(metrics.ACTION_SECONDS, keep=("page", "kind")):
        ended = outcomes.get(timing.labels, {})
        page, kind = timing.labels
        refused = ended.get(metrics.REFUSED, 0)
        trouble = sum(n for outcome, n in ended.items() if outcome in metrics.TROUBLE)
        rows.append(
            ActionFigures(page, kind, timing.count, refused, trouble, timing.mean, timing.p95)
        )
    return tuple(rows)


def system_view(session: Session, *, actor: User | None, store: ObjectStore) -> SystemView:
    """This replica's figures since it started, and the health checks run now."""
    require_admin(actor)
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    checks = run_checks(
        {"database": lambda: check_database(engine), "store": lambda: check_store(store)},
        timeout=HEALTH_TIMEOUT,
    )
    return SystemView(
        sessions=metrics.active_sessions(),
        actions=_actions(),
        reruns=tuple(metrics.timings(metrics.RERUN_SECONDS)),
        rerun_all=next(iter(metrics.timings(metrics.RERUN_SECONDS, keep=())), None),
        upload_checks=_one(metrics.UPLOAD_CHECK_SECONDS),
        dedupe_searches=_one(metrics.DEDUPE_SEARCH_SECONDS),
        storage=tuple(metrics.timings(metrics.STORAGE_SECONDS)),
        storage_errors={"/".join(k): n for k, n in metrics.counts(metrics.STORAGE_ERRORS).items()},
        pool=metrics.pool_figures(engine),
        checks=tuple(checks),
    )
