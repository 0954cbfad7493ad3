"""How a file's record of its making and the AI label read on screen: always as plain text,
since tool names and prompts come from the file or the author."""

from __future__ import annotations

import streamlit as st

from contest.images.provenance.describe import FileRecord, Line
from ui.i18n import tr
from ui.text import body, md


def say(line: Line) -> str:
    """A line in the user's language (a line may hold another, e.g. what was made)."""
    return tr(line.key, **{k: say(v) if isinstance(v, Line) else v for k, v in line.params.items()})


def show_file_record(record: FileRecord) -> None:
    """The file's record under its heading, and the gentle note where it differs."""
    st.markdown(f"**{tr('provenance.heading')}**")
    body("\n".join(say(line) for line in record.lines))
    if record.note is not None:
        st.info(md(say(record.note)), icon=":material/info:")


def show_ai_label(label: Line) -> None:
    """The visible notice that the poster was made with generative AI."""
    st.info(md(say(label)), icon=":material/auto_awesome:")
