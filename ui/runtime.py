"""One Runtime (engine, object store, duplicate index) per process and settings."""

from __future__ import annotations

import streamlit as st

from contest.config import Settings
from contest.demo import seed_demo
from contest.runtime import Runtime, build_runtime


@st.cache_resource(show_spinner=False)
def _runtime_for(settings_json: str) -> Runtime:
    settings = Settings.model_validate_json(settings_json)
    runtime = build_runtime(settings)
    if settings.demo:
        seed_demo(runtime)
    return runtime


def get_runtime() -> Runtime:
    """Keyed by the settings, so tests that change CONTEST_* get their own runtime."""
    return _runtime_for(Settings().model_dump_json())
