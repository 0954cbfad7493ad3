"""Settings refuse placeholder, short or plain secrets outside demo mode; the demo is opt-in."""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from pydantic import ValidationError

from contest.core.config import (
    MIN_SECRET_BITS,
    MIN_SECRET_CHARACTERS,
    Settings,
    check_auth_section,
    secret_bits,
    weak_secret,
)
from tests.conftest import TEST_SECRET

ROOT = Path(__file__).resolve().parents[2]


def test_placeholder_secret_key_is_refused_outside_demo_mode() -> None:
    with pytest.raises(ValidationError, match="CONTEST_SECRET_KEY"):
        Settings(demo=False, secret_key="change-me")
    assert Settings(demo=True, secret_key="change-me").demo
    assert not Settings(demo=False, secret_key=RANDOM).demo


RANDOM = "Vb8-qR3xZt0_Lm9KcW2pYh7NsE5dUa4j"  # secrets.token_urlsafe(24)


@pytest.mark.parametrize("secret", ["abc", RANDOM[:31], " " + RANDOM[:31] + " "])
def test_a_short_secret_key_is_refused_outside_demo_mode(secret: str) -> None:
    with pytest.raises(ValidationError, match="shorter than 32"):
        Settings(demo=False, secret_key=secret)
    assert Settings(demo=False, secret_key=RANDOM).secret_key == RANDOM


@pytest.mark.parametrize(
    "secret",
    [
        "k" * 32,  # one letter repeated: it passed before
        "x" * 40,
        "ab" * 20,
        "k3J9" * 10,
        "password-password-password-passw",
        "0123456789" + "0" * 30,
    ],
)
def test_a_plain_secret_key_is_refused_outside_demo_mode(secret: str) -> None:
    with pytest.raises(ValidationError, match="not random enough"):
        Settings(demo=False, secret_key=secret)
    assert weak_secret(secret)
    assert secret_bits(secret) < MIN_SECRET_BITS or len(set(secret)) < MIN_SECRET_CHARACTERS


def test_generated_secrets_pass() -> None:
    for _ in range(200):
        assert not weak_secret(secrets.token_urlsafe(32))
        assert not weak_secret(secrets.token_hex(32))


def test_the_demo_is_off_unless_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONTEST_DEMO", raising=False)
    assert not Settings(secret_key=TEST_SECRET).demo
    monkeypatch.delenv("CONTEST_SECRET_KEY", raising=False)
    with pytest.raises(ValidationError, match="CONTEST_SECRET_KEY"):
        Settings()  # a deployment that forgot both variables does not start


def test_prepare_without_contest_demo_seeds_no_known_password(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTEST_")}
    env.update(CONTEST_DATA_DIR=str(tmp_path), CONTEST_SECRET_KEY=TEST_SECRET)
    done = subprocess.run(
        [sys.executable, "-m", "contest", "prepare"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "demo contest seeded" not in done.stdout
    with sqlite3.connect(tmp_path / "contest.db") as db:
        assert db.execute("SELECT count(*) FROM user").fetchone() == (0,)


def test_make_run_turns_the_demo_on_explicitly() -> None:
    dry = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    lines = dry.stdout.replace("\\\n", " ").splitlines()  # a command may go on over lines
    commands = [line for line in lines if "contest prepare" in line]
    commands += [line for line in lines if "streamlit run" in line]
    assert len(commands) == 2 and all("CONTEST_DEMO=true" in line for line in commands)


@pytest.mark.parametrize("secret", ["", "change-me", "short-but-real", "k3J9" * 10])
def test_placeholder_cookie_secret_is_refused_outside_demo_mode(secret: str) -> None:
    with pytest.raises(ValueError, match="cookie_secret"):
        check_auth_section({"cookie_secret": secret}, demo=False)
    check_auth_section({"cookie_secret": secret}, demo=True)


def test_a_long_random_cookie_secret_is_accepted() -> None:
    check_auth_section({"cookie_secret": RANDOM + "Q7"}, demo=False)


def test_environment_variables_with_the_contest_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTEST_STORAGE", "s3")
    monkeypatch.setenv("CONTEST_S3_BUCKET", "posters")
    monkeypatch.setenv("CONTEST_BASE_URL", "https://poster.incheon.go.kr/")
    settings = Settings()
    assert settings.storage == "s3" and settings.s3_bucket == "posters"
    assert settings.entry_link(7) == "https://poster.incheon.go.kr/?entry=7"


def test_the_example_secrets_file_cannot_be_used_unedited() -> None:
    example = tomllib.loads((ROOT / ".streamlit" / "secrets.toml.example").read_text())
    with pytest.raises(ValidationError, match="CONTEST_SECRET_KEY"):
        Settings(demo=example["CONTEST_DEMO"], secret_key=example["CONTEST_SECRET_KEY"])
