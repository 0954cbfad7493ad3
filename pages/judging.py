"""Judge: the blind shortlist, one poster large at a time, scored on the contest's rubric."""

import streamlit as st

from contest.contests.rules import TEXT_LIMITS
from contest.judging.scoring import declare_conflict, save_score
from contest.judging.views import judge_view
from ui import page
from ui.disclosure import show_ai_use
from ui.i18n import tr
from ui.images import display_source
from ui.text import body, heading, md

page.header(tr("nav.judging"))
view = page.load(judge_view)
if not view.open:
    page.stop_with(tr("judging.not_open"))
if not view.queue:
    page.stop_with(tr("judging.empty"))

queue = view.queue
st.progress(
    view.scored / len(queue), text=tr("judging.progress", scored=view.scored, total=len(queue))
)
st.caption(tr("judging.blind_note"))
if not view.editable:
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
    heading(f"#{item.number} {item.title}")
    body(f"{item.theme} · {item.policy}")
    if item.description:
        body(item.description)
    show_ai_use(item, "judging.ai_disclosure")
    with st.form(f"score_{item.entry_id}"):
        scores = {
            c["key"]: st.slider(
                f"{md(str(c['label']))} ({c['weight']})",
                int(c["min"]),
                int(c["max"]),
                int(item.scores.get(c["key"], (int(c["min"]) + int(c["max"])) // 2)),
                key=f"score_{item.entry_id}_{c['key']}",
                disabled=not view.editable,
            )
            for c in view.rubric
        }
        comment = st.text_area(
            tr("judging.comment"),
            item.comment,
            max_chars=TEXT_LIMITS["comment"],
            disabled=not view.editable,
        )
        if st.form_submit_button(tr("judging.save"), type="primary", disabled=not view.editable):
            page.act(
                save_score,
                entry_id=item.entry_id,
                scores=scores,
                comment=comment,
                done=tr("judging.saved"),
            )
    with st.expander(tr("judging.conflict_title")):
        st.caption(tr("judging.conflict_help"))
        reason = st.text_input(
            tr("judging.conflict_reason"),
            key=f"conflict_{item.entry_id}",
            max_chars=TEXT_LIMITS["reason"],
        )
        if st.button(tr("judging.conflict_declare"), key=f"conflict_go_{item.entry_id}"):
            page.act(
                declare_conflict,
                entry_id=item.entry_id,
                reason=reason,
                done=tr("judging.conflict_declared"),
            )
