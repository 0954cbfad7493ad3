"""Ties in the finalise confirmation: each tie at stake named with its tier and posters and how
the contest's tie-break order settles it; where the order cannot, the admin puts the posters in
order and gives the reason (results.finalise records both)."""

from __future__ import annotations

import streamlit as st

from contest.contests.rules import TEXT_LIMITS
from contest.judging.method import Tie, TiedPoster
from ui.format import number
from ui.i18n import tr
from ui.notices import Kind
from ui.text import md

Fact = tuple[str, Kind]


def poster_label(poster: TiedPoster) -> str:
    return tr("panel.poster", number=poster.number, title=poster.title)


def tie_facts(ties: tuple[Tie, ...]) -> list[Fact]:
    """One fact per tie: the tier, the posters, and for each its award and how it was placed."""
    facts: list[Fact] = []
    for tie in ties:
        lines = [
            tr(
                "lifecycle.fact.tie",
                tier=md(tie.tier or ""),
                count=len(tie.posters),
                final=number(tie.final, 4),
            )
        ]
        lines += [
            "  - "
            + tr(
                "lifecycle.fact.tie_poster",
                poster=md(poster_label(p)),
                award=md(p.award) if p.award else tr("lifecycle.fact.no_award"),
                how=tr(f"results.tie.{p.tie}"),
            )
            for p in tie.posters
        ]
        facts.append(("\n".join(lines), "warning" if tie.open else "info"))
    return facts


def ask_decisions(ties: tuple[Tie, ...]) -> tuple[list[list[int]], str]:
    """For every tie the order cannot settle: the posters in the admin's order (best first),
    and one reason for the decisions. Only complete orders are handed on."""
    groups = [group for tie in ties for group in tie.open]
    if not groups:
        return [], ""
    st.markdown(f"**{tr('lifecycle.decide_title')}**")
    orders: list[list[int]] = []
    for n, group in enumerate(groups):
        labels = {p.entry_id: poster_label(p) for p in group}
        chosen = st.multiselect(
            tr("lifecycle.decide_order", tier=group[0].award or "", count=len(group)),
            list(labels),
            format_func=labels.__getitem__,
            key=f"tie_order_{n}",
            placeholder=tr("lifecycle.decide_placeholder"),
        )
        if len(chosen) == len(group):
            orders.append([int(entry_id) for entry_id in chosen])
    reason = st.text_input(
        tr("lifecycle.decide_reason"), key="tie_reason", max_chars=TEXT_LIMITS["reason"]
    )
    return orders, reason
