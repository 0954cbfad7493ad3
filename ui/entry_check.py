"""The live check of a poster being sent or edited, the same on the submit page and in the edit
panel of my entries: the chosen file checked once (and what it looks like), then a checklist
of what is still missing, each line saying which field."""

from __future__ import annotations

import hashlib
from typing import Any

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from contest.entries.submissions import check_upload
from ui import page, state
from ui.entry_form import show_lookalikes
from ui.i18n import tr
from ui.images import browser_ready

# Requirements in the order of the form: (problem name, what the checklist calls it).
CHECKS = (
    ("file", "submit.file"),
    ("title", "entry.title"),
    ("theme", "entry.theme"),
    ("policy", "entry.policy"),
    ("ai_tools", "entry.ai_tools"),
    ("consent", "submit.check.consent"),
)
Checked = dict[str, Any]  # {"sha"} ("" when busy) and {"error"} or {"thumb", "size", "lookalikes"}


def checked_file(upload: UploadedFile | None, slot: str, **kwargs: Any) -> Checked | None:
    """``upload`` checked as the service will check it, once per file (kept per ``slot``: a
    form's key); ``kwargs`` go to check_upload (the entry an edit replaces). None: no file."""
    if upload is None:
        return None
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    checks: dict[str, Checked] = st.session_state.setdefault(state.UPLOAD_CHECKS, {})
    if slot in checks and checks[slot]["sha"] == digest:
        return checks[slot]
    result = page.attempt(check_upload, data=data, **kwargs)
    if isinstance(result, page.Refusal):  # a busy server's is checked again on the next run
        checked: Checked = {"sha": digest if result.lasting else "", "error": result.text}
    else:
        checked = {
            "sha": digest,
            "thumb": browser_ready(result.image.thumbnail),  # converted once, not per rerun
            "size": (result.image.width, result.image.height),
            "lookalikes": result.lookalikes,
        }
    checks[slot] = checked
    return checked


def forget(slot: str) -> None:
    st.session_state.get(state.UPLOAD_CHECKS, {}).pop(slot, None)


def show_file(checked: Checked, slot: str) -> None:
    """The file's refusal, or its thumbnail, size and any look-alike warning; a busy server's
    answer with a button to check again (the file is checked anew on the next run)."""
    if "error" in checked and not checked["sha"]:
        page.show(checked["error"], "warning")
        st.button(tr("upload.check_again"), key=f"{slot}_check_again")
        return
    if "error" in checked:
        page.show(checked["error"], "error")
        return
    left, right = st.columns([1, 2])
    left.image(
        checked["thumb"], caption=tr("submit.size", w=checked["size"][0], h=checked["size"][1])
    )
    with right:
        show_lookalikes(checked["lookalikes"])
        if not checked["lookalikes"]:
            st.success(tr("submit.file_ok"), icon=":material/check_circle:")


def checklist(problems: dict[str, str], key: str) -> None:
    """Every requirement, ticked or with what is wrong (a text longer than its field too)."""
    with st.container(border=True, key=key):
        st.markdown(f"**{tr('submit.check.title')}**")
        named = [name for name, _ in CHECKS]
        for name, label in CHECKS:
            if name in problems:
                st.markdown(f":red[✗] {problems[name]}")
            else:
                st.markdown(f":green[✓] {tr(label)}")
        for name, message in problems.items():
            if name not in named:
                st.markdown(f":red[✗] {message}")
