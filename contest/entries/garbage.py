"""Objects no database row refers to: left by a crash between the object write and the commit.

Run it when no upload is in flight (for instance at night): an upload writes its objects a
moment before its row commits, and for that moment they look unreferenced.
"""

from __future__ import annotations

from sqlmodel import Session, select

from contest.core.models import ImageObject
from contest.entries.objects import PREFIXES
from storage import ObjectStore


def referenced_keys(session: Session) -> set[str]:
    keys: set[str] = set()
    for original, display, thumb in session.exec(
        select(ImageObject.original_key, ImageObject.display_key, ImageObject.thumb_key)
    ).all():
        keys.update((original, display, thumb))
    return keys


def orphaned_keys(session: Session, store: ObjectStore) -> list[str]:
    referenced = referenced_keys(session)
    return [key for prefix in PREFIXES for key in store.list(prefix) if key not in referenced]


def collect_garbage(session: Session, store: ObjectStore, *, delete: bool) -> list[str]:
    """Return the orphaned keys; with ``delete``, remove them too."""
    orphans = orphaned_keys(session, store)
    if delete:
        for key in orphans:
            store.delete(key)
    return orphans
