"""The lifecycle screen's list of shortlisted posters no judge may score, each with its two
fixes: appoint a judge, or (while the shortlist is open) put another poster in its place."""

from __future__ import annotations

import streamlit as st

from contest.contests.rules import TEXT_LIMITS
from contest.judging import panel
from contest.judging.panel import Substitute, Unjudgeable
from contest.reports.views import LifecycleView
from ui import page
from ui.i18n import tr
from ui.text import md


def unjudgeable_posters(view: LifecycleView) -> None:
    """Every poster no judge may score, or a word that every poster has a judge."""
    ready = view.readiness
    if not ready.panel_fixable:
        return
    if not ready.panel.unjudgeable:
        if ready.shortlisted:
            st.success(tr("panel.all_covered", judges=ready.judges), icon=":material/task_alt:")
        return
    st.subheader(tr("panel.title", count=ready.unjudgeable), anchor=False)
    st.caption(tr("panel.help"))
    substitutes = {s.entry_id: s for s in ready.panel.substitutes}
    for poster in ready.panel.unjudgeable:
        with st.container(border=True):
            st.markdown(f"**{md(tr('panel.poster', number=poster.number, title=poster.title))}**")
            why = [
                tr(f"panel.barrier.{b.barrier.value}", judge=b.judge.name) for b in poster.blocked
            ]
            st.caption(md(" · ".join(why) if why else tr("panel.no_judges")))
            left, right = st.columns(2)
            with left:
                _appoint(view, poster)
            with right:
                if ready.shortlist_open:
                    _substitute(view, poster, substitutes)
                else:
                    st.caption(tr("panel.substitute_locked"))


def _appoint(view: LifecycleView, poster: Unjudgeable) -> None:
    """Choose a staff member to appoint; one with posters of their own in the contest is marked,
    and the contest's rule may ask a reason for them (panel.appoint_judge checks)."""
    people = {
        p.user_id: tr(
            "panel.entrant_option" if p.entered else "panel.person_option",
            name=p.name,
            department=p.department,
        )
        for p in poster.candidates
    }
    names = {p.user_id: f"{p.name} ({p.department})" for p in poster.candidates}
    chosen = st.selectbox(
        tr("panel.appoint_who"),
        list(people),
        format_func=people.__getitem__,
        index=None,
        placeholder=tr("panel.appoint_placeholder"),
        key=f"appoint_{poster.entry_id}",
    )
    reason = st.text_input(
        tr("panel.appoint_reason"),
        key=f"appoint_reason_{poster.entry_id}",
        max_chars=TEXT_LIMITS["reason"],
        help=tr("panel.appoint_reason_help"),
    )
    if st.button(tr("panel.appoint"), key=f"appoint_go_{poster.entry_id}", disabled=not chosen):
        page.act(
            panel.appoint_judge,
            contest_id=view.contest.id,
            entry_id=poster.entry_id,
            user_id=chosen,
            reason=reason,
            done=tr("panel.appointed", name=md(names.get(chosen or 0, "")), number=poster.number),
        )


def _substitute(
    view: LifecycleView, poster: Unjudgeable, substitutes: dict[int, Substitute]
) -> None:
    replacement = st.selectbox(
        tr("panel.substitute_with"),
        list(substitutes),
        format_func=lambda e: tr(
            "panel.substitute_option",
            number=substitutes[e].number,
            title=substitutes[e].title,
            votes=substitutes[e].votes,
        ),
        index=None,
        placeholder=tr("panel.substitute_placeholder"),
        key=f"substitute_{poster.entry_id}",
    )
    reason = st.text_input(
        tr("admin.reason"),
        key=f"substitute_reason_{poster.entry_id}",
        max_chars=TEXT_LIMITS["reason"],
    )
    if st.button(
        tr("panel.substitute"), key=f"substitute_go_{poster.entry_id}", disabled=not replacement
    ):
        page.act(
            panel.substitute_entry,
            contest_id=view.contest.id,
            entry_id=poster.entry_id,
            replacement_id=replacement,
            reason=reason,
            done=tr(
                "panel.substituted",
                old=poster.number,
                new=substitutes[replacement].number if replacement else "",
            ),
        )
