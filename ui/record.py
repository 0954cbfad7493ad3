"""Whether a results record still holds, said plainly: what changed since it was made (the
lifecycle screen and the results page), and the integrity check of one record."""

from __future__ import annotations

import streamlit as st

from contest.judging.record import Change, RecordCheck
from ui import page
from ui.i18n import lang, tr
from ui.text import md


def changes_list(changes: tuple[Change, ...], indent: str = "") -> str:
    """The changes as a Markdown list (nested by ``indent``), typed text escaped."""
    return "\n".join(f"{indent}- {md(change.text(lang()))}" for change in changes)


def show_changes(changes: tuple[Change, ...]) -> None:
    """A warning when the finalised record no longer matches the data, naming each change."""
    if changes:
        st.warning(
            f"{tr('record.outdated', count=len(changes))}\n\n{changes_list(changes)}",
            icon=":material/sync_problem:",
        )


def show_check(check: RecordCheck | None) -> None:
    """The integrity check's answer: the record sealed or not, and what changed since."""
    if check is None:
        return
    if not check.sealed:
        page.show(tr("results.verified_bad", id=check.snapshot_id), "error")
    elif check.changes:
        page.show(
            f"{tr('record.changed_since', id=check.snapshot_id, count=len(check.changes))}\n\n"
            f"{changes_list(check.changes)}",
            "warning",
        )
    else:
        page.show(tr("results.verified_ok", id=check.snapshot_id), "success")
