"""What a settings save changes, as values that compare and read.

Each setting's value has a normal form (moments as UTC ISO text, whole numbers as int, every
rubric row with every column), so that a form sending every value in Korean time compares equal
to what is stored in UTC. The audit row of a save keeps only the settings that differ, before and
after in normal form; ``Change.text`` says one in the reader's language (dates in the contest's
zone, shares as %, the rubric and awards summarised, yes/no).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from contest.contests.settings import BY_NAME, SETTINGS, Kind, Setting
from contest.core.dates import Moment
from contest.core.i18n import DEFAULT_LANGUAGE, catalog, t
from contest.core.models import Contest
from contest.core.timeutil import as_utc

TEXT_FIELDS = frozenset({"key", "label", "description", "name"})  # of rubric rows and tiers
ROW_FIELDS = {
    Kind.RUBRIC: ("key", "label", "weight", "min", "max", "description"),
    Kind.AWARDS: ("name", "count"),
}


def _number(value: Any) -> Any:
    """2.0 → 2: a number typed in a table compares equal to the stored whole number."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _cell(name: str, value: Any) -> Any:
    if name in TEXT_FIELDS:
        return "" if value is None else str(value).strip()
    return _number(value)


def normal(setting: Setting, value: Any) -> Any:
    """``value`` of ``setting`` in the form that is stored in the audit log and compared."""
    match setting.kind:
        case Kind.MOMENT:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else value
            return as_utc(moment).isoformat()
        case Kind.SHARE:
            return round(float(value), 4)
        case Kind.COUNT:
            return _number(value)
        case Kind.FLAG:
            return bool(value)
        case Kind.THEMES:
            return [str(theme) for theme in value]
        case Kind.RUBRIC | Kind.AWARDS:
            fields = ROW_FIELDS[setting.kind]
            return [{name: _cell(name, row.get(name)) for name in fields} for row in value]
    return str(value)


def normal_values(contest: Contest) -> dict[str, Any]:
    """Every editable setting of ``contest`` in normal form."""
    return {s.name: normal(s, getattr(contest, s.name)) for s in SETTINGS}


@dataclass(frozen=True)
class Change:
    """One setting a save changed, in normal form; ``late`` when it was frozen already."""

    name: str
    before: Any
    after: Any
    late: bool = False

    def text(self, lang: str, timezone: str) -> str:
        """ "심사위원 점수 비중: 80% → 50%"."""
        return t(
            "settings.change",
            lang,
            label=t(f"contest.{self.name}", lang),
            before=value_text(self.name, self.before, timezone, lang),
            after=value_text(self.name, self.after, timezone, lang),
        )


def differences(
    before: Mapping[str, Any], after: Mapping[str, Any], late: Iterable[str] = ()
) -> tuple[Change, ...]:
    """The settings whose normal values differ, in the order of SETTINGS."""
    frozen = set(late)
    return tuple(
        Change(name, before[name], after[name], name in frozen)
        for name in (s.name for s in SETTINGS)
        if name in before and name in after and before[name] != after[name]
    )


def details(changes: Iterable[Change]) -> dict[str, Any]:
    """What the audit row of a save keeps: each change before → after, the late ones named."""
    changes = tuple(changes)
    return {
        "changes": {c.name: {"before": c.before, "after": c.after} for c in changes},
        "late": [c.name for c in changes if c.late],
    }


def recorded(row: Mapping[str, Any]) -> tuple[Change, ...]:
    """The changes an audit row of a settings save holds. Rows written before the changes were
    kept alone held every field sent ("before"/"after" in full, times in two zones): they are
    compared in normal form here, so they read as what really changed too."""
    late = row.get("late", [])
    if "changes" in row:
        return tuple(
            Change(name, value.get("before"), value.get("after"), name in late)
            for name, value in row["changes"].items()
        )
    before, after = row.get("before", {}), row.get("after", {})
    normalised = [
        {name: normal(BY_NAME[name], value) for name, value in side.items() if name in BY_NAME}
        for side in (before, after)
    ]
    return differences(*normalised)


def value_text(name: str, value: Any, timezone: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A setting's normal value as people read it."""
    setting = BY_NAME.get(name)
    if setting is None or value is None:
        return "—" if value is None else str(value)
    match setting.kind:
        case Kind.MOMENT:
            return Moment(datetime.fromisoformat(value), timezone).text(lang)
        case Kind.SHARE:
            return f"{float(value):.0%}"
        case Kind.COUNT:
            unit = f"settings.unit.{name}"
            return t(unit, lang, n=value) if unit in catalog(DEFAULT_LANGUAGE) else str(value)
        case Kind.FLAG:
            return t("common.yes" if value else "common.no", lang)
        case Kind.CHOICE:
            return t(f"contest.{name}.{value}", lang)
        case Kind.THEMES:
            return ", ".join(value)
        case Kind.RUBRIC:
            return ", ".join(_criterion(c, lang) for c in value)
        case Kind.AWARDS:
            tiers = (
                t("settings.words.award", lang, name=a["name"], count=a["count"]) for a in value
            )
            return ", ".join(tiers) or "—"
    return str(value)


def _criterion(criterion: Mapping[str, Any], lang: str) -> str:
    """ "창의성·혁신성 30 (1~10점)": its label, weight and score range."""
    return t(
        "settings.words.criterion",
        lang,
        label=criterion.get("label") or criterion.get("key"),
        weight=_number(criterion.get("weight")),
        low=criterion.get("min"),
        high=criterion.get("max"),
    )
