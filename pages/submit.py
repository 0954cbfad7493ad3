"""Submit a poster: file check and look-alike warning at once, preview, then a receipt."""

import hashlib

import streamlit as st

from contest.contests.overview import overview
from contest.core.errors import ContestError
from contest.core.timeutil import format_local
from contest.entries.submissions import check_upload, submit_entry
from ui import auth, state
from ui.entry_form import entry_form, show_draft, show_lookalikes
from ui.i18n import show_error, tr
from ui.images import browser_ready
from ui.runtime import get_runtime

runtime = get_runtime()
user = auth.current_user()
st.title(tr("nav.submit"))
try:
    with runtime.session() as session:
        info = overview(session, actor=user)
except ContestError as error:
    show_error(error)
    st.stop()
if info is None:
    st.info(tr("home.no_contest"))
    st.stop()
contest = info.contest
tz = contest.timezone
st.caption(
    tr(
        "submit.window",
        opens=format_local(contest.submission_opens_at, tz),
        closes=format_local(contest.submission_closes_at, tz),
        left=info.entries_left,
        limit=contest.entries_per_person,
    )
)
if not info.submission_open:
    st.info(tr("submit.closed"))
    st.stop()
if info.entries_left == 0:
    st.info(tr("error.entry.limit", limit=contest.entries_per_person))
    st.stop()

upload = st.file_uploader(
    tr("submit.file"),
    key="submit_file",
    help=tr("submit.file_help", mb=contest.max_upload_mb, px=contest.min_short_side),
)
checked = None
if upload is not None:
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    checked = st.session_state.get(state.SUBMIT_CHECKED)
    if not checked or checked["sha"] != digest:
        try:
            with runtime.session() as session:
                result = check_upload(
                    session, indexes=runtime.indexes, actor=user, contest=contest, data=data
                )
            checked = {
                "sha": digest,
                "thumb": browser_ready(result.image.thumbnail),  # converted once, not per rerun
                "size": (result.image.width, result.image.height),
                "lookalikes": result.lookalikes,
            }
        except ContestError as error:
            checked = {"sha": digest, "error": error}
        st.session_state[state.SUBMIT_CHECKED] = checked
    if "error" in checked:
        show_error(checked["error"])
    else:
        left, right = st.columns([1, 2])
        left.image(
            checked["thumb"], caption=tr("submit.size", w=checked["size"][0], h=checked["size"][1])
        )
        with right:
            show_lookalikes(checked["lookalikes"])
            if not checked["lookalikes"]:
                st.success(tr("submit.file_ok"), icon=":material/check_circle:")

with st.form("submit_form"):
    draft = entry_form(contest, "submit")
    previewed = st.form_submit_button(tr("submit.preview"), icon=":material/visibility:")

if previewed or st.session_state.get(state.SUBMIT_PREVIEWING):
    st.session_state[state.SUBMIT_PREVIEWING] = True
    with st.container(border=True):
        st.markdown(f"**{tr('submit.preview_title')}**")
        if checked and "thumb" in checked:
            st.image(checked["thumb"], width=240)
        show_draft(draft)
    if st.button(
        tr("submit.send"),
        type="primary",
        key="submit_send",
        disabled=upload is None or not checked or "error" in checked,
    ):
        try:
            with runtime.session() as session:
                receipt = submit_entry(
                    session,
                    store=runtime.store,
                    indexes=runtime.indexes,
                    actor=user,
                    draft=draft,
                    data=upload.getvalue(),
                )
            st.session_state.pop(state.SUBMIT_PREVIEWING, None)
            st.session_state.pop(state.SUBMIT_CHECKED, None)
            st.success(
                tr(
                    "submit.receipt",
                    number=receipt.entry.number,
                    at=format_local(receipt.entry.created_at, tz),
                ),
                icon=":material/task_alt:",
            )
            st.image(checked["thumb"], width=240)
            st.page_link("pages/my_entries.py", label=tr("nav.my_entries"))
        except ContestError as error:
            show_error(error)
