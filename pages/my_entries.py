"""The author's own entries: status, edit text or image until the window closes, withdraw.

The edit panel checks as the submit page does, while it is filled in: a new file at once (with
its preview), every field in a checklist; it stays open until the changes are saved, and a
refusal is shown in the panel, naming the entry."""

from typing import Any

import streamlit as st

from contest.core.models import Entry
from contest.entries.receipt import receipt_pdf
from contest.entries.submissions import EntryDraft, update_entry, withdraw_entry
from contest.entries.views import my_entries_view
from ui import page, state
from ui.entry_check import checked_file, checklist, forget, show_file
from ui.entry_form import Slots, entry_form, show_draft, show_lookalikes
from ui.format import moment
from ui.i18n import error_text, lang, tr
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

contest, form = view.contest, view.form
tz = contest.timezone
mb = upload_limit(contest.max_upload_mb)
if not view.submission_open:
    st.info(tr("my_entries.closed"))


def _save(entry: Entry, key: str, draft: EntryDraft, data: bytes | None) -> None:
    """Save the panel's changes; on success close it empty, else say why in it."""
    saved = page.attempt(update_entry, entry_id=entry.id, draft=draft, data=data)
    if isinstance(saved, str):
        st.session_state[f"{key}_refused"] = tr(
            "my_entries.refused", number=entry.number, reason=saved
        )
        return
    for name in [k for k in st.session_state if str(k).startswith(f"{key}_")]:
        del st.session_state[name]
    forget(key)
    st.session_state[state.MY_ENTRIES_SAVED] = saved.lookalikes  # warned after the rerun
    page.notify(tr("my_entries.saved_which", number=entry.number))


def _edit_panel(entry: Entry, key: str, thumb_key: str) -> None:
    upload = st.file_uploader(tr("my_entries.replace_image"), key=f"{key}_file")
    st.caption(tr("submit.file_help", mb=mb, px=contest.min_short_side))
    checked = checked_file(upload, key, exclude_entry_id=entry.id)
    if checked is not None:
        show_file(checked, key)
    slots: Slots = {}
    draft = entry_form(form, key, entry, slots)
    problems = {name: error_text(problem) for name, problem in draft.problems(contest).items()}
    if checked is not None and "error" in checked:
        problems["file"] = checked["error"]
    for name, message in problems.items():
        if name in slots:  # under its field
            slots[name].caption(f":red[✗] {message}")
    checklist(problems, f"{key}_checklist")
    if refused := st.session_state.get(f"{key}_refused"):
        page.show(refused, "error")
    if problems:
        st.caption(tr("my_entries.pending", number=entry.number, count=len(problems)))
        return
    with st.container(border=True, key=f"{key}_preview"):
        st.markdown(f"**{tr('submit.preview_title')}**")
        left, right = st.columns([1, 2])
        new_thumb = checked["thumb"] if checked is not None else None
        left.image(new_thumb or thumb_source(thumb_key), width="stretch")
        with right:
            show_draft(draft)
        arguments: dict[str, Any] = {
            "entry": entry,
            "key": key,
            "draft": draft,
            "data": upload.getvalue() if upload is not None else None,
        }
        st.button(
            tr("my_entries.save"),
            key=f"{key}_save",
            type="primary",
            on_click=_save,
            kwargs=arguments,
        )


for item in view.entries:
    entry = item.entry
    with st.container(border=True):
        left, right = st.columns([1, 3])
        left.image(
            thumb_source(item.thumb_key),
            alt=tr("image.alt", title=entry.title, theme=entry.theme),
        )
        with right:
            heading(tr("entry.heading", number=entry.number, title=entry.title))
            if item.award:
                st.badge(
                    md(tr("my_entries.award", award=item.award)),
                    icon=":material/emoji_events:",
                    color="orange",
                )
            status = tr("my_entries.won") if item.award else tr("entry.status." + entry.status)
            st.caption(
                f"{md(entry.theme)} · {status} · "
                f"{tr('my_entries.received', at=moment(entry.created_at, tz))}"
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
        key = f"edit{entry.id}"
        # Its state kept (key, on_change): a rerun, a new file or a refusal leaves it open.
        panel = right.expander(tr("my_entries.edit"), key=f"{key}_open", on_change="rerun")
        if panel.open:
            with panel:
                _edit_panel(entry, key, item.thumb_key)
        confirm = right.checkbox(tr("my_entries.withdraw_confirm"), key=f"withdraw{entry.id}")
        if right.button(
            tr("my_entries.withdraw"), key=f"withdraw_btn{entry.id}", disabled=not confirm
        ):
            page.act(withdraw_entry, entry_id=entry.id, done=tr("my_entries.withdrawn"))
