"""Text a user typed, shown as text: never Markdown, never HTML.

Streamlit renders Markdown (and its own extensions: colours, icons, emoji shortcodes, LaTeX)
in titles, captions, alerts and widget labels. Titles and captions here escape every character
that could start such syntax; longer text goes through st.text, which renders none of it.
"""

from __future__ import annotations

import re

import streamlit as st

# CommonMark lets any ASCII punctuation be escaped with a backslash: these start inline syntax
# anywhere (emphasis, code, links and images, HTML, entities, tables, strikethrough, LaTeX).
_INLINE = re.compile(r"([\\`*_\[\]<>#|~$&])")
_LINE_START = re.compile(r"^(\s*)([-+=])")  # a list item or a heading underline
_NUMBERED = re.compile(r"^(\s*\d+)([.)])")  # a numbered list item
_WWW = re.compile(r"(?i)\b(www)\.")  # a bare web address GFM would turn into a link
# Invisible. After ":" it keeps ":name:" from becoming an emoji, icon or colour and "http://"
# from becoming a link; after "www" and "@" it stops GFM's link and e-mail detection, which
# runs on the text after backslash escapes are gone (a Chromium test caught "www\." linking).
_WORD_JOINER = "\u2060"


def md(text: str) -> str:
    """``text`` escaped for any Streamlit Markdown context (a label, a caption, a notice)."""
    escaped = _INLINE.sub(r"\\\1", text.replace("\n", " "))
    escaped = _NUMBERED.sub(r"\1\\\2", _LINE_START.sub(r"\1\\\2", escaped))
    escaped = _WWW.sub(r"\1" + _WORD_JOINER + ".", escaped)
    return escaped.replace(":", ":" + _WORD_JOINER).replace("@", "@" + _WORD_JOINER)


def heading(text: str) -> None:
    """A user's text as a section heading (a poster's title)."""
    st.subheader(md(text), anchor=False)


def caption(text: str) -> None:
    st.caption(md(text))


def body(text: str) -> None:
    """Longer text (a description, a prompt), line breaks kept."""
    st.text(text)
