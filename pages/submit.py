"""Submit a poster: the file and every field are checked as they are filled in, the preview and
the send button appear once everything is complete, and after sending the form clears itself
and a receipt card (with a one-page PDF) says what was received."""

import hashlib

import streamlit as st

from contest.core.timeutil import format_local
from contest.entries.receipt import receipt_pdf, receipt_view
from contest.entries.submissions import check_upload, submit_entry
from contest.entries.views import submit_view
from ui import page, state
from ui.disclosure import show_ai_use
from ui.entry_form import entry_form, show_draft, show_lookalikes
from ui.i18n import error_text, lang, tr
from ui.images import browser_ready, thumb_source
from ui.text import body, heading
from ui.uploads import upload_limit

# Requirements in the order of the form: (problem name, what the checklist calls it).
CHECKS = (
    ("file", "submit.file"),
    ("title", "entry.title"),
    ("theme", "entry.theme"),
    ("policy", "entry.policy"),
    ("ai_tools", "entry.ai_tools"),
    ("consent", "submit.check.consent"),
)


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
            body(receipt.received)
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
if (receipt_id := st.session_state.get(state.SUBMIT_RECEIPT)) is not None:
    _show_receipt(receipt_id)
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

# Every widget key carries the form's generation: after sending, a new generation is an
# empty form (the file uploader included).
generation = st.session_state.get(state.SUBMIT_FORM, 0)
prefix = f"submit{generation}"
mb = upload_limit(contest.max_upload_mb)
upload = st.file_uploader(
    tr("submit.file"),
    key=f"{prefix}_file",
    max_upload_size=mb,
)
st.caption(tr("submit.file_help", mb=mb, px=contest.min_short_side))
checked = None
if upload is not None:
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    checked = st.session_state.get(state.SUBMIT_CHECKED)
    if not checked or checked["sha"] != digest:
        result = page.attempt(check_upload, data=data)
        if isinstance(result, page.Refusal):
            checked = {"sha": digest if result.lasting else "", "error": result.text}
        else:
            checked = {
                "sha": digest,
                "thumb": browser_ready(result.image.thumbnail),  # converted once, not per rerun
                "size": (result.image.width, result.image.height),
                "lookalikes": result.lookalikes,
            }
        st.session_state[state.SUBMIT_CHECKED] = checked
    if "error" in checked and not checked["sha"]:  # busy: checked again on the next run
        page.show(checked["error"], "warning")
        st.button(tr("upload.check_again"), key=f"{prefix}_check_again")
    elif "error" in checked:
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

draft = entry_form(form, prefix)
problems = {name: error_text(problem) for name, problem in draft.problems(contest).items()}
if checked is None:
    problems["file"] = tr("submit.check.no_file")
elif "error" in checked:
    problems["file"] = checked["error"]

with st.container(border=True, key="submit_checklist"):
    st.markdown(f"**{tr('submit.check.title')}**")
    named = [name for name, _ in CHECKS]
    for name, label in CHECKS:
        if name in problems:
            st.markdown(f":red[✗] {problems[name]}")
        else:
            st.markdown(f":green[✓] {tr(label)}")
    for name, message in problems.items():
        if name not in named:  # a text longer than its field takes
            st.markdown(f":red[✗] {message}")

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
            st.session_state.pop(state.SUBMIT_CHECKED, None)
            st.session_state[state.SUBMIT_FORM] = generation + 1
            st.session_state[state.SUBMIT_RECEIPT] = sent.entry.id
        st.rerun()
