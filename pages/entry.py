"""One poster (?entry=ID): the display copy, its texts, the vote button and its own link. On a
phone (after a QR scan) the title and the vote box come first, above the poster."""

from collections.abc import Callable

import streamlit as st

from contest.core.ids import parse_id
from contest.voting.views import poster_view
from contest.voting.votes import VoteState, cast_vote, retract_vote
from ui import page, state
from ui.device import is_phone
from ui.disclosure import show_ai_use
from ui.format import moment
from ui.i18n import tr
from ui.images import display_source
from ui.nav import ENTRY_PARAM
from ui.poster import show_poster
from ui.provenance import show_ai_label
from ui.text import body, heading

back = {
    "page": "pages/gallery.py",
    "label": tr("poster.back"),
    "icon": ":material/arrow_back:",
    "query_params": st.session_state.get(state.GALLERY_QUERY, {}),  # where the gallery was
}
entry_id = parse_id(st.query_params.get(ENTRY_PARAM))
if entry_id is None:
    st.info(tr("poster.no_entry"))
    st.page_link(**back)
    st.stop()


def _left(key: str) -> Callable[[VoteState], str]:
    """The notice after a vote: what happened and how many votes are left."""
    return lambda votes: tr(key, left=votes.left)


def _cast_done(votes: VoteState) -> str:
    """After the last vote: that every vote is used, not "남은 투표권: 0표"."""
    return tr("vote.cast_done", left=votes.left) if votes.left else tr("vote.cast_done_spent")


page.notices()
st.page_link(**back)
view = page.load(poster_view, entry_id=entry_id)
poster, votes = view.poster, view.votes
if poster.status != "active":
    st.warning(tr("poster.status", status=tr(f"entry.status.{poster.status}")))
    if poster.status_reason:
        body(tr("poster.status_reason", reason=poster.status_reason))


def title() -> None:
    st.caption(tr("poster.number", number=poster.number))
    heading(poster.title)


def vote_box() -> None:
    """The vote button, or the vote already given; whichever is off says why."""
    with st.container(border=True, key="vote_box"):
        st.metric(tr("vote.left"), tr("vote.left_value", left=votes.left, budget=votes.budget))
        if view.voted:
            st.success(tr("vote.voted_note"), icon=":material/check_circle:")
            reason = view.cannot_retract
            if reason is None:
                st.button(
                    tr("vote.retract"),
                    key="vote_retract",
                    on_click=page.act,
                    args=(retract_vote,),
                    kwargs={
                        "entry_id": entry_id,
                        "done": _left("vote.retract_done"),
                        "rerun": False,
                    },
                )
        else:
            reason = view.cannot_vote
            st.button(
                tr("vote.button"),
                key="vote_cast",
                type="primary",
                disabled=reason is not None,
                on_click=page.act,
                args=(cast_vote,),
                kwargs={"entry_id": entry_id, "done": _cast_done, "rerun": False},
            )
        if reason:
            tz = view.timezone
            opens, closes = view.voting_opens_at, view.voting_closes_at
            st.caption(tr(reason, opens=moment(opens, tz), closes=moment(closes, tz)))


def picture() -> None:
    show_poster(
        display_source(poster.display_key),
        alt=tr("image.alt", title=poster.title, theme=poster.theme),
        key="entry_poster",
    )


def details() -> None:
    body(f"{poster.theme} · {poster.policy}")
    if poster.department:
        body(f"{tr('poster.department')}: {poster.department}")
    if poster.author_name:
        body(f"{tr('poster.author')}: {poster.author_name}")
    if poster.description:
        body(poster.description)


def disclosure() -> None:
    show_ai_label(poster.ai_label)
    if poster.prompt or poster.human_part:  # shared, or the viewer may read it anyway
        show_ai_use(poster, "making.heading")
    elif not poster.making_shared:
        st.caption(tr("making.not_shared"))
    st.markdown(f"**{tr('poster.link')}**")
    st.code(view.link, language=None)


if is_phone():
    for part in (title, vote_box, picture, details, disclosure):
        part()
else:
    left, right = st.columns([3, 2])
    with left:
        picture()
    with right:
        for part in (title, details, vote_box, disclosure):
            part()
