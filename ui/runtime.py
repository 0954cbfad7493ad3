"""One Runtime (engine, object store, duplicate index) per process and settings."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from contest.core.config import Settings
from contest.demo.seed import seed_demo
from contest.runtime import Runtime, build_runtime
from ui import telemetry


@st.cache_resource(show_spinner=False)
def _runtime_for(source: str) -> Runtime:
    """``source`` is only the cache key (a leading underscore would exclude it from the key)."""
    settings = Settings()
    if "base_url" not in settings.model_fields_set:
        # Unset, links and QR codes name the port this server listens on, not always 8501.
        port = int(st.get_option("server.port"))
        settings = settings.model_copy(update={"base_url": f"http://localhost:{port}"})
    runtime = build_runtime(settings)
    telemetry.start(settings, runtime.engine)
    if settings.demo:
        seed_demo(runtime)
    return runtime


def _settings_source() -> str:
    """What Settings() is read from: the CONTEST_* variables, .env and the folder.

    Cheap to compute (building Settings() takes ~2 ms, and pages ask for the runtime once per
    image), yet it changes whenever the settings could, so tests that change CONTEST_* get
    their own runtime.
    """
    env = sorted((k, v) for k, v in os.environ.items() if k.startswith("CONTEST_"))
    dotenv = Path(".env")
    stamp = dotenv.stat().st_mtime_ns if dotenv.is_file() else None
    return repr((env, stamp, str(Path.cwd())))


def get_runtime() -> Runtime:
    return _runtime_for(_settings_source())
