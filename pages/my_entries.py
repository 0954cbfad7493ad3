"""The author's own entries: status, edit text or image until the window closes, withdraw."""

import streamlit as st

from contest.contests.queries import current_contest
from contest.contests.windows import submission_window
from contest.core.errors import ContestError
from contest.core.timeutil import format_local, utcnow
from contest.entries.submissions import my_entries, update_entry, withdraw_entry
from ui import auth, state
from ui.entry_form import entry_form, show_lookalikes
from ui.i18n import show_error, tr
from ui.images import thumb_source
from ui.runtime import get_runtime

runtime = get_runtime()
user = auth.current_user()
st.title(tr("nav.my_entries"))
try:
    with runtime.session() as session:
        contest = current_contest(session)
        rows = my_entries(session, actor=user, contest_id=contest.id) if contest else []
except ContestError as error:
    show_error(error)
    st.stop()
if contest is None or not rows:
    st.info(tr("my_entries.none"))
    st.page_link("pages/submit.py", label=tr("nav.submit"), icon=":material/upload:")
    st.stop()

saved_lookalikes = st.session_state.pop(state.MY_ENTRIES_SAVED, None)
if saved_lookalikes is not None:
    st.success(tr("my_entries.saved"))
    show_lookalikes(saved_lookalikes)

tz = contest.timezone
editable = submission_window(contest).contains(utcnow())
if not editable:
    st.info(tr("my_entries.closed"))

for entry, image in rows:
    with st.container(border=True):
        left, right = st.columns([1, 3])
        left.image(thumb_source(image.thumb_key))
        right.subheader(f"#{entry.number} {entry.title}")
        right.caption(
            f"{entry.theme} · {tr('entry.status.' + entry.status)} · "
            f"{tr('my_entries.received', at=format_local(entry.created_at, tz))}"
        )
        if entry.status_reason:
            right.text(entry.status_reason)
        if not editable or entry.status not in ("active", "hidden"):
            continue
        with right.expander(tr("my_entries.edit")):
            key = f"edit{entry.id}"
            new_file = st.file_uploader(tr("my_entries.replace_image"), key=f"{key}_file")
            with st.form(f"{key}_form"):
                draft = entry_form(contest, key, entry)
                saved = st.form_submit_button(tr("my_entries.save"), type="primary")
            if saved:
                try:
                    with runtime.session() as session:
                        receipt = update_entry(
                            session,
                            store=runtime.store,
                            indexes=runtime.indexes,
                            actor=user,
                            entry_id=entry.id,
                            draft=draft,
                            data=new_file.getvalue() if new_file else None,
                        )
                    st.session_state[state.MY_ENTRIES_SAVED] = receipt.lookalikes
                    st.rerun()  # show the entry as it is now
                except ContestError as error:
                    show_error(error)
        confirm = right.checkbox(tr("my_entries.withdraw_confirm"), key=f"withdraw{entry.id}")
        if right.button(
            tr("my_entries.withdraw"), key=f"withdraw_btn{entry.id}", disabled=not confirm
        ):
            try:
                with runtime.session() as session:
                    withdraw_entry(session, actor=user, entry_id=entry.id)
                st.rerun()
            except ContestError as error:
                show_error(error)
