"""The lifecycle screen's parts: where the contest stands, what each step will do in numbers,
and the confirmation every irreversible step opens before it acts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from contest.contests.rules import TEXT_LIMITS
from contest.judging import lifecycle, publication, results
from contest.judging.readiness import STEPS, Readiness
from contest.reports.audit_log import sentence
from contest.reports.views import LifecycleView
from ui import page, state
from ui.format import moment
from ui.i18n import lang, tr
from ui.notices import Kind
from ui.record import changes_list, show_changes
from ui.text import md
from ui.ties import ask_decisions, tie_facts
from ui.winners import show_board

Fact = tuple[str, Kind]  # a sentence, and how loudly to say it

# The step each phase has already passed (the stepper shows them as done).
DONE_BY_PHASE = {
    "open": 0,
    "voting_closed": 1,
    "shortlisted": 2,
    "shortlist_locked": 3,
    "judging": 4,
    "judging_closed": 5,
    "finalised": 6,
}


def where_it_stands(view: LifecycleView) -> None:
    """The phase, every step in order, and the one step that comes next with its button (and
    the confirmation it opens)."""
    ready = view.readiness
    if ready.published:
        _published(view)
        return
    st.subheader(tr("lifecycle.where", phase=tr(f"phase.{ready.phase.value}")), anchor=False)
    show_changes(ready.changes)
    stepper(ready)
    if ready.steps:
        first, *others = ready.steps
        with st.container(border=True):
            st.markdown(f"**{tr('lifecycle.next_title', step=tr(f'lifecycle.step.{first}'))}**")
            say(facts(first, view))
            _step_button(first, type="primary", icon=":material/flag:")
            for step in others:
                st.caption(tr(f"lifecycle.{step}_note"))
                _step_button(step)
    confirm(view, ready.steps)


def _published(view: LifecycleView) -> None:
    """Once published every step is done: say so and since when, and offer withdrawing the
    publication as a correction, not as the contest's next step."""
    winners = len(view.preview.board.winners) if view.preview else 0
    st.subheader(tr("lifecycle.published_title"), anchor=False)
    at = moment(view.contest.published_at, view.contest.timezone)
    st.success(tr("lifecycle.published_since", at=at, count=winners), icon=":material/campaign:")
    show_changes(view.readiness.changes)
    stepper(view.readiness)
    with st.container(border=True):
        st.markdown(f"**{tr('lifecycle.unpublish_title')}**")
        st.caption(tr("lifecycle.unpublish_note"))
        say(facts("unpublish", view))
        _step_button("unpublish", icon=":material/undo:")
    confirm(view, view.readiness.steps)


def _step_button(step: str, **style: Any) -> None:
    st.button(tr(f"lifecycle.open.{step}"), key=f"step_{step}", on_click=ask, args=(step,), **style)


def history(view: LifecycleView) -> None:
    """The steps taken so far, as sentences."""
    st.subheader(tr("lifecycle.history"), anchor=False)
    if view.history:
        st.markdown("\n".join(f"- {md(sentence(line, lang()))}" for line in view.history))
    else:
        st.caption(tr("lifecycle.history_empty"))


def stepper(readiness: Readiness) -> None:
    """Every step in order: done, the next one, the ones after."""
    done = DONE_BY_PHASE[readiness.phase.value] + (1 if readiness.published else 0)
    for column, (n, step) in zip(st.columns(len(STEPS)), enumerate(STEPS), strict=True):
        label = tr(f"lifecycle.step.{step}")
        if n < done:
            column.markdown(f"✓ {label}")
            column.caption(tr("lifecycle.done"))
        elif n == done:
            column.markdown(f"**▶ {label}**")
            column.caption(tr("lifecycle.next"))
        else:
            column.markdown(f"○ {label}")
            column.caption(tr("lifecycle.later"))


def facts(step: str, view: LifecycleView) -> list[Fact]:
    """What ``step`` will do and what it leaves behind, in numbers."""
    r, tz = view.readiness, view.contest.timezone
    warn: Kind = "warning"
    said: list[Fact] = []
    unjudgeable = (tr("lifecycle.fact.unjudgeable", count=r.unjudgeable), warn)
    match step:
        case "close_voting":
            said.append(
                (
                    tr("lifecycle.fact.votes", votes=r.votes, voters=r.voters),
                    "info",
                )
            )
            said.append((tr("lifecycle.fact.entries", count=r.active_entries), "info"))
            if r.closes_early:
                said.append(
                    (tr("lifecycle.fact.early", closes=moment(r.voting_closes_at, tz)), warn)
                )
        case "build_shortlist":
            said.append(
                (
                    tr(
                        "lifecycle.fact.shortlist",
                        count=r.would_shortlist,
                        size=r.shortlist_size,
                        cut=r.cut_votes,
                    ),
                    "info",
                )
            )
            if r.would_shortlist > r.shortlist_size:
                said.append(
                    (
                        tr(
                            "lifecycle.fact.ties_at_cut",
                            extra=r.would_shortlist - r.shortlist_size,
                            size=r.shortlist_size,
                            count=r.would_shortlist,
                        ),
                        warn,
                    )
                )
        case "lock_shortlist":
            said.append((tr("lifecycle.fact.lock", count=r.shortlisted), "info"))
            if r.unjudgeable:
                said.append(unjudgeable)
        case "open_judging":
            said.append((tr("lifecycle.fact.open", judges=r.judges, count=r.shortlisted), "info"))
            if r.unjudgeable:
                said.append(unjudgeable)
        case "close_judging":
            said.append(
                (
                    tr("lifecycle.fact.unscored", count=r.unscored, total=r.shortlisted),
                    warn if r.unscored else "info",
                )
            )
            said.append(
                (
                    tr("lifecycle.fact.unfinished", count=r.judges_unfinished, total=r.judges),
                    warn if r.judges_unfinished else "info",
                )
            )
            said.append(
                (
                    tr(
                        "lifecycle.fact.below_quorum",
                        count=r.below_quorum,
                        quorum=view.contest.judge_quorum,
                    ),
                    warn if r.below_quorum else "info",
                )
            )
            if r.unjudgeable:
                said.append(unjudgeable)
        case "finalise" | "refinalise":
            said.append(
                (
                    tr("lifecycle.fact.ranked", ranked=r.ranked, total=r.shortlisted),
                    warn if r.ranked < r.shortlisted else "info",
                )
            )
            said.append(
                (
                    tr("lifecycle.fact.awards", awarded=r.awarded, places=r.award_places),
                    "info",
                )
            )
            if r.tied:
                said.append((tr("lifecycle.fact.awards_shared", tied=r.tied), "info"))
            if r.below_quorum:
                said.append(
                    (
                        tr(
                            "lifecycle.fact.below_quorum",
                            count=r.below_quorum,
                            quorum=view.contest.judge_quorum,
                        ),
                        warn,
                    )
                )
            said += tie_facts(r.ties)
            if r.changes:
                said.append(
                    (f"{tr('lifecycle.fact.changes')}\n{changes_list(r.changes, '  ')}", warn)
                )
        case "publish":
            winners = len(view.preview.board.winners) if view.preview else 0
            said.append((tr("lifecycle.fact.publish", count=winners), "info"))
        case "unpublish":
            winners = len(view.preview.board.winners) if view.preview else 0
            said.append((tr("lifecycle.fact.unpublish", count=winners), warn))
    said.append((tr(f"lifecycle.consequence.{step}"), "info"))
    return said


def say(found: list[Fact]) -> None:
    """Warnings together in one box first, then the plain facts as a list."""
    warnings = [text for text, kind in found if kind == "warning"]
    if warnings:
        st.warning("\n".join(f"- {text}" for text in warnings), icon=":material/warning:")
    st.markdown("\n".join(f"- {text}" for text, kind in found if kind != "warning"))


# What each step runs, and whether it asks for a reason (always, or only when closing early).
ACTIONS: dict[str, Callable[..., Any]] = {
    "close_voting": lifecycle.close_voting,
    "build_shortlist": lifecycle.build_shortlist,
    "lock_shortlist": lifecycle.lock_shortlist,
    "open_judging": lifecycle.open_judging,
    "close_judging": lifecycle.close_judging,
    "finalise": results.finalise,
    "refinalise": results.finalise,
    "unpublish": publication.unpublish,
}


def _needs_reason(step: str, view: LifecycleView) -> bool:
    if step == "close_voting":
        return view.readiness.closes_early
    return step in ("refinalise", "unpublish")


def ask(step: str) -> None:
    """A step's button: open its confirmation (it stays open across reruns until answered)."""
    st.session_state[state.CONFIRMING] = step


def _forget() -> None:
    st.session_state.pop(state.CONFIRMING, None)


def _confirm_body(step: str, view: LifecycleView) -> None:
    say(facts(step, view))
    if step == "publish" and view.preview is not None:
        st.subheader(tr("lifecycle.preview"), anchor=False)
        st.caption(
            tr(
                "lifecycle.preview_note",
                at=moment(view.preview.finalised_at, view.contest.timezone),
                hash=view.preview.content_hash[:12],
            )
        )
        with st.container(border=True):
            show_board(view.preview.board)
    extra: dict[str, Any] = {}
    if _needs_reason(step, view):
        extra["reason"] = st.text_input(
            tr("lifecycle.reason"),
            key=f"confirm_reason_{step}",
            max_chars=TEXT_LIMITS["reason"],
        )
    if step == "publish" and view.preview is not None:
        extra["snapshot_id"] = view.preview.snapshot_id
    if step in ("finalise", "refinalise"):
        extra["decisions"], extra["decision_reason"] = ask_decisions(view.readiness.ties)
    left, right = st.columns(2)
    if left.button(
        tr(f"lifecycle.confirm.{step}"), type="primary", key=f"confirm_{step}", width="stretch"
    ):
        action = publication.publish if step == "publish" else ACTIONS[step]
        done = page.act(
            action,
            contest_id=view.contest.id,
            done=tr(f"lifecycle.done.{step}", name=view.contest.name),
            rerun=False,
            **extra,
        )
        if done is None:  # refused: say why here, and keep the question open
            page.notices()
        else:
            _forget()
            st.rerun()
    if right.button(tr("lifecycle.cancel"), key=f"cancel_{step}", width="stretch"):
        _forget()
        st.rerun()


def confirm(view: LifecycleView, offered: tuple[str, ...]) -> None:
    """The open confirmation, if its step is still one of ``offered``: the consequences in
    numbers, then act or cancel."""
    step = st.session_state.get(state.CONFIRMING)
    if step is None:
        return
    if step not in offered:  # the contest moved on meanwhile
        _forget()
        return
    dialog = st.dialog(tr(f"lifecycle.ask.{step}"), width="large", on_dismiss=_forget)
    dialog(_confirm_body)(step, view)
