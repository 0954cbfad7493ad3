"""Accounts that stand for a person no longer named: what the purge puts in place of a
non-winning author (one per contest and author) and what an account no longer needed becomes.

A pseudonym keeps the rows that point at it valid (entries, scores) and says nothing about the
person: no employee number, name, department, e-mail or password, never active. Screens show no
name or department for it (contests/visibility.py), and the user list leaves it out.
"""

from __future__ import annotations

import secrets

from contest.core.models import Role, User

DOMAIN = "pseudonym.invalid"  # .invalid never resolves (RFC 2606)
PREFIX = "anon-"


def new_code() -> str:
    return secrets.token_hex(5).upper()


def is_pseudonym(user: User) -> bool:
    return user.email.endswith(f"@{DOMAIN}")


def pseudonymise(user: User, code: str | None = None) -> User:
    """``user`` (a new row when None is given to ``pseudonym_account``) with everything that
    named the person replaced; role and id stay."""
    code = code or new_code()
    user.employee_no = f"{PREFIX}{code}"
    user.name = f"{PREFIX}{code}"
    user.department = ""
    user.email = f"{PREFIX}{code.lower()}@{DOMAIN}"
    user.password_hash = None
    user.must_change_password = True
    user.is_active = False
    user.language = None
    return user


def pseudonym_account() -> User:
    """A new, inactive staff account standing for one person in one contest."""
    return pseudonymise(User(employee_no="", name="", department="", email="", role=Role.STAFF))
