"""How a poster's AI use reads wherever it is shown (poster page, judges, submit preview)."""

from __future__ import annotations

from typing import Protocol

import streamlit as st

from ui.i18n import tr
from ui.text import body


class AIUse(Protocol):
    @property
    def ai_tools(self) -> tuple[str, ...]: ...
    @property
    def ai_tools_other(self) -> str: ...
    @property
    def prompt(self) -> str: ...
    @property
    def human_part(self) -> str: ...


def show_ai_use(item: AIUse, heading_key: str = "poster.disclosure") -> None:
    """The tools used, the prompt and the human part, as plain text under bold labels."""
    st.markdown(f"**{tr(heading_key)}**")
    body(", ".join([*item.ai_tools, *([item.ai_tools_other] if item.ai_tools_other else [])]))
    if item.prompt:
        st.markdown(f"**{tr('entry.prompt')}**")
        body(item.prompt)
    if item.human_part:
        st.markdown(f"**{tr('entry.human_part')}**")
        body(item.human_part)
