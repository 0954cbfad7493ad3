"""Messages and notices in one place: what an action says survives the rerun it causes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, NoReturn

import streamlit as st

from ui import state

Kind = Literal["success", "info", "warning", "error"]
_SHOW: dict[Kind, Callable[..., Any]] = {
    "success": st.success,
    "info": st.info,
    "warning": st.warning,
    "error": st.error,
}
_ICONS: dict[Kind, str] = {
    "success": ":material/task_alt:",
    "info": ":material/info:",
    "warning": ":material/warning:",
    "error": ":material/error:",
}


def notify(message: str, kind: Kind = "success") -> None:
    """Show ``message`` at the top of the page after the next rerun."""
    st.session_state.setdefault(state.NOTICES, []).append((kind, message))


def show(message: str, kind: Kind = "info") -> None:
    _SHOW[kind](message, icon=_ICONS[kind])


def notices() -> None:
    """The notices left by the last action, once."""
    for kind, message in st.session_state.pop(state.NOTICES, []):
        show(message, kind)


def stop_with(message: str, kind: Kind = "info") -> NoReturn:
    show(message, kind)
    st.stop()
