"""One poster (?entry=ID): the display copy, its texts, the vote button and its own link."""

import streamlit as st

from contest.contests.queries import get_contest
from contest.contests.windows import voting_window
from contest.core.errors import ContestError
from contest.core.timeutil import utcnow
from contest.voting.gallery import entry_detail
from contest.voting.votes import cast_vote, retract_vote, vote_state
from ui import auth, state
from ui.i18n import show_error, tr
from ui.images import display_source
from ui.runtime import get_runtime

runtime = get_runtime()
user = auth.current_user()
raw_id = st.query_params.get("entry", "")
if not raw_id.isdigit():
    st.info(tr("poster.no_entry"))
    st.page_link("pages/gallery.py", label=tr("poster.back"), icon=":material/arrow_back:")
    st.stop()
entry_id = int(raw_id)


def _vote(action: str) -> None:
    """Button callback: runs before the rerun renders, so the numbers below are fresh."""
    service = cast_vote if action == "cast" else retract_vote
    try:
        with runtime.session() as session:
            new = service(session, actor=user, entry_id=entry_id)
        st.session_state[state.VOTE_NOTICE] = tr(f"vote.{action}_done", left=new.left)
    except ContestError as error:
        st.session_state[state.VOTE_NOTICE] = error


try:
    with runtime.session() as session:
        poster = entry_detail(session, actor=user, entry_id=entry_id)
        votes = vote_state(session, actor=user, contest_id=poster.contest_id)
        contest = get_contest(session, poster.contest_id)
except ContestError as error:
    show_error(error)
    st.page_link("pages/gallery.py", label=tr("poster.back"), icon=":material/arrow_back:")
    st.stop()

st.page_link("pages/gallery.py", label=tr("poster.back"), icon=":material/arrow_back:")
if poster.status != "active":
    st.warning(tr("poster.status", status=tr(f"entry.status.{poster.status}")))
    if poster.status_reason:
        st.text(tr("poster.status_reason", reason=poster.status_reason))

picture, text = st.columns([3, 2])
picture.image(display_source(poster.display_key), width="stretch")
with text:
    st.caption(tr("poster.number", number=poster.number))
    st.subheader(poster.title)
    st.text(f"{poster.theme} · {poster.policy}")
    st.text(f"{tr('poster.department')}: {poster.department}")
    if poster.author_name:
        st.text(f"{tr('poster.author')}: {poster.author_name}")
    if poster.description:
        st.text(poster.description)

    with st.container(border=True, key="vote_box"):
        notice = st.session_state.pop(state.VOTE_NOTICE, None)
        if isinstance(notice, ContestError):
            show_error(notice)
        elif notice:
            st.success(notice, icon=":material/how_to_vote:")
        st.metric(tr("vote.left"), tr("vote.left_value", left=votes.left, budget=votes.budget))
        if poster.is_own:
            st.info(tr("vote.own_entry_note"), icon=":material/person:")
        elif entry_id in votes.voted_entry_ids:
            st.button(tr("vote.retract"), key="vote_retract", on_click=_vote, args=("retract",))
        elif poster.status == "active":
            st.button(
                tr("vote.button"), key="vote_cast", type="primary", on_click=_vote, args=("cast",)
            )
        if not voting_window(contest).contains(utcnow()):
            st.caption(tr("vote.closed_note"))

    st.markdown(f"**{tr('poster.disclosure')}**")
    st.text(
        ", ".join([*poster.ai_tools, *([poster.ai_tools_other] if poster.ai_tools_other else [])])
    )
    if poster.prompt:
        st.markdown(f"**{tr('entry.prompt')}**")
        st.text(poster.prompt)
    if poster.human_part:
        st.markdown(f"**{tr('entry.human_part')}**")
        st.text(poster.human_part)
    st.markdown(f"**{tr('poster.link')}**")
    st.code(runtime.settings.entry_link(poster.entry_id), language=None)
