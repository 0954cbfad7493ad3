"""'Stay signed in' tokens, so a phone that scans one QR code after another signs in once.

A token names the user and an expiry and is signed (HMAC-SHA256) with CONTEST_SECRET_KEY over
a fragment of the user's password hash: changing or resetting the password, deactivating the
account or rotating the secret key makes every earlier token worthless. Nothing is stored.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from sqlmodel import Session

from contest.core.models import User
from contest.core.timeutil import utcnow

LIFETIME = timedelta(hours=12)


def _signature(user: User, expires: int, secret: str) -> str:
    message = f"{user.id}.{expires}.{(user.password_hash or '')[-24:]}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def issue_token(user: User, *, secret: str, now: datetime | None = None) -> str:
    expires = int(((now or utcnow()) + LIFETIME).timestamp())
    return f"{user.id}.{expires}.{_signature(user, expires, secret)}"


def user_for_token(
    session: Session, token: str, *, secret: str, now: datetime | None = None
) -> User | None:
    """The active user a valid, unexpired token names; None for anything else."""
    try:
        user_id, expires, signature = token.split(".")
        user = session.get(User, int(user_id))
        expiry = int(expires)
    except ValueError:
        return None
    if user is None or not user.is_active or expiry < (now or utcnow()).timestamp():
        return None
    expected = _signature(user, expiry, secret)
    return user if hmac.compare_digest(expected, signature) else None
