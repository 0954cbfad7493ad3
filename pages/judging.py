"""Judge: the blind shortlist, one poster large at a time, scored on the contest's rubric."""

import streamlit as st

from contest.contests.queries import require_current
from contest.core.errors import ContestError, InvalidState
from contest.core.models import ContestPhase
from contest.judging import scoring as judging
from ui import auth
from ui.i18n import show_error, tr
from ui.images import display_source
from ui.runtime import get_runtime

runtime = get_runtime()
user = auth.current_user()
st.title(tr("nav.judging"))
try:
    with runtime.session() as session:
        contest = require_current(session)
        queue = judging.judge_queue(session, actor=user, contest_id=contest.id or 0)
except InvalidState:
    st.info(tr("judging.not_open"))
    st.stop()
except ContestError as error:
    show_error(error)
    st.stop()
if not queue:
    st.info(tr("judging.empty"))
    st.stop()

scored = sum(item.scored for item in queue)
st.progress(scored / len(queue), text=tr("judging.progress", scored=scored, total=len(queue)))
st.caption(tr("judging.blind_note"))
editable = contest.phase == ContestPhase.JUDGING
if not editable:
    st.info(tr("judging.read_only"))

labels = {
    item.entry_id: f"#{item.number} {item.title} · "
    + tr("judging.scored_mark" if item.scored else "judging.open_mark")
    for item in queue
}
chosen = st.selectbox(
    tr("judging.choose"), list(labels), format_func=labels.__getitem__, key="judge_entry"
)
item = next(i for i in queue if i.entry_id == chosen)

left, right = st.columns([3, 2])
left.image(display_source(item.display_key))
with right:
    st.subheader(f"#{item.number} {item.title}")
    st.caption(f"{item.theme} · {item.policy}")
    if item.description:
        st.text(item.description)
    st.markdown(f"**{tr('judging.ai_disclosure')}**")
    st.text(", ".join([*item.ai_tools, *([item.ai_tools_other] if item.ai_tools_other else [])]))
    if item.prompt:
        st.markdown(f"**{tr('entry.prompt')}**")
        st.text(item.prompt)
    if item.human_part:
        st.markdown(f"**{tr('entry.human_part')}**")
        st.text(item.human_part)
    with st.form(f"score_{item.entry_id}"):
        scores = {
            c["key"]: st.slider(
                f"{c['label']} ({c['weight']})",
                int(c["min"]),
                int(c["max"]),
                int(item.scores.get(c["key"], (int(c["min"]) + int(c["max"])) // 2)),
                key=f"score_{item.entry_id}_{c['key']}",
                disabled=not editable,
            )
            for c in contest.rubric
        }
        comment = st.text_area(
            tr("judging.comment"), item.comment, max_chars=2000, disabled=not editable
        )
        if st.form_submit_button(tr("judging.save"), type="primary", disabled=not editable):
            try:
                with runtime.session() as session:
                    judging.save_score(
                        session, actor=user, entry_id=item.entry_id, scores=scores, comment=comment
                    )
                st.toast(tr("judging.saved"))
                st.rerun()
            except ContestError as error:
                show_error(error)
    with st.expander(tr("judging.conflict_title")):
        st.caption(tr("judging.conflict_help"))
        reason = st.text_input(tr("judging.conflict_reason"), key=f"conflict_{item.entry_id}")
        if st.button(tr("judging.conflict_declare"), key=f"conflict_go_{item.entry_id}"):
            try:
                with runtime.session() as session:
                    judging.declare_conflict(
                        session, actor=user, entry_id=item.entry_id, reason=reason
                    )
                st.rerun()
            except ContestError as error:
                show_error(error)
