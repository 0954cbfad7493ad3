"""Widgets for a contest's settings; values go to contest.contests.update_settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from contest.core.models import Contest
from contest.core.timeutil import local
from ui.i18n import tr


def _moment(label: str, value: datetime, tz: str, key: str) -> datetime:
    current = local(value, tz)
    left, right = st.columns(2)
    day = left.date_input(label, current.date(), key=f"{key}_date")
    clock = right.time_input(tr("contest.time"), current.time(), key=f"{key}_time", step=60)
    return datetime.combine(day, clock, tzinfo=ZoneInfo(tz))


def settings_form(contest: Contest) -> dict[str, Any] | None:
    """Render the form; return the changed settings when saved, else None."""
    tz = contest.timezone
    key = f"contest{contest.id}"
    with st.form(f"{key}_settings"):
        values: dict[str, Any] = {"name": st.text_input(tr("contest.name"), contest.name)}
        values["timezone"] = st.text_input(tr("contest.timezone"), tz)
        st.markdown(f"**{tr('home.submission_window')}** ({tz})")
        values["submission_opens_at"] = _moment(
            tr("contest.opens"), contest.submission_opens_at, tz, f"{key}_so"
        )
        values["submission_closes_at"] = _moment(
            tr("contest.closes"), contest.submission_closes_at, tz, f"{key}_sc"
        )
        st.markdown(f"**{tr('home.voting_window')}** ({tz})")
        values["voting_opens_at"] = _moment(
            tr("contest.opens"), contest.voting_opens_at, tz, f"{key}_vo"
        )
        values["voting_closes_at"] = _moment(
            tr("contest.closes"), contest.voting_closes_at, tz, f"{key}_vc"
        )
        themes = st.text_area(
            tr("contest.themes"), "\n".join(contest.themes), help=tr("contest.themes_help")
        )
        values["themes"] = [line.strip() for line in themes.splitlines() if line.strip()]
        cols = st.columns(4)
        values["entries_per_person"] = cols[0].number_input(
            tr("contest.entries_per_person"), 1, 50, contest.entries_per_person
        )
        values["votes_per_voter"] = cols[1].number_input(
            tr("contest.votes_per_voter"), 1, 100, contest.votes_per_voter
        )
        values["max_upload_mb"] = cols[2].number_input(
            tr("contest.max_upload_mb"), 1, 200, contest.max_upload_mb
        )
        values["min_short_side"] = cols[3].number_input(
            tr("contest.min_short_side"), 100, 5000, contest.min_short_side
        )
        cols = st.columns(4)
        values["shortlist_size"] = cols[0].number_input(
            tr("contest.shortlist_size"), 1, 500, contest.shortlist_size
        )
        values["judge_quorum"] = cols[1].number_input(
            tr("contest.judge_quorum"), 1, 50, contest.judge_quorum
        )
        values["jury_weight"] = cols[2].slider(
            tr("contest.jury_weight"), 0.0, 1.0, float(contest.jury_weight), 0.05
        )
        values["max_megapixels"] = cols[3].number_input(
            tr("contest.max_megapixels"), 1, 200, contest.max_megapixels
        )
        values["show_author_names"] = st.checkbox(
            tr("contest.show_author_names"), contest.show_author_names
        )
        values["judges_exclude_own_department"] = st.checkbox(
            tr("contest.judges_exclude_own_department"), contest.judges_exclude_own_department
        )
        st.markdown(f"**{tr('contest.rubric')}**")
        rubric = st.data_editor(
            pd.DataFrame(contest.rubric), num_rows="dynamic", key=f"{key}_rubric"
        )
        st.markdown(f"**{tr('contest.award_tiers')}**")
        awards = st.data_editor(
            pd.DataFrame(contest.award_tiers), num_rows="dynamic", key=f"{key}_awards"
        )
        if not st.form_submit_button(tr("contest.save"), type="primary"):
            return None
    values["rubric"] = _records(rubric)
    values["award_tiers"] = _records(awards)
    return values


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    frame = frame.dropna(how="all")
    return [
        {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
        for row in frame.to_dict(orient="records")
    ]
