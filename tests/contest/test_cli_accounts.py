"""`python -m contest`: the commands an operator runs from the shell, as real subprocesses."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from contest.accounts import users as accounts
from contest.cli import COMMANDS, build_parser
from contest.core.models import Role
from contest.runtime import build_runtime
from tests.factories import TEST_SECRET, make_settings

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "first-admin-2026"


def run_cli(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTEST_")}
    env.update(CONTEST_DATA_DIR=str(data_dir), CONTEST_DEMO="false", CONTEST_SECRET_KEY=TEST_SECRET)
    return subprocess.run(
        [sys.executable, "-m", "contest", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_lists_the_commands(tmp_path: Path) -> None:
    done = run_cli(tmp_path, "--help")
    assert done.returncode == 0, done.stderr
    for command in COMMANDS:
        assert command in done.stdout


def commands_of(parser: argparse.ArgumentParser) -> set[str]:
    (subparsers,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(subparsers.choices)


def test_the_command_table_names_each_modules_commands() -> None:
    """A command loads only its own module: the table must say where each one is."""
    assert commands_of(build_parser()) == set(COMMANDS)
    for command, module in COMMANDS.items():
        assert commands_of(build_parser(command)) == {c for c, m in COMMANDS.items() if m == module}


@pytest.fixture
def admin_created(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    done = run_cli(
        data,
        "create-admin",
        "--employee-no",
        "A9001",
        "--name",
        "최유진",
        "--department",
        "총무과",
        "--email",
        "Admin@Incheon.go.kr",
        stdin=PASSWORD + "\n",
    )
    assert done.returncode == 0, done.stderr
    assert "A9001" in done.stdout
    return data


def test_create_admin_then_sign_in(admin_created: Path, tmp_path: Path) -> None:
    runtime = build_runtime(make_settings(tmp_path))
    try:
        with runtime.session() as session:
            user = accounts.authenticate(session, login="admin@incheon.go.kr", password=PASSWORD)
            assert user.role == Role.ADMIN.value and user.name == "최유진"
            assert not user.must_change_password
    finally:
        runtime.engine.dispose()


def test_create_admin_refuses_a_weak_password(tmp_path: Path) -> None:
    done = run_cli(
        tmp_path / "data",
        "create-admin",
        "--employee-no",
        "A9001",
        "--name",
        "관리자",
        "--department",
        "총무과",
        "--email",
        "admin@incheon.go.kr",
        "--password",
        "short",
    )
    assert done.returncode == 2
    assert "10 characters" in done.stderr or "10" in done.stderr


def test_import_roster_writes_the_initial_passwords(admin_created: Path, tmp_path: Path) -> None:
    csv_path, out = tmp_path / "roster.csv", tmp_path / "passwords.csv"
    csv_path.write_bytes(
        "사번,이름,부서,이메일\n5001,홍길동,총무과,hong@incheon.go.kr\n".encode("cp949")
    )
    options = ("--admin", "A9001", "--passwords-out", str(out))
    done = run_cli(admin_created, "import-roster", str(csv_path), *options)
    assert done.returncode == 0, done.stderr
    rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("employee_no") and rows[1].startswith("5001,홍길동")
    assert out.stat().st_mode & 0o077 == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("사번,이름,부서,이메일\n5002,김,총무과,not-mail\n", encoding="utf-8")
    done = run_cli(admin_created, "import-roster", str(bad), *options)
    assert done.returncode == 2 and "line 2" in done.stderr
