"""The settings form of a contest, built from contest.contests.settings.SETTINGS; the values go
to contest.contests.manage.update_settings, which checks them again. A setting frozen now
(contests/freezes.py) is drawn locked with the reason in words, or, where it may still move one
way, with what may change."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from contest.contests.freezes import Frozen
from contest.contests.settings import SETTINGS, Group, Kind, Setting, with_keys
from contest.contests.vote_points import vote_worth
from contest.core.models import Contest
from contest.core.timeutil import local
from ui.format import number
from ui.i18n import lang, tr

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


def _moment(setting: Setting, value: datetime, tz: str, key: str, off: bool) -> datetime:
    current = local(value, tz)
    left, right = st.columns(2)
    label = tr(f"contest.{setting.name}")
    day = left.date_input(label, current.date(), key=f"{key}_date", disabled=off)
    clock = right.time_input(
        tr("contest.time"), current.time(), key=f"{key}_time", step=60, disabled=off
    )
    if (clock.hour, clock.minute) == (current.hour, current.minute):
        clock = current.time()  # the widget shows minutes: an untouched 23:59:59 stays so
    return datetime.combine(day, clock, tzinfo=ZoneInfo(tz))


def _number(setting: Setting, value: Any, key: str, off: bool) -> Any:
    assert setting.low is not None and setting.high is not None
    label = tr(f"contest.{setting.name}")
    if setting.kind == Kind.SHARE:  # a share is shown and chosen as a whole percentage
        step = round((setting.step or 0.05) * 100)
        low, high = round(setting.low * 100), round(setting.high * 100)
        percent = st.slider(
            label, low, high, round(float(value) * 100), step, "%d%%", key=key, disabled=off
        )
        return percent / 100
    return st.number_input(
        label, int(setting.low), int(setting.high), int(value), key=key, disabled=off
    )


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    frame = frame.dropna(how="all")
    return [
        {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
        for row in frame.to_dict(orient="records")
    ]


def _field(setting: Setting, contest: Contest, key: str, lock: Frozen | None, say: bool) -> Any:
    """The setting's widget, locked when nothing about it may change, and under it (``say``)
    why it is frozen and what may still change."""
    value = _widget(setting, contest, key, off=lock is not None and lock.locked)
    if lock is not None and say:
        st.caption(lock.why().text(lang()))
    return value


def _shared_reason(settings: list[Setting], frozen: Mapping[str, Frozen]) -> str | None:
    """The reason every setting of a group is frozen for, when they all share one: said once
    under the group's heading rather than under each field."""
    reasons = {lock.why().text(lang()) if (lock := frozen.get(s.name)) else None for s in settings}
    return next(iter(reasons)) if len(reasons) == 1 else None


def _widget(setting: Setting, contest: Contest, key: str, off: bool) -> Any:
    value = getattr(contest, setting.name)
    label = tr(f"contest.{setting.name}")
    match setting.kind:
        case Kind.TEXT:
            high = int(setting.high or 0) or None
            return st.text_input(label, value, max_chars=high, key=key, disabled=off)
        case Kind.TIMEZONE:
            return st.text_input(label, value, key=key, disabled=off)
        case Kind.MOMENT:
            return _moment(setting, value, contest.timezone, key, off)
        case Kind.THEMES:
            text = st.text_area(
                label, "\n".join(value), help=tr("contest.themes_help"), key=key, disabled=off
            )
            return [line.strip() for line in text.splitlines() if line.strip()]
        case Kind.FLAG:
            return st.checkbox(label, value, key=key, disabled=off)
        case Kind.CHOICE:
            return st.radio(
                label,
                setting.choices,
                index=setting.choices.index(value) if value in setting.choices else 0,
                format_func=lambda choice: tr(f"contest.{setting.name}.{choice}"),
                key=key,
                disabled=off,
            )
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
                    frame,
                    num_rows="fixed" if off else "dynamic",
                    key=key,
                    column_config=config,
                    column_order=shown,
                    disabled=off,
                )
            )
            return with_keys(edited) if setting.kind == Kind.RUBRIC else edited
        case Kind.COUNT | Kind.SHARE:
            return _number(setting, value, key, off)


def vote_preview(contest: Contest, top_votes: int) -> str:
    """ "투표 1표는 최종 점수로 약 X점": the saved weights, today's most-voted poster."""
    return tr(
        "contest.vote_worth",
        worth=number(vote_worth(contest.jury_weight, contest.rubric, top_votes), 2),
        top=top_votes,
        most=number(vote_worth(contest.jury_weight, contest.rubric, 0), 2),
        point=number(contest.jury_weight, 2),
    )


def settings_form(
    contest: Contest, frozen: Mapping[str, Frozen], top_votes: int = 0
) -> dict[str, Any] | None:
    """Render the form; return every setting's value when saved, else None. ``frozen``: the
    settings frozen now, by name (contests.freezes.frozen); ``top_votes``: the most votes a
    poster has now, for the preview of what one vote is worth."""
    prefix = f"contest{contest.id}"
    values: dict[str, Any] = {}
    with st.form(f"{prefix}_settings", enter_to_submit=False):
        for group in Group:
            settings = [s for s in SETTINGS if s.group == group]
            st.markdown(f"**{tr(f'contest.group.{group.value}')}**")
            shared = _shared_reason(settings, frozen)
            if shared:
                st.caption(shared)
            numbers = [s for s in settings if s.kind in (Kind.COUNT, Kind.SHARE)]
            for setting in settings:
                if setting not in numbers:
                    key, lock = f"{prefix}_{setting.name}", frozen.get(setting.name)
                    values[setting.name] = _field(setting, contest, key, lock, not shared)
            for start in range(0, len(numbers), COLUMNS):
                row = numbers[start : start + COLUMNS]
                for column, setting in zip(st.columns(COLUMNS), row, strict=False):
                    with column:
                        key, lock = f"{prefix}_{setting.name}", frozen.get(setting.name)
                        values[setting.name] = _field(setting, contest, key, lock, not shared)
            if group == Group.JUDGING:
                st.caption(vote_preview(contest, top_votes))
        if not st.form_submit_button(tr("contest.save"), type="primary"):
            return None
    return values
