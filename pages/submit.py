"""Submit a poster: file check and look-alike warning at once, preview, then a receipt."""

import hashlib

import streamlit as st

from contest.core.timeutil import format_local
from contest.entries.submissions import Receipt, check_upload, submit_entry
from contest.entries.views import submit_view
from ui import page, state
from ui.entry_form import entry_form, show_draft, show_lookalikes
from ui.i18n import tr
from ui.images import browser_ready

page.header(tr("nav.submit"))
view = page.load(submit_view)
receipt = st.session_state.pop(state.SUBMIT_RECEIPT, None)
if receipt is not None:
    st.image(receipt, width=240)
    st.page_link("pages/my_entries.py", label=tr("nav.my_entries"))
contest, form = view.contest, view.form
if contest is None or form is None:
    page.stop_with(tr("home.no_contest"))
tz = contest.timezone
st.caption(
    tr(
        "submit.window",
        opens=format_local(contest.submission_opens_at, tz),
        closes=format_local(contest.submission_closes_at, tz),
        left=view.entries_left,
        limit=view.entry_limit,
    )
)
if not view.submission_open:
    page.stop_with(tr("submit.closed"))
if view.entries_left == 0:
    page.stop_with(tr("error.entry.limit", limit=view.entry_limit))

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
        result = page.attempt(check_upload, data=data)
        if isinstance(result, str):
            checked = {"sha": digest, "error": result}
        else:
            checked = {
                "sha": digest,
                "thumb": browser_ready(result.image.thumbnail),  # converted once, not per rerun
                "size": (result.image.width, result.image.height),
                "lookalikes": result.lookalikes,
            }
        st.session_state[state.SUBMIT_CHECKED] = checked
    if "error" in checked:
        page.show(checked["error"], "error")
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
    draft = entry_form(form, "submit")
    previewed = st.form_submit_button(tr("submit.preview"), icon=":material/visibility:")

if previewed or st.session_state.get(state.SUBMIT_PREVIEWING):
    st.session_state[state.SUBMIT_PREVIEWING] = True
    with st.container(border=True):
        st.markdown(f"**{tr('submit.preview_title')}**")
        if checked and "thumb" in checked:
            st.image(checked["thumb"], width=240)
        show_draft(draft)
    ready = upload is not None and checked is not None and "thumb" in checked
    if st.button(tr("submit.send"), type="primary", key="submit_send", disabled=not ready):
        assert upload is not None and checked is not None

        def _receipt(done: Receipt) -> str:
            at = format_local(done.entry.created_at, tz)
            return tr("submit.receipt", number=done.entry.number, at=at)

        if page.act(submit_entry, draft=draft, data=upload.getvalue(), done=_receipt, rerun=False):
            st.session_state.pop(state.SUBMIT_PREVIEWING, None)
            st.session_state.pop(state.SUBMIT_CHECKED, None)
            st.session_state[state.SUBMIT_RECEIPT] = checked["thumb"]
        st.rerun()
