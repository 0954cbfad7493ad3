"""Judge: the blind shortlist, one poster large at a time, scored on the contest's rubric with
each criterion's description beside its score; saving moves on to the next unscored poster."""

import streamlit as st

from contest.contests.rules import TEXT_LIMITS
from contest.judging.scoring import JudgeItem, declare_conflict, save_score
from contest.judging.views import judge_view
from ui import page
from ui.disclosure import show_ai_use
from ui.format import moment
from ui.i18n import tr
from ui.images import display_source
from ui.provenance import show_file_record
from ui.text import body, heading, md

CHOICE = "judge_entry"

page.header(tr("nav.judging"))
view = page.load(judge_view)
if not view.open:
    page.stop_with(tr("judging.not_open"))
if not view.queue:
    page.stop_with(tr("judging.empty"))

queue = view.queue
total = len(queue)
st.progress(view.scored / total, text=tr("judging.progress", scored=view.scored, total=total))
st.caption(tr("judging.blind_note"))
if not view.editable:
    st.info(tr("judging.read_only"))


def _label(item: JudgeItem) -> str:
    mark = tr("judging.scored_mark" if item.scored else "judging.open_mark")
    return tr("judging.option", number=item.number, title=item.title, mark=mark)


by_id = {item.entry_id: item for item in queue}
if st.session_state.get(CHOICE) not in by_id:
    first_open = next((i for i in queue if not i.scored), queue[0])
    st.session_state[CHOICE] = first_open.entry_id
chosen = st.selectbox(
    tr("judging.choose"),
    list(by_id),
    format_func=lambda e: _label(by_id[e]),
    key=CHOICE,
    placeholder=tr("common.choose"),
)
item = by_id[chosen]
position = list(by_id).index(item.entry_id)


def _after_save(entry_id: int, keys: dict[str, str], comment_key: str) -> None:
    """Save, then move to the next poster still without a score (a callback: runs first)."""
    scores = {criterion: st.session_state[key] for criterion, key in keys.items()}
    saved = page.act(
        save_score,
        entry_id=entry_id,
        scores=scores,
        comment=st.session_state.get(comment_key, ""),
        rerun=False,
        done=tr(
            "judging.saved_poster", number=by_id[entry_id].number, title=md(by_id[entry_id].title)
        ),
    )
    if saved is None:
        return
    order = list(by_id)
    start = order.index(entry_id)
    later = [e for e in order[start + 1 :] + order[:start] if not by_id[e].scored]
    if later:
        st.session_state[CHOICE] = later[0]


def _open_full(item: JudgeItem) -> None:
    st.image(
        display_source(item.display_key),
        alt=tr("image.alt", title=item.title, theme=item.theme),
        width="stretch",
    )


left, right = st.columns([3, 2])
with left:
    st.image(
        display_source(item.display_key), alt=tr("image.alt", title=item.title, theme=item.theme)
    )
    if st.button(
        tr("judging.full_size"), key=f"full_{item.entry_id}", icon=":material/fullscreen:"
    ):
        st.dialog(tr("judging.full_title", number=item.number), width="large")(_open_full)(item)
with right:
    heading(tr("entry.heading", number=item.number, title=item.title))
    st.caption(tr("judging.position", position=position + 1, total=total))
    body(f"{item.theme} · {item.policy}")
    if item.description:
        body(item.description)
    if item.saved_at is not None:
        st.success(
            tr("judging.saved_at", at=moment(item.saved_at, view.timezone)),
            icon=":material/task_alt:",
        )
    else:
        st.warning(tr("judging.not_saved"), icon=":material/edit_note:")
    show_ai_use(item, "judging.ai_disclosure")
    show_file_record(item.file_record)

    keys = {c["key"]: f"score_{item.entry_id}_{c['key']}" for c in view.rubric}
    comment_key = f"comment_{item.entry_id}"
    with st.form(f"score_{item.entry_id}", enter_to_submit=False):
        for criterion in view.rubric:
            low, high = int(criterion["min"]), int(criterion["max"])
            st.slider(
                tr(
                    "judging.criterion",
                    label=md(str(criterion["label"])),
                    weight=criterion["weight"],
                ),
                low,
                high,
                int(item.scores.get(criterion["key"], (low + high) // 2)),
                key=keys[criterion["key"]],
                disabled=not view.editable,
            )
            if criterion.get("description"):
                st.caption(md(str(criterion["description"])))
        st.text_area(
            tr("judging.comment"),
            item.comment,
            max_chars=TEXT_LIMITS["comment"],
            disabled=not view.editable,
            key=comment_key,
        )
        st.form_submit_button(
            tr("judging.save"),
            type="primary",
            disabled=not view.editable,
            on_click=_after_save,
            args=(item.entry_id, keys, comment_key),
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
                done=tr(
                    "judging.conflict_declared_poster", number=item.number, title=md(item.title)
                ),
            )
