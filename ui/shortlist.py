"""The lifecycle screen's tables: the shortlist (with changes by hand while it is open) and
judging progress per judge and per poster."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from contest.contests.rules import TEXT_LIMITS
from contest.judging import lifecycle
from contest.reports.views import LifecycleView
from ui import page
from ui.format import yes_no
from ui.i18n import tr
from ui.text import md


def _table(rows: Sequence[Mapping[str, Any]]) -> None:
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def shortlist(view: LifecycleView) -> None:
    """Every active poster with its votes, whether it is on the shortlist, how and why; while
    the shortlist is open, a form to add or remove one by hand."""
    st.subheader(tr("admin.shortlist"), anchor=False)
    if not view.entries:
        st.caption(tr("lifecycle.no_entries"))
        return
    _table(
        [
            {
                tr("results.col.number"): row.number,
                tr("results.col.title"): row.title,
                tr("results.col.votes"): row.votes,
                tr("admin.shortlisted"): yes_no(row.item is not None),
                tr("admin.source"): tr(f"shortlist.source.{row.item.source}") if row.item else "",
                tr("admin.reason"): row.item.reason if row.item else "",
            }
            for row in view.entries
        ]
    )
    if view.readiness.shortlist_open:
        _changes(view)


def _changes(view: LifecycleView) -> None:
    by_id = {row.entry_id: row for row in view.entries}
    with st.form("shortlist_change", enter_to_submit=False):
        entry_id = st.selectbox(
            tr("admin.entry"),
            list(by_id),
            format_func=lambda e: tr("panel.poster", number=by_id[e].number, title=by_id[e].title),
            placeholder=tr("common.choose"),
        )
        reason = st.text_input(tr("admin.reason"), max_chars=TEXT_LIMITS["reason"])
        left, right = st.columns(2)
        add = left.form_submit_button(tr("admin.shortlist_add"))
        remove = right.form_submit_button(tr("admin.shortlist_remove"))
    if add or remove:
        picked = by_id[entry_id]
        page.act(
            lifecycle.add_to_shortlist if add else lifecycle.remove_from_shortlist,
            contest_id=view.contest.id,
            entry_id=entry_id,
            reason=reason,
            done=tr(
                "admin.shortlist_added" if add else "admin.shortlist_removed",
                number=picked.number,
                title=md(picked.title),
            ),
        )


def judging_progress(view: LifecycleView) -> None:
    """Once there is a shortlist to judge: scores per judge and per poster."""
    progress = view.progress
    if not progress.entries:
        return
    st.subheader(tr("admin.progress_judges"), anchor=False)
    if progress.judges:
        _table(
            [
                {
                    tr("progress.judge"): f"{j.name} ({j.department})",
                    tr("progress.scored"): j.scored,
                    tr("progress.assigned"): j.assigned,
                    tr("progress.left"): j.assigned - j.scored,
                    tr("progress.conflicts"): j.conflicts,
                }
                for j in progress.judges
            ]
        )
    else:
        st.caption(tr("admin.chart.no_judges"))
    st.subheader(tr("admin.progress_entries"), anchor=False)
    _table(
        [
            {
                tr("results.col.number"): e.number,
                tr("results.col.title"): e.title,
                tr("progress.scores"): e.scored,
                tr("progress.eligible"): e.eligible - e.conflicts,
                tr("progress.conflicts"): e.conflicts,
                tr("progress.quorum", quorum=view.contest.judge_quorum): yes_no(e.quorum_met),
            }
            for e in progress.entries
        ]
    )
