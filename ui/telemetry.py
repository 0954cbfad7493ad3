"""The web layer's share of the replica's figures (contest/core/metrics.py, core/logs.py):
every page run timed as a rerun, every view and action timed, counted and logged as one JSON
line, the browser sessions that ran a page lately counted, and the metrics endpoint started
once per process."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

import streamlit as st
from sqlalchemy.engine import Engine
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from contest.core import logs, metrics
from contest.core.config import Settings
from contest.core.errors import ContestError

ACTIVE_WINDOW = 300.0  # seconds: a session that ran a page this recently is active
_page: ContextVar[str] = ContextVar("contest_page", default="-")
_seen: dict[str, float] = {}  # session id -> when it last ran a page (monotonic)
_seen_lock = threading.Lock()


def active_sessions() -> int:
    """Sessions that ran a page in the last ACTIVE_WINDOW seconds (older ones are forgotten)."""
    cutoff = time.monotonic() - ACTIVE_WINDOW
    with _seen_lock:
        for session_id in [s for s, at in _seen.items() if at < cutoff]:
            del _seen[session_id]
        return len(_seen)


metrics.ACTIVE_SESSIONS.set_function(active_sessions)


@cache
def replica() -> str:
    """This replica in logs: host and Streamlit port."""
    return f"{socket.gethostname()}:{st.get_option('server.port')}"


def start(settings: Settings, engine: Engine) -> None:
    """Once per process and configuration (ui/runtime.py): JSON action logs, the pool of the
    engine in the figures, and the /metrics endpoint when CONTEST_METRICS_PORT is set."""
    logs.configure()
    metrics.watch_pool(engine)
    if settings.metrics_port is not None:
        metrics.serve(settings.metrics_port, settings.metrics_address)


def current_page() -> str:
    return _page.get()


@contextmanager
def page_run(page: str) -> Iterator[None]:
    """One run of a page's script (a rerun), timed whether it ends, stops or reruns."""
    ctx = get_script_run_ctx()
    if ctx is not None:
        with _seen_lock:
            _seen[ctx.session_id] = time.monotonic()
    token = _page.set(page)
    start_at = time.perf_counter()
    try:
        yield
    finally:
        metrics.RERUN_SECONDS.labels(page).observe(time.perf_counter() - start_at)
        _page.reset(token)


@contextmanager
def measured(kind: str, name: str) -> Iterator[None]:
    """One view, action or check: counted by outcome, timed, and logged as one JSON line.
    Streamlit's own stop and rerun pass through uncounted: they are not outcomes."""
    start_at = time.perf_counter()
    try:
        yield
    except ScriptControlException:
        raise
    except BaseException as error:
        _record(kind, name, time.perf_counter() - start_at, error)
        raise
    _record(kind, name, time.perf_counter() - start_at, None)


def _record(kind: str, name: str, seconds: float, error: BaseException | None) -> None:
    page, outcome = _page.get(), metrics.outcome_of(error)
    metrics.ACTIONS.labels(page, kind, name, outcome).inc()
    metrics.ACTION_SECONDS.labels(page, kind, name).observe(seconds)
    reason = None
    if error is not None:
        reason = error.key if isinstance(error, ContestError) else type(error).__name__
    logs.log_action(
        page=page,
        kind=kind,
        name=name,
        seconds=seconds,
        outcome=outcome,
        replica=replica(),
        error=reason,
    )
