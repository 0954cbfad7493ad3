"""Submit a poster: the file and every field are checked as they are filled in, the preview and
the send button appear once everything is complete, and after sending the form clears itself
and a receipt card (with a one-page PDF) says what was received."""

import streamlit as st

from contest.entries.receipt import receipt_pdf, receipt_view
from contest.entries.submissions import submit_entry
from contest.entries.views import submit_view
from ui import page, state
from ui.disclosure import show_ai_use
from ui.entry_check import checked_file, checklist, forget, show_file
from ui.entry_form import entry_form, show_draft
from ui.format import moment
from ui.i18n import error_text, lang, tr
from ui.images import thumb_source
from ui.text import body, heading
from ui.uploads import upload_limit


def _close_receipt() -> None:
    st.session_state.pop(state.SUBMIT_RECEIPT, None)


def _show_receipt(entry_id: int) -> None:
    """The card for the poster just sent: number, picture, time received, AI disclosure."""
    receipt = page.load(receipt_view, entry_id=entry_id)
    with st.container(border=True, key="submit_receipt"):
        st.success(tr("receipt.title", number=receipt.number), icon=":material/task_alt:")
        picture, text = st.columns([1, 2])
        picture.image(thumb_source(receipt.thumb_key), width="stretch")
        with text:
            heading(receipt.title)
            body(f"{receipt.theme} · {receipt.policy}")
            st.markdown(f"**{tr('receipt.received')}**")
            body(receipt.received(lang()))
            show_ai_use(receipt)
        cols = st.columns(3)
        cols[0].download_button(
            tr("receipt.download"),
            page.deferred(receipt_pdf, entry_id=entry_id, lang=lang()),
            f"receipt-{receipt.number}.pdf",
            "application/pdf",
            key="receipt_download",
            on_click="ignore",
            icon=":material/download:",
        )
        cols[1].page_link("pages/my_entries.py", label=tr("nav.my_entries"))
        cols[2].button(tr("receipt.close"), key="receipt_close", on_click=_close_receipt)


page.header(tr("nav.submit"))
view = page.load(submit_view)
contest, form = view.contest, view.form
if contest is None or form is None:
    page.stop_with(tr("home.no_contest"))
# Every widget key carries the form's generation: after sending, a new generation is an
# empty form (the file uploader included).
generation = st.session_state.get(state.SUBMIT_FORM, 0)
prefix = f"submit{generation}"
if st.session_state.get(f"{prefix}_file") is not None:
    _close_receipt()  # the next poster is under way: the last one's receipt has been seen
if (receipt_id := st.session_state.get(state.SUBMIT_RECEIPT)) is not None:
    _show_receipt(receipt_id)
tz = contest.timezone
dates = {  # a window's bounds to the second where it has them (23:59:59)
    "opens": moment(contest.submission_opens_at, tz, seconds=True),
    "closes": moment(contest.submission_closes_at, tz, seconds=True),
}
if not view.submission_open:
    st.caption(tr("submit.window_dates", **dates))
    page.stop_with(tr("submit.closed"))
if not view.may_enter:
    page.stop_with(tr("error.entry.officials_barred"))
st.caption(tr("submit.window_left", left=view.entries_left, limit=view.entry_limit, **dates))
if view.entries_left == 0:
    page.stop_with(tr("error.entry.limit", limit=view.entry_limit))

mb = upload_limit(contest.max_upload_mb)
upload = st.file_uploader(tr("submit.file"), key=f"{prefix}_file")
st.caption(tr("submit.file_help", mb=mb, px=contest.min_short_side))
checked = checked_file(upload, prefix)
if checked is not None:
    show_file(checked, prefix)

draft = entry_form(form, prefix)
problems = {name: error_text(problem) for name, problem in draft.problems(contest).items()}
if checked is None:
    problems["file"] = tr("submit.check.no_file")
elif "error" in checked:
    problems["file"] = checked["error"]

checklist(problems, "submit_checklist")

if problems:
    st.caption(tr("submit.check.pending", count=len(problems)))
    st.stop()

assert upload is not None and checked is not None
with st.container(border=True, key="submit_preview"):
    st.markdown(f"**{tr('submit.preview_title')}**")
    left, right = st.columns([1, 2])
    left.image(checked["thumb"], width="stretch")
    with right:
        show_draft(draft)
    if st.button(tr("submit.send"), type="primary", key="submit_send", icon=":material/send:"):
        sent = page.act(submit_entry, draft=draft, data=upload.getvalue(), rerun=False)
        if sent is not None:
            for key in [k for k in st.session_state if str(k).startswith(f"{prefix}_")]:
                del st.session_state[key]
            forget(prefix)
            st.session_state[state.SUBMIT_FORM] = generation + 1
            st.session_state[state.SUBMIT_RECEIPT] = sent.entry.id
        st.rerun()
