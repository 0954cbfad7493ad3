"""Password hashing (argon2id) and one-time initial passwords."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's argon2id minimum (19 MiB, t=2): ~20 ms here, so a 5,000-person roster imports in ~2 min.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
# Letters and digits that cannot be confused when read off a printout (no 0/O, 1/l/I).
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
MIN_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def one_time_password(length: int = 12) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def password_problem(password: str, *, employee_no: str = "") -> str | None:
    """A message key if the new password is too weak, else None."""
    if len(password) < MIN_LENGTH:
        return "error.password.too_short"
    if password.isdigit() or password.isalpha():
        return "error.password.too_simple"
    if employee_no and employee_no in password:
        return "error.password.contains_id"
    return None
