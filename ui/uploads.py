"""Streamlit's file uploader labels its button "Upload" and its limit "200MB per file" in English
whatever the language; this says both in the user's language, with the limit that applies."""

from __future__ import annotations

import json

import streamlit as st

from ui.i18n import tr

_ZONE = "[data-testid='stFileUploaderDropzone']"


def _css_text(text: str) -> str:
    """``text`` as a CSS string (our own strings; quotes and backslashes escaped anyway)."""
    return json.dumps(text, ensure_ascii=False).replace("<", "\\3C ")


def uploader_texts(limit: str) -> None:
    """The page's uploaders' button and limit line in the user's language (``limit``)."""
    st.html(
        "<style>"
        f"{_ZONE} button [data-testid='stMarkdownContainer'] p {{font-size: 0;}}"
        f"{_ZONE} button [data-testid='stMarkdownContainer'] p::after"
        f" {{content: {_css_text(tr('upload.button'))}; font-size: 0.875rem;}}"
        f"{_ZONE} [data-testid='stFileUploaderDropzoneInstructions'] span {{font-size: 0;}}"
        f"{_ZONE} [data-testid='stFileUploaderDropzoneInstructions'] span::after"
        f" {{content: {_css_text(limit)}; font-size: 0.875rem;}}"
        "</style>"
    )


def upload_limit(contest_mb: int) -> int:
    """The contest's upload limit in megabytes, which the page's uploaders state in the user's
    language. The uploaders themselves take up to the server's cap (twice as much at least,
    contests/settings.py): a larger file reaches the app's check, which explains the limit."""
    mb = min(int(contest_mb), int(st.get_option("server.maxUploadSize")))
    uploader_texts(tr("upload.limit", mb=mb))
    return mb
