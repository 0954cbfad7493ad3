"""Domain errors. Each carries a message key so pages can show it in the user's language."""

from __future__ import annotations

from typing import Any


class ContestError(Exception):
    """Base of every error a page may show to a user.

    ``key`` names a string in contest/locales; ``params`` fill its placeholders.
    """

    default_key = "error.generic"

    def __init__(self, key: str | None = None, **params: Any) -> None:
        self.key = key or self.default_key
        self.params = params
        super().__init__(f"{self.key} {params}" if params else self.key)


class NotFound(ContestError):
    default_key = "error.not_found"


class PermissionDenied(ContestError):
    default_key = "error.permission_denied"


class NotSignedIn(PermissionDenied):
    default_key = "error.not_signed_in"


class InvalidInput(ContestError):
    default_key = "error.invalid_input"


class InvalidState(ContestError):
    """A lifecycle step was called out of order."""

    default_key = "error.invalid_state"


class WindowClosed(ContestError):
    default_key = "error.window_closed"


class LimitReached(ContestError):
    default_key = "error.limit_reached"


class BudgetExhausted(LimitReached):
    default_key = "error.budget_exhausted"


class Busy(ContestError):
    """Refused for now, not for good: the same request, made again in a moment, may pass."""

    default_key = "error.busy"


class InvalidImage(ContestError):
    default_key = "error.image.invalid"


class DuplicateSuspected(ContestError):
    default_key = "error.duplicate_suspected"


class AuthFailed(ContestError):
    default_key = "error.auth_failed"


class TooManyAttempts(AuthFailed):
    default_key = "error.too_many_attempts"


class StaleHashes(ContestError):
    """Stored perceptual hashes are of an older recipe; ``python -m contest rehash`` fixes it."""

    default_key = "error.dedupe.stale_hashes"


class StorageFailed(ContestError):
    """The object store refused or lost a write; nothing was kept."""

    default_key = "error.storage_failed"


class StorageUnavailable(StorageFailed):
    """The object store could not be reached or did not answer in time."""

    default_key = "error.storage_unavailable"


class DatabaseUnavailable(ContestError):
    """The database could not be reached or did not answer in time; the transaction was undone."""

    default_key = "error.database_unavailable"
