"""Settings in one place, read from the environment (prefix CONTEST_) and an optional .env file.

Under ``streamlit run``, root-level keys of .streamlit/secrets.toml also arrive as environment
variables, so a deployment may keep CONTEST_* values there.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = frozenset(
    {"", "change-me", "changeme", "secret", "demo-secret", "xxx", "placeholder", "please-change"}
)
MIN_SECRET_LENGTH = 32
# A random secret's characters are spread out: python -c 'import secrets;
# print(secrets.token_urlsafe(32))' gives about 180 bits by the estimate below, 32 hex digits
# about 120. A letter repeated 32 times gives 0, "abcd" repeated 8 times 64.
MIN_SECRET_BITS = 96
MIN_SECRET_CHARACTERS = 10


def secret_bits(secret: str) -> float:
    """How much chance a secret's characters show: their Shannon entropy (by how often each
    occurs) times the length, in bits. Not proof of randomness, but it refuses the repeated,
    patterned and short values a person types when asked for one."""
    counts = Counter(secret)
    return -sum(n * math.log2(n / len(secret)) for n in counts.values())


def weak_secret(value: str) -> bool:
    """A placeholder, a value too short, or one too plain to sign anything (too few different
    characters, too little entropy): refused outside demo mode."""
    secret = value.strip()
    return (
        secret.lower() in PLACEHOLDER_SECRETS
        or len(secret) < MIN_SECRET_LENGTH
        or len(set(secret)) < MIN_SECRET_CHARACTERS
        or secret_bits(secret) < MIN_SECRET_BITS
    )


def check_auth_section(auth: Mapping[str, Any], *, demo: bool) -> None:
    """Refuse a placeholder or short [auth] cookie_secret outside demo mode.

    Every replica signs the sign-in cookie with it; a guessable value lets anyone forge one.
    """
    if not demo and weak_secret(str(auth.get("cookie_secret", ""))):
        raise ValueError(
            f"[auth] cookie_secret is a placeholder, shorter than {MIN_SECRET_LENGTH} characters "
            "or not random enough"
        )


class Settings(BaseSettings):
    """Everything that differs between a laptop demo and the city's production servers."""

    model_config = SettingsConfigDict(
        env_prefix="CONTEST_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    demo: bool = Field(
        False, description="Seed a demo contest and show demo credentials (make run sets it)."
    )
    data_dir: Path = Field(Path("data"), description="SQLite file and local objects live here.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; default SQLite in data_dir."
    )
    db_connect_timeout: int = Field(5, ge=1, le=60, description="PostgreSQL connect, seconds.")
    db_statement_timeout: int = Field(
        30, ge=1, le=3600, description="PostgreSQL: longest one statement may run, seconds."
    )
    db_pool_size: int = Field(10, ge=1, le=200, description="Connections kept per process.")
    db_max_overflow: int = Field(20, ge=0, le=200, description="Extra connections under load.")
    storage: Literal["local", "s3"] = "local"
    s3_endpoint_url: str | None = None
    s3_public_url: str | None = Field(
        None, description="Base address of image links for browsers; default s3_endpoint_url."
    )
    s3_bucket: str = "contest"
    s3_region: str = "us-east-1"
    s3_create_bucket: bool = False
    s3_presign_ttl: int = Field(3600, ge=60, le=7 * 24 * 3600)
    s3_connect_timeout: float = Field(3.0, gt=0, le=60)
    s3_read_timeout: float = Field(5.0, gt=0, le=300)
    s3_max_attempts: int = Field(2, ge=1, le=10, description="Tries per S3 call, first included.")
    base_url: str = "http://localhost:8501"
    metrics_port: int | None = Field(
        None,
        ge=0,
        le=65535,
        description="Port of this replica's Prometheus endpoint (/metrics); unset: off.",
    )
    metrics_address: str = Field(
        "127.0.0.1", description="Address the metrics endpoint listens on (the internal one)."
    )
    trusted_proxies: str = Field(
        "127.0.0.1,::1",
        description="Addresses (or networks) of the proxies whose X-Forwarded-For names the "
        "client, comma-separated: nginx in front of the replicas.",
    )
    secret_key: str = Field(
        "demo-secret",
        description="Signs stay-signed-in cookies and seeds each viewer's gallery order; "
        "the same long random value on every replica.",
    )

    c2pa_cert: Path | None = Field(
        None,
        description="PEM certificate chain (signing certificate first) to sign the served "
        "copies with a C2PA manifest naming the contest as publisher; unset: not signed.",
    )
    c2pa_key: Path | None = Field(None, description="The PEM private key of c2pa_cert.")
    c2pa_alg: Literal["es256", "es384", "ps256", "ed25519"] = "es256"
    c2pa_publisher: str = Field(
        "인천광역시 AI 혁신 포스터 경진대회", description="The publisher the manifest names."
    )

    @model_validator(mode="after")
    def _signing_needs_both(self) -> Settings:
        if (self.c2pa_cert is None) != (self.c2pa_key is None):
            raise ValueError("CONTEST_C2PA_CERT and CONTEST_C2PA_KEY go together")
        return self

    @model_validator(mode="after")
    def _refuse_weak_secret(self) -> Settings:
        if not self.demo and weak_secret(self.secret_key):
            raise ValueError(
                f"CONTEST_SECRET_KEY is a placeholder, shorter than {MIN_SECRET_LENGTH} "
                "characters or not random enough (a letter repeated, a short pattern); set a long "
                "random value, the same on every replica "
                "(python -c 'import secrets; print(secrets.token_urlsafe(32))'), "
                "or run with CONTEST_DEMO=true"
            )
        return self

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'contest.db').resolve()}"

    @property
    def objects_dir(self) -> Path:
        return self.data_dir / "objects"

    def entry_link(self, entry_id: int) -> str:
        """The link printed as a QR code beside a poster."""
        return f"{self.base_url.rstrip('/')}/?entry={entry_id}"
