"""moto's standalone S3-compatible server on 127.0.0.1, spoken to over real HTTP.

It runs in a process of its own, as a store does in production: inside the test process its
thread would share one interpreter lock with everything the tests do (a load generator, many
AppTest reruns), and an app under test would see its store stall for reasons no real store has.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from tests.support.postgres import free_port

START_SECONDS = 60.0


def _answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1.0)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def s3_server() -> Iterator[str]:
    """Yield the endpoint URL; boto3 reads the fake credentials from the environment."""
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + START_SECONDS
        while not _answers(port):  # a condition, polled: the server says when it listens
            if server.poll() is not None:
                raise RuntimeError(f"moto's server ended at start (exit {server.returncode})")
            if time.monotonic() > deadline:
                raise RuntimeError(f"moto's server did not listen within {START_SECONDS:.0f} s")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
