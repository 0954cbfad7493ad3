"""The award winners as the public page shows them; the admin's publish preview draws the same
board with the same function, so the preview is exactly what everyone will see. Each winner
shows how its final score was made, and the board says what weights its record used."""

from __future__ import annotations

import streamlit as st

from contest.judging.method import Explanation
from contest.judging.publication import Board, Tier, Winner
from ui.disclosure import show_ai_use
from ui.format import number
from ui.i18n import tr
from ui.images import thumb_source
from ui.provenance import say
from ui.text import caption, md

PER_ROW = 3


def _tier(tier: Tier, why_count: str | None) -> None:
    st.subheader(md(tr("winners.tier", award=tier.name, places=tier.places)), anchor=False)
    if not tier.winners:
        st.caption(tr("winners.tier_empty"))
        return
    if why_count is not None:
        st.caption(tr(f"winners.tier_{why_count}", count=len(tier.winners), places=tier.places))
    for start in range(0, len(tier.winners), PER_ROW):
        row = tier.winners[start : start + PER_ROW]
        for column, winner in zip(st.columns(PER_ROW), row, strict=False):
            with column.container(border=True):
                st.image(
                    thumb_source(winner.thumb_key),
                    alt=tr("image.alt", title=winner.title, theme=winner.theme),
                )
                said = tr("entry.heading", number=winner.number, title=winner.title)
                st.markdown(f"**{md(said)}**")  # "3번 제목": "3. 제목" reads as a rank
                if winner.tied:
                    st.badge(tr("winners.tied"), icon=":material/balance:", color="orange")
                caption(f"{winner.theme} · {winner.policy}")
                if winner.author:
                    caption(winner.author)
                st.caption(score_text(winner))
                caption(say(winner.ai_label))
                if winner.making is not None:
                    with st.expander(tr("making.heading")):
                        show_ai_use(winner.making, "entry.ai_tools")


def score_text(winner: Winner) -> str:
    """ "최종 8.00점 = 심사 9.00점 × 80% (7.20) + 투표 1표 4.00점 × 20% (0.80)"."""
    return tr(
        "winners.score",
        final=number(winner.final, 2),
        jury=number(winner.jury_score, 2),
        jury_part=number(winner.jury_part, 2),
        votes=winner.votes,
        vote_score=number(winner.vote_score, 2),
        vote_part=number(winner.vote_part, 2),
    )


def how_scored(explanation: Explanation) -> str:
    """How the final scores of one record were made, at that record's weights."""
    shares = {"jury": explanation.jury_percent, "votes": 100 - explanation.jury_percent}
    if explanation.version == 1:
        return tr("results.how.v1", **shares, worth=number(explanation.vote_worth, 2))
    return tr(
        "results.how.v2",
        **shares,
        low=number(explanation.low, 0),
        high=number(explanation.high, 0),
        reference=explanation.reference,
        top=explanation.top_votes,
        floor=explanation.floor,
        worth=number(explanation.vote_worth, 2),
        point=number(explanation.jury_weight, 2),
    )


def show_board(board: Board) -> None:
    """Every tier the contest defines, in order, ties shown as ties; then how the scores were
    made."""
    if not board.winners:
        st.info(tr("results.no_winners"))
    for index, tier in enumerate(board.tiers):
        _tier(tier, board.why_count(index))
    st.caption(how_scored(board.explanation))
