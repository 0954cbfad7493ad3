"""The Streamlit settings a replica's capacity depends on are the ones Streamlit reads from
.streamlit/config.toml (docs/deployment.md, How many replicas)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit import config

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project_config(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Streamlit's options as `streamlit run app.py` in the project folder parses them."""
    monkeypatch.chdir(ROOT)
    config.get_config_options(force_reparse=True)
    yield
    monkeypatch.undo()
    config.get_config_options(force_reparse=True)


@pytest.mark.usefixtures("project_config")
def test_no_full_garbage_collection_after_every_script_run() -> None:
    """On by default, it cost ~100 ms of CPU per rerun (8x the page's own work) and saturated a
    replica near 25 sessions (docs/benchmarks.md, Load)."""
    assert config.get_option("runner.postScriptGC") is False


@pytest.mark.usefixtures("project_config")
def test_replicas_do_not_watch_their_source_files() -> None:
    assert config.get_option("server.fileWatcherType") == "none"
    assert config.get_option("server.runOnSave") is False
