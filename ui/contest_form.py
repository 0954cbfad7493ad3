"""The settings form of a contest, built from contest.contests.settings.SETTINGS; the values go
to contest.contests.manage.update_settings, which checks them again."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from contest.contests.settings import SETTINGS, Group, Kind, Setting, with_keys
from contest.core.models import Contest
from contest.core.timeutil import local
from ui.i18n import tr

COLUMNS = 4  # number fields per row
# The rubric's and award tiers' columns, by the key stored in the contest, with their editors.
RUBRIC_COLUMNS = {
    "key": st.column_config.TextColumn,
    "label": st.column_config.TextColumn,
    "weight": st.column_config.NumberColumn,
    "min": st.column_config.NumberColumn,
    "max": st.column_config.NumberColumn,
    "description": st.column_config.TextColumn,
}
AWARD_COLUMNS = {"name": st.column_config.TextColumn, "count": st.column_config.NumberColumn}


def _moment(setting: Setting, value: datetime, tz: str, key: str) -> datetime:
    current = local(value, tz)
    left, right = st.columns(2)
    day = left.date_input(tr(f"contest.{setting.name}"), current.date(), key=f"{key}_date")
    clock = right.time_input(tr("contest.time"), current.time(), key=f"{key}_time", step=60)
    return datetime.combine(day, clock, tzinfo=ZoneInfo(tz))


def _number(setting: Setting, value: Any, key: str) -> Any:
    assert setting.low is not None and setting.high is not None
    label = tr(f"contest.{setting.name}")
    if setting.kind == Kind.SHARE:  # a share is shown and chosen as a whole percentage
        step = round((setting.step or 0.05) * 100)
        low, high = round(setting.low * 100), round(setting.high * 100)
        percent = st.slider(label, low, high, round(float(value) * 100), step, "%d%%", key=key)
        return percent / 100
    return st.number_input(label, int(setting.low), int(setting.high), int(value), key=key)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    frame = frame.dropna(how="all")
    return [
        {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
        for row in frame.to_dict(orient="records")
    ]


def _field(setting: Setting, contest: Contest, key: str) -> Any:
    value = getattr(contest, setting.name)
    label = tr(f"contest.{setting.name}")
    match setting.kind:
        case Kind.TEXT:
            return st.text_input(label, value, max_chars=int(setting.high or 0) or None, key=key)
        case Kind.TIMEZONE:
            return st.text_input(label, value, key=key)
        case Kind.MOMENT:
            return _moment(setting, value, contest.timezone, key)
        case Kind.THEMES:
            text = st.text_area(label, "\n".join(value), help=tr("contest.themes_help"), key=key)
            return [line.strip() for line in text.splitlines() if line.strip()]
        case Kind.FLAG:
            return st.checkbox(label, value, key=key)
        case Kind.RUBRIC | Kind.AWARDS:
            st.markdown(f"**{label}**")
            columns = RUBRIC_COLUMNS if setting.kind == Kind.RUBRIC else AWARD_COLUMNS
            frame = pd.DataFrame(value, columns=list(columns))
            for name, column in columns.items():
                if column is st.column_config.TextColumn:  # a criterion saved before had none
                    frame[name] = frame[name].fillna("").astype(str)
            config = {name: column(tr(f"contest.col.{name}")) for name, column in columns.items()}
            shown = [name for name in columns if name != "key"]  # codes stay out of sight
            edited = _records(
                st.data_editor(
                    frame, num_rows="dynamic", key=key, column_config=config, column_order=shown
                )
            )
            return with_keys(edited) if setting.kind == Kind.RUBRIC else edited
        case Kind.COUNT | Kind.SHARE:
            return _number(setting, value, key)


def settings_form(contest: Contest) -> dict[str, Any] | None:
    """Render the form; return every setting's value when saved, else None."""
    prefix = f"contest{contest.id}"
    values: dict[str, Any] = {}
    with st.form(f"{prefix}_settings", enter_to_submit=False):
        for group in Group:
            settings = [s for s in SETTINGS if s.group == group]
            st.markdown(f"**{tr(f'contest.group.{group.value}')}**")
            numbers = [s for s in settings if s.kind in (Kind.COUNT, Kind.SHARE)]
            for setting in settings:
                if setting not in numbers:
                    values[setting.name] = _field(setting, contest, f"{prefix}_{setting.name}")
            for start in range(0, len(numbers), COLUMNS):
                row = numbers[start : start + COLUMNS]
                for column, setting in zip(st.columns(COLUMNS), row, strict=False):
                    with column:
                        key = f"{prefix}_{setting.name}"
                        values[setting.name] = _field(setting, contest, key)
        if not st.form_submit_button(tr("contest.save"), type="primary"):
            return None
    return values
