"""A replica's /metrics endpoint scraped while colleagues use the app: the load bench's own
sessions (bench/bench_load.py: gallery, filter, a poster, a vote, over Streamlit's websocket)
run against a replica on PostgreSQL and S3 started with CONTEST_METRICS_PORT, and the scrape
taken in the middle shows the reruns, actions, store calls, database pool and sessions. The
replica's log holds one JSON line per view or action, without anyone's name."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import random
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.conftest import ROOT, AppSpec, streamlit_app
from tests.support.postgres import free_port

SESSIONS = 6
THINK = 0.5  # seconds between a session's steps: busier than people, to fill the histograms
pytestmark = pytest.mark.postgres


def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "bench_load.py")
    assert spec is not None and spec.loader is not None
    module = sys.modules["bench_load"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def scrape(port: int) -> dict[str, float]:
    """Every sample of the endpoint: "name{label=value,...}" -> value."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        text = response.read().decode()
    return {
        sample.name + json.dumps(sample.labels, sort_keys=True): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def total(samples: dict[str, float], metric: str, **labels: str) -> float:
    wanted = [f'"{k}": "{v}"' for k, v in labels.items()]
    return sum(
        value
        for key, value in samples.items()
        if key.startswith(metric + "{") and all(w in key for w in wanted)
    )


def run_load(module: ModuleType, base_url: str, world: Any, stop: threading.Event) -> Any:
    """The bench's sessions, each taking its rounds until ``stop`` is set."""
    stats = module.Stats(world.themes, world.entry_ids, world.budget, measuring=True)
    clients = [module.Session(base_url, user, stats) for user in world.users]

    async def live(n: int, client: Any) -> None:
        rng = random.Random(n)
        try:
            await client.connect()
            await client.act("open app")
            while True:
                await client.round(rng, THINK)
        except module.Stop:
            pass
        finally:
            if client.ws is not None:
                await client.ws.close()

    async def run() -> None:
        tasks = [asyncio.create_task(live(n, c)) for n, c in enumerate(clients)]
        await asyncio.to_thread(stop.wait)
        for client in clients:
            client.stop.set()
        await asyncio.gather(*tasks)

    asyncio.run(run())
    return stats


@pytest.fixture(scope="module")
def loaded_replica(
    pg_server: str, s3_endpoint: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Any, ModuleType, int, str, Path]]:
    module = bench()
    folder = tmp_path_factory.mktemp("metrics")
    world = module.seed(pg_server, s3_endpoint, SESSIONS, folder / "seed")
    port = free_port()
    # The figures are what this test reads, not S3's speed: the load shares two cores with
    # moto, so a read may take longer than production's 5-second deadline.
    env = {**world.env, "CONTEST_METRICS_PORT": str(port), "CONTEST_S3_READ_TIMEOUT": "30"}
    spec = AppSpec(folder / "app", env=env)
    with streamlit_app(spec) as base_url:
        yield world, module, port, base_url, spec.data_dir / f"streamlit-{spec.port}.log"


def test_metrics_while_colleagues_use_the_app(
    loaded_replica: tuple[Any, ModuleType, int, str, Path],
) -> None:
    world, module, port, base_url, log = loaded_replica
    stop = threading.Event()
    result: dict[str, Any] = {}
    load = threading.Thread(
        target=lambda: result.update(stats=run_load(module, base_url, world, stop))
    )
    load.start()
    try:
        # The endpoint opens with the replica's first page run; up to two minutes until every
        # kind of figure has arrived.
        during: dict[str, float] = {}
        for _ in range(240):
            try:
                during = scrape(port)
            except urllib.error.URLError:
                during = {}
            if total(during, "contest_action_seconds_count", name="cast_vote") >= 3:
                break
            stop.wait(0.5)
        assert load.is_alive(), "the load ended before the scrape"
    finally:
        stop.set()
        load.join(120)
    stats = result["stats"]
    assert stats.finished > 0 and not stats.errors, stats.errors

    # Histograms with observations, taken while the sessions were running.
    assert total(during, "contest_rerun_seconds_count", page="gallery") > 0
    assert total(during, "contest_rerun_seconds_bucket", page="gallery", le="+Inf") > 0
    assert total(during, "contest_action_seconds_count", name="gallery_view") > 0
    assert total(during, "contest_action_seconds_count", name="cast_vote") >= 3
    assert total(during, "contest_actions_total", outcome="ok") > 0
    assert total(during, "contest_storage_seconds_count") > 0  # presigned image links
    assert total(during, "contest_db_pool_limit") > 0
    assert "contest_db_pool_connections" in "".join(during)
    assert total(during, "contest_active_sessions") >= 1
    after = scrape(port)
    assert total(after, "contest_rerun_seconds_count") >= total(
        during, "contest_rerun_seconds_count"
    )

    # One JSON line per view or action, with the fields a collector counts, and no person.
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert lines and {"cast_vote", "gallery_view"} <= {line["action"] for line in lines}
    assert all(
        {"time", "page", "kind", "action", "duration_ms", "outcome", "replica"} <= set(line)
        for line in lines
    )
    text = log.read_text()
    assert "직원" not in text and "L0000" not in text and "@incheon.go.kr" not in text
