"""The author's own entries: status, edit text or image until the window closes, withdraw."""

import streamlit as st

from contest.core.timeutil import format_local
from contest.entries.receipt import receipt_pdf
from contest.entries.submissions import Receipt, update_entry, withdraw_entry
from contest.entries.views import my_entries_view
from ui import page, state
from ui.entry_form import entry_form, show_lookalikes
from ui.i18n import lang, tr
from ui.images import thumb_source
from ui.text import body, heading, md
from ui.uploads import upload_limit

page.header(tr("nav.my_entries"))
view = page.load(my_entries_view)
if view.contest is None or view.form is None or not view.entries:
    st.info(tr("my_entries.none"))
    st.page_link("pages/submit.py", label=tr("nav.submit"), icon=":material/upload:")
    st.stop()
show_lookalikes(st.session_state.pop(state.MY_ENTRIES_SAVED, []))

tz = view.contest.timezone
mb = upload_limit(view.contest.max_upload_mb)
if not view.submission_open:
    st.info(tr("my_entries.closed"))


def _saved(receipt: Receipt) -> str:
    st.session_state[state.MY_ENTRIES_SAVED] = receipt.lookalikes  # warned after the rerun
    return tr("my_entries.saved")


for item in view.entries:
    entry = item.entry
    with st.container(border=True):
        left, right = st.columns([1, 3])
        left.image(
            thumb_source(item.thumb_key),
            alt=tr("image.alt", title=entry.title, theme=entry.theme),
        )
        with right:
            heading(f"#{entry.number} {entry.title}")
            if item.award:
                st.badge(
                    md(tr("my_entries.award", award=item.award)),
                    icon=":material/emoji_events:",
                    color="orange",
                )
            status = tr("my_entries.won") if item.award else tr("entry.status." + entry.status)
            st.caption(
                f"{md(entry.theme)} · {status} · "
                f"{tr('my_entries.received', at=format_local(entry.created_at, tz))}"
            )
            if entry.status_reason:
                body(entry.status_reason)
            st.download_button(
                tr("receipt.download"),
                page.deferred(receipt_pdf, entry_id=entry.id, lang=lang()),
                f"receipt-{entry.number}.pdf",
                "application/pdf",
                key=f"receipt_{entry.id}",
                on_click="ignore",
                icon=":material/download:",
                type="tertiary",
            )
        if not item.editable:
            continue
        with right.expander(tr("my_entries.edit")):
            key = f"edit{entry.id}"
            new_file = st.file_uploader(
                tr("my_entries.replace_image"), key=f"{key}_file", max_upload_size=mb
            )
            with st.form(f"{key}_form"):
                draft = entry_form(view.form, key, entry)
                saved = st.form_submit_button(tr("my_entries.save"), type="primary")
            if saved:
                page.act(
                    update_entry,
                    entry_id=entry.id,
                    draft=draft,
                    data=new_file.getvalue() if new_file else None,
                    done=_saved,
                )
        confirm = right.checkbox(tr("my_entries.withdraw_confirm"), key=f"withdraw{entry.id}")
        if right.button(
            tr("my_entries.withdraw"), key=f"withdraw_btn{entry.id}", disabled=not confirm
        ):
            page.act(withdraw_entry, entry_id=entry.id, done=tr("my_entries.withdrawn"))
