"""The award winners as the public page shows them; the admin's publish preview draws the same
board with the same function, so the preview is exactly what everyone will see."""

from __future__ import annotations

import streamlit as st

from contest.judging.publication import Board, Tier
from ui.disclosure import show_ai_use
from ui.i18n import tr
from ui.images import thumb_source
from ui.provenance import say
from ui.text import caption, md

PER_ROW = 3


def _tier(tier: Tier) -> None:
    st.subheader(md(tr("winners.tier", award=tier.name, places=tier.places)), anchor=False)
    if not tier.winners:
        st.caption(tr("winners.tier_empty"))
        return
    if len(tier.winners) != tier.places:
        st.caption(tr("winners.tier_count", count=len(tier.winners), places=tier.places))
    for start in range(0, len(tier.winners), PER_ROW):
        row = tier.winners[start : start + PER_ROW]
        for column, winner in zip(st.columns(PER_ROW), row, strict=False):
            with column.container(border=True):
                st.image(
                    thumb_source(winner.thumb_key),
                    alt=tr("image.alt", title=winner.title, theme=winner.theme),
                )
                st.markdown(f"**{md(f'{winner.number}. {winner.title}')}**")
                if winner.tied:
                    st.badge(tr("winners.tied"), icon=":material/balance:", color="orange")
                caption(f"{winner.theme} · {winner.policy}")
                if winner.author:
                    caption(winner.author)
                caption(say(winner.ai_label))
                if winner.making is not None:
                    with st.expander(tr("making.heading")):
                        show_ai_use(winner.making, "entry.ai_tools")


def show_board(board: Board) -> None:
    """Every tier the contest defines, in order, ties shown as ties."""
    if not board.winners:
        st.info(tr("results.no_winners"))
    for tier in board.tiers:
        _tier(tier)
