"""The habits every page shares: the signed-in user, running the screen's one view, running an
action for a button, and telling the user what happened (notices survive the rerun)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from contest.core.errors import Busy, ContestError
from contest.core.models import User
from ui import auth
from ui.i18n import error_text
from ui.notices import notices, notify, show, stop_with
from ui.runtime import get_runtime
from ui.telemetry import measured

T = TypeVar("T")
FAVICON = str(Path(__file__).with_name("favicon.png"))  # the browser tab's icon
__all__ = [
    "Refusal",
    "act",
    "attempt",
    "call",
    "deferred",
    "header",
    "load",
    "notices",
    "notify",
    "public",
    "show",
    "signed_in",
    "stop_with",
]


def signed_in() -> User:
    """The signed-in user; app.py routes only signed-in users to pages, so this never stops."""
    user = auth.current_user()
    if user is None:
        st.stop()
    return user


def _runtime_arguments(function: Callable[..., Any]) -> dict[str, Any]:
    """The process-wide parts a service asks for by name: store, indexes, settings."""
    runtime = get_runtime()
    wanted = inspect.signature(function).parameters
    parts = {"store": runtime.store, "indexes": runtime.indexes, "settings": runtime.settings}
    return {name: value for name, value in parts.items() if name in wanted}


def call(function: Callable[..., T], /, *, as_kind: str = "call", **kwargs: Any) -> T:
    """Run a view or action as the signed-in user in one short unit of work; timed, counted
    and logged as ``as_kind`` (view, action, check) by ui/telemetry.py."""
    with measured(as_kind, function.__name__), get_runtime().session() as session:
        return function(session, actor=signed_in(), **_runtime_arguments(function), **kwargs)


def deferred(function: Callable[..., T], /, **kwargs: Any) -> Callable[[], T]:
    """``function`` to run later as the user signed in now: a download made when its button is
    clicked (Streamlit calls it on another thread, where the session is out of reach)."""
    user, runtime = signed_in(), get_runtime()
    parts = _runtime_arguments(function)

    def run() -> T:
        with measured("download", function.__name__), runtime.session() as session:
            return function(session, actor=user, **parts, **kwargs)

    return run


def load(view: Callable[..., T], /, **kwargs: Any) -> T:
    """The screen's view; if it refuses, the page shows why and stops there."""
    try:
        return call(view, as_kind="view", **kwargs)
    except ContestError as error:
        show(error_text(error), "error")
        st.stop()


def public(view: Callable[..., T], /, **kwargs: Any) -> T:
    """A view for someone who need not be signed in (a visitor, a kiosk screen): the caller
    passes what the view checks instead (``actor=None``, a kiosk link's token)."""
    try:
        with measured("view", view.__name__), get_runtime().session() as session:
            return view(session, **_runtime_arguments(view), **kwargs)
    except ContestError as error:
        show(error_text(error), "error")
        st.stop()


@dataclass(frozen=True)
class Refusal:
    """Why a check said no, in the user's language; ``lasting`` False when the same check may
    pass in a moment (the server was busy), so the page asks again instead of keeping it."""

    text: str
    lasting: bool


def attempt(function: Callable[..., T], /, **kwargs: Any) -> T | Refusal:
    """Run a check whose refusal belongs on the screen (a file failing the upload checks): the
    result, or the refusal."""
    try:
        return call(function, as_kind="check", **kwargs)
    except ContestError as error:
        return Refusal(error_text(error), lasting=not isinstance(error, Busy))


def act(
    action: Callable[..., T],
    /,
    *,
    done: str | Callable[[T], str] | None = None,
    rerun: bool = True,
    **kwargs: Any,
) -> T | None:
    """Run one button's action. On success ``done`` (a message, or a function of the result)
    becomes the notice after the rerun; a refusal becomes an error notice. ``rerun=False``
    inside widget callbacks (they run before the page, which then draws fresh data anyway)."""
    try:
        result = call(action, as_kind="action", **kwargs)
    except ContestError as error:
        notify(error_text(error), "error")
        result = None
    else:
        if done:
            notify(done(result) if callable(done) else done)
    if rerun:
        st.rerun()
    return result


def header(title: str) -> None:
    """The page title, then whatever the last action has to say."""
    st.title(title)
    notices()
