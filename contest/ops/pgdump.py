"""pg_dump's custom format of the very snapshot the neutral backup reads (PostgreSQL only).

An extra for operators who restore PostgreSQL onto PostgreSQL with their usual tools
(``pg_restore``); ``python -m contest restore`` reads the neutral rows. The backup's transaction
exports its snapshot and pg_dump reads that one (``--snapshot``), so both hold the same data.
pg_dump must be at least the server's major version: the PostgreSQL 15 client is looked for
first, then PATH, unless a path is given.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import sqlalchemy as sa

PG_BIN_DIRS = ("/usr/lib/postgresql/15/bin",)


class PgDumpFailed(Exception):
    """pg_dump is missing, failed or ran out of time; the message says which."""


def find_pg_dump(explicit: str | None = None) -> str:
    if explicit:
        if not Path(explicit).is_file():
            raise PgDumpFailed(f"no pg_dump at {explicit}")
        return explicit
    for folder in PG_BIN_DIRS:
        candidate = Path(folder) / "pg_dump"
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("pg_dump")
    if not found:
        raise PgDumpFailed("pg_dump not found: install postgresql-client-15 or pass --pg-dump-path")
    return found


def libpq_target(url: str, connect_timeout: int) -> tuple[str, dict[str, str]]:
    """A libpq connection URL without the password, and the environment that carries it (a
    password on the command line would show in ``ps``)."""
    parsed = sa.engine.make_url(url)
    env = {"PGCONNECT_TIMEOUT": str(connect_timeout)}
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None, query={})
    return plain.render_as_string(hide_password=False), env


def dump(
    *,
    url: str,
    snapshot: str,
    out: Path,
    binary: str,
    timeout: float,
    connect_timeout: int = 5,
) -> None:
    """Write pg_dump's custom format of exported ``snapshot`` to ``out`` within ``timeout``."""
    target, env = libpq_target(url, connect_timeout)
    command = [binary, "--format=custom", f"--snapshot={snapshot}", f"--file={out}", target]
    try:
        done = subprocess.run(
            command,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise PgDumpFailed(f"pg_dump did not finish within {timeout:g} s") from exc
    if done.returncode != 0:
        raise PgDumpFailed(f"pg_dump failed: {done.stderr.strip()[:500]}")
