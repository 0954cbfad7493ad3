"""Every field that holds or points at a person, and what the purge does with it: one declared
table the purge is driven by and the privacy officer can read.

tests/contest/test_privacy.py checks it against the models: every column that refers to a user
and every column whose name says it holds a person (name, e-mail, login, ...) is listed here or
in NOT_PERSONAL with a reason, and every table is in one of the two. A table or column added on
another branch fails that test until someone decides its fate here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Fate(StrEnum):
    FORGET = "forget"  # emptied (NULL, or "" for text) in the contest's rows
    PSEUDONYM = "pseudonym"  # non-winners: the person replaced by a pseudonym of the contest
    SCRUB = "scrub"  # JSON: the keys in SCRUBBED_KEYS removed from the contest's rows
    DELETE = "delete"  # the rows are deleted, except a lock still in force
    RESET = "reset"  # back to the column's default, except a lock still in force
    ACCOUNT = "account"  # replaced in an account no longer needed (core/pseudonyms.py)
    KEEP = "keep"  # kept, for the reason given


@dataclass(frozen=True)
class Field:
    table: str
    column: str
    fate: Fate
    why: str
    only: tuple[str, str] | None = None  # (column, value): only rows where column == value


PERSONAL: tuple[Field, ...] = (
    # Accounts: the roster. A person's account stays while they may still sign in; once it is
    # deactivated and no contest that is not purged refers to it (and it won nothing), the purge
    # of any contest replaces it by a pseudonym.
    Field("user", "employee_no", Fate.ACCOUNT, "identifies the person"),
    Field("user", "name", Fate.ACCOUNT, "identifies the person"),
    Field("user", "department", Fate.ACCOUNT, "identifies the person with the rest"),
    Field("user", "email", Fate.ACCOUNT, "identifies the person"),
    Field("user", "password_hash", Fate.ACCOUNT, "a credential of the person"),
    Field("user", "language", Fate.ACCOUNT, "a preference of the person"),
    # Failed sign-ins (accounts/throttle.py forgets them an hour after the last one anyway).
    Field("sign_in_throttle", "key", Fate.DELETE, "sign-in record (hash of account and address)"),
    Field("sign_in_throttle", "account", Fate.DELETE, "whose sign-in failed"),
    Field("sign_in_throttle", "address", Fate.DELETE, "hash of the client address"),
    Field("sign_in_throttle", "failed_logins", Fate.DELETE, "sign-in record"),
    Field("sign_in_throttle", "locked_until", Fate.DELETE, "sign-in record"),
    Field("sign_in_throttle", "last_failed_at", Fate.DELETE, "sign-in record"),
    # The contest's rows.
    Field("entry", "author_id", Fate.PSEUDONYM, "non-winners; winners stay as published"),
    Field("image_object", "uploaded_by", Fate.FORGET, "the entry says whose it is"),
    Field("vote", "voter_id", Fate.FORGET, "who voted for what; the vote still counts"),
    Field("vote_event", "voter_id", Fate.FORGET, "who voted for what; the count stays"),
    Field("vote_event", "actor_id", Fate.FORGET, "the voter, or the admin who voided"),
    Field("vote_event", "reason", Fate.FORGET, "why a vote was voided names its voter"),
    Field("duplicate_flag", "decided_by", Fate.FORGET, "the decision and its reason stay"),
    Field("shortlist_item", "added_by", Fate.FORGET, "the reason stays"),
    Field(
        "judge_score",
        "judge_id",
        Fate.KEEP,
        "the jury's scores per judge; the sealed results record refers to judges by number",
    ),
    Field("result_snapshot", "created_by", Fate.FORGET, "the sealed record keeps a number"),
    Field("audit_event", "actor_id", Fate.FORGET, "the action stays, with the actor's role"),
    Field("audit_event", "target_id", Fate.FORGET, "a person acted on", ("target_type", "user")),
    Field("audit_event", "details", Fate.SCRUB, "voters and employee numbers in the details"),
    Field("display_link", "created_by", Fate.FORGET, "the kiosk link stays"),
    Field("display_link", "revoked_by", Fate.FORGET, "the kiosk link stays"),
    # Text people wrote: kept, as the record of what was decided and why (organisers are asked
    # to write reasons without naming anyone) and as the posters were published, with consent.
    Field("entry", "status_reason", Fate.KEEP, "why a poster was withdrawn or disqualified"),
    Field("entry", "description", Fate.KEEP, "the poster as published, with consent"),
    Field("duplicate_flag", "reason", Fate.KEEP, "why a flag was decided"),
    Field("shortlist_item", "reason", Fate.KEEP, "why a poster was added by hand"),
    Field("judge_score", "comment", Fate.KEEP, "the jury's comment on a poster"),
    Field("judge_score", "conflict_reason", Fate.KEEP, "why a judge stood aside"),
    Field("audit_event", "reason", Fate.KEEP, "why an organiser acted"),
)
# Keys of audit details that name a person (SCRUB); the actor's role is kept as actor_role.
SCRUBBED_KEYS = ("voter_id", "employee_no", "name", "email", "department")

# Columns whose names look personal but are not, and tables with no personal data at all.
NOT_PERSONAL: dict[tuple[str, str], str] = {
    ("contest", "name"): "the contest's name",
    ("contest", "organiser"): "an office (인천광역시장), not a person",
}
NO_PERSONAL_DATA: dict[str, str] = {
    "contest": "settings, windows and phases",
    "object_removal": "keys of stored objects gc is removing now",
    "certificate_number": "the ledger of certificate numbers; the entry says whose it is",
}

# Names that say a column holds a person; the test asks for a decision on each.
PERSONAL_NAMES = frozenset(
    {"name", "department", "email", "employee_no", "login", "ip", "ip_address", "user_agent"}
)
PERSONAL_SUFFIXES = ("_by", "_email", "_name", "_login", "_ip")


def fields(fate: Fate) -> list[Field]:
    return [field for field in PERSONAL if field.fate == fate]
