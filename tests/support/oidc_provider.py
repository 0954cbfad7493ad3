"""A real OpenID Connect provider on 127.0.0.1: panva's oidc-provider from npm, installed by
`make test-deps` into tests/support/oidc/node_modules (package-lock.json pins it)."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.postgres import free_port

OIDC_DIR = Path(__file__).resolve().parent / "oidc"
CLIENT_ID = "poster-contest"
START_TIMEOUT = 30


@contextmanager
def oidc_provider(redirect_uri: str, client_secret: str, log: Path) -> Iterator[str]:
    """Yield the issuer URL (its metadata is at /.well-known/openid-configuration)."""
    node = shutil.which("node")
    if node is None or not (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        raise RuntimeError("node or oidc-provider missing: run `make test-deps`")
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [node, "server.mjs", str(port), redirect_uri, client_secret],
            cwd=OIDC_DIR,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while b"ready " not in log.read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"oidc-provider did not start:\n{log.read_text()}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
