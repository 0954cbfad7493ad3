"""What kind of screen asks: layouts that would crowd a phone start folded there."""

from __future__ import annotations

import streamlit as st


def is_phone() -> bool:
    """A phone's browser says "Mobi" in its user agent (Android tablets do not)."""
    return "Mobi" in (st.context.headers.get("User-Agent") or "")
