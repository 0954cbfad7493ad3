"""The poster form shared by the submission page and the edit view of my entries."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import streamlit as st

from contest.core.models import Entry
from contest.dedupe.flags import Lookalike
from contest.entries.submissions import EntryDraft
from contest.entries.views import EntryForm
from ui.disclosure import show_ai_use
from ui.i18n import tr
from ui.text import body, heading

Slots = dict[str, Any]  # problem name -> the st.empty() under its field


def _slot(slots: Slots | None, name: str) -> None:
    if slots is not None:
        slots[name] = st.empty()


def entry_form(
    form: EntryForm, key: str, entry: Entry | None = None, slots: Slots | None = None
) -> EntryDraft:
    """Text widgets for one entry. Returns what is filled in now. With ``slots``, a place under
    each field (by the name its problems carry) where the caller can say what is wrong."""
    limit = form.text_limits
    below = partial(_slot, slots)
    title = st.text_input(
        tr("entry.title"),
        entry.title if entry else "",
        max_chars=limit["title"],
        key=f"{key}_title",
    )
    below("title")
    themes = list(form.themes)
    index = themes.index(entry.theme) if entry and entry.theme in themes else None
    theme = st.selectbox(
        tr("entry.theme"),
        themes,
        index=index,
        key=f"{key}_theme",
        placeholder=tr("entry.theme_pick"),
    )
    below("theme")
    policy = st.text_input(
        tr("entry.policy"),
        entry.policy if entry else "",
        max_chars=limit["policy"],
        help=tr("entry.policy_help"),
        key=f"{key}_policy",
    )
    below("policy")
    description = st.text_area(
        tr("entry.description"),
        entry.description if entry else "",
        max_chars=limit["description"],
        key=f"{key}_description",
    )
    below("description")
    known = [t for t in (entry.ai_tools if entry else []) if t in form.ai_tools]
    tools = st.multiselect(
        tr("entry.ai_tools"),
        form.ai_tools,
        default=known,
        key=f"{key}_tools",
        placeholder=tr("entry.ai_tools_pick"),
        select_all=False,  # Streamlit's English "Select all"; every tool at once makes no sense
    )
    below("ai_tools")
    other = st.text_input(
        tr("entry.ai_tools_other"),
        entry.ai_tools_other if entry else "",
        max_chars=limit["ai_tools_other"],
        key=f"{key}_tools_other",
    )
    below("ai_tools_other")
    prompt = st.text_area(
        tr("entry.prompt"),
        entry.prompt if entry else "",
        max_chars=limit["prompt"],
        help=tr("entry.prompt_help"),
        key=f"{key}_prompt",
    )
    below("prompt")
    human = st.text_area(
        tr("entry.human_part"),
        entry.human_part if entry else "",
        max_chars=limit["human_part"],
        help=tr("entry.human_part_help"),
        key=f"{key}_human",
    )
    below("human_part")
    own = st.checkbox(tr("entry.consent_own_work"), bool(entry), key=f"{key}_consent_own")
    publish = st.checkbox(tr("entry.consent_publish"), bool(entry), key=f"{key}_consent_pub")
    below("consent")
    share = st.checkbox(
        tr("entry.share_making"),
        entry.share_making if entry else form.share_default,
        help=tr("entry.share_making_help"),
        key=f"{key}_share_making",
    )
    return EntryDraft(
        title=title,
        theme=theme or "",
        policy=policy,
        description=description,
        ai_tools=tuple(tools),
        ai_tools_other=other,
        prompt=prompt,
        human_part=human,
        consent_own_work=own,
        consent_publish=publish,
        share_making=share,
    )


def show_draft(draft: EntryDraft) -> None:
    """The text of a draft as the gallery will show it (as text, never HTML)."""
    heading(draft.title)
    body(f"{draft.theme} · {draft.policy}")
    if draft.description:
        body(draft.description)
    show_ai_use(draft, "entry.ai_tools")


def show_lookalikes(lookalikes: Sequence[Lookalike]) -> None:
    """Warn the uploader without revealing whose entry it resembles."""
    for match in lookalikes:
        whose = "own" if match.own else "other"
        st.warning(tr(f"entry.lookalike.{whose}.{match.level}"), icon=":material/content_copy:")
    if lookalikes:
        st.caption(tr("entry.lookalike_note"))
