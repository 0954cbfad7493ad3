"""Admin: the lifecycle in one screen (where the contest stands, what happened, the one next
step with its confirmation), posters no judge may score and how to fix them, the shortlist and
judging progress."""

import pandas as pd
import streamlit as st

from contest.contests.rules import TEXT_LIMITS
from contest.core.models import ContestPhase
from contest.judging import lifecycle, panel
from contest.reports.audit_log import sentence
from contest.reports.views import lifecycle_view
from ui import page
from ui.format import yes_no
from ui.i18n import lang, tr
from ui.lifecycle import ask, confirm, facts, say, stepper
from ui.text import md

page.header(tr("nav.admin_judging"))
view = page.load(lifecycle_view)
ready, contest = view.readiness, view.contest
phase = ready.phase

# Where the contest stands, and the one step that comes next.
st.subheader(tr("lifecycle.where", phase=tr(f"phase.{phase.value}")), anchor=False)
if ready.published:
    st.caption(tr("lifecycle.published_note"))
stepper(ready)
step = ready.next_step
offered: tuple[str, ...] = ()
if step is not None:
    offered = (step,)
    with st.container(border=True):
        st.markdown(f"**{tr('lifecycle.next_title', step=tr(f'lifecycle.step.{step}'))}**")
        say(facts(step, view))
        st.button(
            tr(f"lifecycle.open.{step}"),
            type="primary",
            key=f"step_{step}",
            icon=":material/flag:",
            on_click=ask,
            args=(step,),
        )
        if phase == ContestPhase.FINALISED and not ready.published:
            offered += ("refinalise",)
            st.caption(tr("lifecycle.refinalise_note"))
            st.button(
                tr("lifecycle.open.refinalise"),
                key="step_refinalise",
                on_click=ask,
                args=("refinalise",),
            )
confirm(view, offered)

# Shortlisted posters no judge may score, with the two ways to fix each.
fixable = phase in panel.FIXABLE_PHASES
if fixable and ready.panel.unjudgeable:
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
                people = {p.user_id: f"{p.name} ({p.department})" for p in poster.candidates}
                chosen = st.selectbox(
                    tr("panel.appoint_who"),
                    list(people),
                    format_func=people.__getitem__,
                    index=None,
                    placeholder=tr("panel.appoint_placeholder"),
                    key=f"appoint_{poster.entry_id}",
                )
                if st.button(
                    tr("panel.appoint"), key=f"appoint_go_{poster.entry_id}", disabled=not chosen
                ):
                    page.act(
                        panel.appoint_judge,
                        contest_id=contest.id,
                        entry_id=poster.entry_id,
                        user_id=chosen,
                        done=tr(
                            "panel.appointed",
                            name=md(people.get(chosen or 0, "")),
                            number=poster.number,
                        ),
                    )
            with right:
                if phase != ContestPhase.SHORTLISTED:
                    st.caption(tr("panel.substitute_locked"))
                    continue
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
                    tr("panel.substitute"),
                    key=f"substitute_go_{poster.entry_id}",
                    disabled=not replacement,
                ):
                    page.act(
                        panel.substitute_entry,
                        contest_id=contest.id,
                        entry_id=poster.entry_id,
                        replacement_id=replacement,
                        reason=reason,
                        done=tr(
                            "panel.substituted",
                            old=poster.number,
                            new=substitutes[replacement or 0].number if replacement else "",
                        ),
                    )
elif fixable and ready.shortlisted:
    st.success(tr("panel.all_covered", judges=ready.judges), icon=":material/task_alt:")

# What happened so far.
st.subheader(tr("lifecycle.history"), anchor=False)
if view.history:
    st.markdown("\n".join(f"- {md(sentence(line, lang()))}" for line in view.history))
else:
    st.caption(tr("lifecycle.history_empty"))

# The shortlist: votes, who is on it and why; changes while it is still open.
st.subheader(tr("admin.shortlist"), anchor=False)
if not view.entries:
    st.caption(tr("lifecycle.no_entries"))
else:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    tr("results.col.number"): row.number,
                    tr("results.col.title"): row.title,
                    tr("results.col.votes"): row.votes,
                    tr("admin.shortlisted"): yes_no(row.item is not None),
                    tr("admin.source"): tr(f"shortlist.source.{row.item.source}")
                    if row.item
                    else "",
                    tr("admin.reason"): row.item.reason if row.item else "",
                }
                for row in view.entries
            ]
        ),
        hide_index=True,
        width="stretch",
    )
by_id = {row.entry_id: row for row in view.entries}
if by_id and phase == ContestPhase.SHORTLISTED:
    with st.form("shortlist_change"):
        entry_id = st.selectbox(
            tr("admin.entry"),
            list(by_id),
            format_func=lambda e: tr("panel.poster", number=by_id[e].number, title=by_id[e].title),
            placeholder=tr("common.choose"),
        )
        change_reason = st.text_input(tr("admin.reason"), max_chars=TEXT_LIMITS["reason"])
        left, right = st.columns(2)
        add = left.form_submit_button(tr("admin.shortlist_add"))
        remove = right.form_submit_button(tr("admin.shortlist_remove"))
    if add or remove:
        picked = by_id[entry_id]
        page.act(
            lifecycle.add_to_shortlist if add else lifecycle.remove_from_shortlist,
            contest_id=contest.id,
            entry_id=entry_id,
            reason=change_reason,
            done=tr(
                "admin.shortlist_added" if add else "admin.shortlist_removed",
                number=picked.number,
                title=md(picked.title),
            ),
        )

# Judging progress, per judge and per poster.
if view.progress.entries:
    st.subheader(tr("admin.progress_judges"), anchor=False)
    if view.progress.judges:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        tr("progress.judge"): f"{j.name} ({j.department})",
                        tr("progress.scored"): j.scored,
                        tr("progress.assigned"): j.assigned,
                        tr("progress.left"): j.assigned - j.scored,
                        tr("progress.conflicts"): j.conflicts,
                    }
                    for j in view.progress.judges
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption(tr("admin.chart.no_judges"))
    st.subheader(tr("admin.progress_entries"), anchor=False)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    tr("results.col.number"): e.number,
                    tr("results.col.title"): e.title,
                    tr("progress.scores"): e.scored,
                    tr("progress.eligible"): e.eligible - e.conflicts,
                    tr("progress.conflicts"): e.conflicts,
                    tr("progress.quorum", quorum=contest.judge_quorum): yes_no(e.quorum_met),
                }
                for e in view.progress.entries
            ]
        ),
        hide_index=True,
        width="stretch",
    )
