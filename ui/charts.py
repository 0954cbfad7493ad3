"""Charts with a description in the user's language, and nothing a screen reader reads in
English: Vega writes its own English ARIA labels for axes and marks ("X-axis for a discrete
scale…"), so those are turned off and the chart is described by ``alt`` instead."""

from __future__ import annotations

import altair as alt
import streamlit as st


def chart(figure: alt.Chart, description: str) -> None:
    st.altair_chart(figure.configure(aria=False).configure_mark(aria=False), alt=description)
