"""'Stay signed in' tokens, so a phone that scans one QR code after another signs in once, and
the per-user sign-in epoch that ends them.

A token names the user and an expiry and is signed (HMAC-SHA256) with CONTEST_SECRET_KEY over
the user's sign-in epoch and a fragment of their password hash. Signing out, a password change
or reset, a role change and (de)activation raise the epoch (``end_sign_ins``): every earlier
token is then worthless, and every open session, which remembers the epoch it signed in with,
is signed out on its next rerun. Rotating the secret key ends every token. Nothing is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col

from contest.core.authz import require_staff
from contest.core.ids import parse_id
from contest.core.models import User
from contest.core.timeutil import utcnow

LIFETIME = timedelta(hours=12)
# user id . expiry (unix seconds) . hex signature: anything else is ignored unread.
_TOKEN = re.compile(r"([0-9]{1,10})\.([0-9]{1,12})\.([0-9a-f]{64})")


def _signature(user: User, expires: int, secret: str) -> str:
    fragment = (user.password_hash or "")[-24:]
    message = f"{user.id}.{user.session_epoch}.{expires}.{fragment}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def issue_token(user: User, *, secret: str, now: datetime | None = None) -> str:
    expires = int(((now or utcnow()) + LIFETIME).timestamp())
    return f"{user.id}.{expires}.{_signature(user, expires, secret)}"


def user_for_token(
    session: Session, token: str, *, secret: str, now: datetime | None = None
) -> User | None:
    """The active user a valid, unexpired token of the current epoch names; None for anything
    else (a forged, expired, revoked or malformed token is simply not a sign-in)."""
    match = _TOKEN.fullmatch(token)
    if match is None:
        return None
    user_id, expiry, signature = parse_id(match[1]), int(match[2]), match[3]
    if user_id is None or expiry < (now or utcnow()).timestamp():
        return None
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    expected = _signature(user, expiry, secret)
    return user if hmac.compare_digest(expected, signature) else None


def end_sign_ins(session: Session, user: User) -> None:
    """End every stay-signed-in token and open session of ``user``: one atomic increment, so
    two revocations at once both count; ``user`` then carries the new epoch."""
    epoch = session.execute(
        update(User)
        .where(col(User.id) == user.id)
        .values(session_epoch=col(User.session_epoch) + 1)
        .returning(col(User.session_epoch))
        .execution_options(synchronize_session=False)
    ).scalar_one()
    set_committed_value(user, "session_epoch", epoch)


def sign_out(session: Session, *, actor: User | None) -> None:
    """Sign the user out everywhere: this browser, their other devices, every cookie."""
    end_sign_ins(session, require_staff(actor))


def session_current(user: User, epoch: int | None) -> bool:
    """Whether an open session that signed in at ``epoch`` may go on as ``user``."""
    return epoch is not None and epoch == user.session_epoch
