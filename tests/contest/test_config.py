"""Settings refuse placeholder secrets outside demo mode."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from contest.core.config import Settings, check_auth_section


def test_placeholder_secret_key_is_refused_outside_demo_mode() -> None:
    with pytest.raises(ValidationError, match="CONTEST_SECRET_KEY"):
        Settings(demo=False, secret_key="change-me")
    assert Settings(demo=True, secret_key="change-me").demo
    assert not Settings(demo=False, secret_key="x" * 40).demo


@pytest.mark.parametrize("secret", ["", "change-me", "short-but-real"])
def test_placeholder_cookie_secret_is_refused_outside_demo_mode(secret: str) -> None:
    with pytest.raises(ValueError, match="cookie_secret"):
        check_auth_section({"cookie_secret": secret}, demo=False)
    check_auth_section({"cookie_secret": secret}, demo=True)


def test_a_long_random_cookie_secret_is_accepted() -> None:
    check_auth_section({"cookie_secret": "k3J9" * 10}, demo=False)


def test_environment_variables_with_the_contest_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTEST_STORAGE", "s3")
    monkeypatch.setenv("CONTEST_S3_BUCKET", "posters")
    monkeypatch.setenv("CONTEST_BASE_URL", "https://poster.incheon.go.kr/")
    settings = Settings()
    assert settings.storage == "s3" and settings.s3_bucket == "posters"
    assert settings.entry_link(7) == "https://poster.incheon.go.kr/?entry=7"
