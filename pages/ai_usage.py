"""AI 활용 현황: the posters on show counted by the AI tools they were made with (and by
department where the viewer may see departments; the files' own records for the organisers),
downloadable as CSV or a workbook for the innovation team's report."""

import pandas as pd
import streamlit as st

from contest.reports.ai_usage import ai_usage_view, usage_csv, usage_xlsx
from ui import page
from ui.i18n import lang, tr
from ui.provenance import say
from ui.text import caption

page.header(tr("nav.ai_usage"))
view = page.load(ai_usage_view)
caption(view.contest_name)
st.metric(tr("usage.entries"), tr("usage.entries_value", count=view.entries))
if not view.entries:
    page.stop_with(tr("usage.empty"))

ENTRIES, DEPARTMENTS = tr("usage.col.entries"), tr("usage.col.departments")
st.subheader(tr("usage.by_tool"), anchor=False)
st.dataframe(
    pd.DataFrame(
        [
            {
                tr("usage.col.tool"): use.tool or tr("usage.other"),
                ENTRIES: use.entries,
                **({DEPARTMENTS: use.departments} if view.departments else {}),
            }
            for use in view.tools
        ]
    ),
    hide_index=True,
    width="stretch",
)
st.caption(tr("usage.several_tools"))
if view.departments:
    st.subheader(tr("usage.by_department"), anchor=False)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    tr("usage.col.department"): use.department,
                    ENTRIES: use.entries,
                    tr("usage.col.tools"): ", ".join(use.tools),
                }
                for use in view.departments
            ]
        ),
        hide_index=True,
        width="stretch",
    )
if view.files:
    st.subheader(tr("usage.by_file"), anchor=False)
    st.dataframe(
        pd.DataFrame(
            [{tr("usage.col.file"): say(use.says), ENTRIES: use.entries} for use in view.files]
        ),
        hide_index=True,
        width="stretch",
    )

left, right = st.columns(2)
left.download_button(
    tr("usage.download_csv"),
    page.deferred(usage_csv, lang=lang()),
    "ai-usage.csv",
    "text/csv",
    key="usage_csv",
    on_click="ignore",
    icon=":material/download:",
)
right.download_button(
    tr("usage.download_xlsx"),
    page.deferred(usage_xlsx, lang=lang()),
    "ai-usage.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="usage_xlsx",
    on_click="ignore",
    icon=":material/download:",
)
