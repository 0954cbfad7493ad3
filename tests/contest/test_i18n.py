"""Korean and English strings stay in step, and every key the code uses exists in both."""

from __future__ import annotations

import ast
import json
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from contest.accounts import roster
from contest.contests import freezes
from contest.contests.rules import TIE_BREAKS
from contest.contests.settings import SETTINGS, Kind
from contest.contests.windows import WindowStatus
from contest.core.i18n import LANGUAGES, LOCALES_DIR, catalog, load_files, t
from contest.core.models import FlagLevel, OfficialsEntering, Role
from contest.entries import submissions
from contest.entries.views import Stage
from contest.exhibition.public import Viewing
from contest.judging.panel import Barrier
from contest.judging.readiness import STEPS
from contest.privacy.plan import FACTS
from contest.reports.audit_log import ACTIONS
from contest.reports.exports import FLAG_COLUMNS, RESULT_COLUMNS, TABLES
from contest.reports.record_tables import LEDGER_COLUMNS, WINNER_COLUMNS

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    [ROOT / "app.py", *(p for d in ("contest", "ui", "pages") for p in (ROOT / d).rglob("*.py"))]
)
TRANSLATORS = {"t", "tr"}
# Keys built at run time, spelled out: (prefix, every suffix the code can produce).
DYNAMIC_FAMILIES = {
    "role.": [r.value for r in Role],
    "error.roster.missing.": list(roster.REQUIRED),
    "error.entry.missing.": [*submissions.REQUIRED, "ai_tools"],
    "error.entry.too_long.": list(submissions.TEXT_FIELDS),
    "home.stage.": [f"{s.value}{part}" for s in Stage for part in ("", ".body")],
    "window.": [s.value for s in WindowStatus],
    # Why a vote button is off: keys the poster view hands to the page.
    "vote.why.": ["own_entry", "not_shown", "no_votes_left", WindowStatus.BEFORE, "closed"],
    "entry.lookalike.": [f"{w}.{level.value}" for w in ("own", "other") for level in FlagLevel],
    "audit.action.": list(ACTIONS),
    "audit.sentence.": list(ACTIONS),
    "export.col.": [
        *RESULT_COLUMNS,
        *FLAG_COLUMNS,
        *WINNER_COLUMNS,
        *LEDGER_COLUMNS,
        "status",
        "votes",
        "voted_at",
        "corrected",
    ],
    "export.sheet.": list(TABLES),
    "results.tie.": ["jury", "votes", "decision", "shared", "open"],
    "record.change.": ["entry_out", "entry_in", "title", "votes", "score", "setting", "none"],
    "contest.tie_break.": list(TIE_BREAKS),
    "ledger.void.": ["award_changed", "not_awarded"],
    "roster.imported.": ["both", "created", "updated", "none"],
    "winners.tier_": ["shared", "after_shared", "unfilled"],
    "lifecycle.step.": [*STEPS, "unpublish", "refinalise"],
    **{
        f"lifecycle.{part}.": [*STEPS, "unpublish", "refinalise"]
        for part in ("open", "ask", "confirm", "done", "consequence")
    },
    "panel.barrier.": [b.value for b in Barrier],
    "freeze.since.": [s.value for s in freezes.Stage],
    "freeze.allowed.": [a.value for a in freezes.Allowed],
    "contest.officials_entering.": [r.value for r in OfficialsEntering],
    "entrants.rule_note.": [r.value for r in OfficialsEntering],
    "settings.unit.": [s.name for s in SETTINGS if s.kind == Kind.COUNT],
    "shortlist.source.": ["vote", "manual"],
    "privacy.fact.": list(FACTS),
    "system.kind.": ["view", "action", "check", "call", "download"],
    "system.check.": ["database", "store"],
    "system.operation.": ["put", "get", "url", "delete", "exists", "list", "modified", "scan"],
    # What a scan promises (exhibition/public.py) and a poster's address says outside the dates.
    "scan.": ["public", "public_vote", "staff", "staff_vote"],
    "visit.viewing.": [
        f"{s.value}{part}" for s in Viewing if s != Viewing.OPEN for part in ("", ".body")
    ],
}


def _strict_pairs(pairs: list[tuple[str, str]]) -> dict[str, str]:
    keys = [k for k, _ in pairs]
    duplicated = {k for k in keys if keys.count(k) > 1}
    assert not duplicated, f"key repeated inside one file: {duplicated}"
    return dict(pairs)


def test_locale_files_are_valid_json_without_repeated_keys() -> None:
    for path in sorted(LOCALES_DIR.glob("*/*.json")):
        strings = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_strict_pairs)
        assert strings, path
        assert all(isinstance(v, str) and v.strip() for v in strings.values()), path


def test_ko_and_en_have_the_same_files_and_keys() -> None:
    ko, en = load_files("ko"), load_files("en")
    assert sorted(ko) == sorted(en)
    for name in ko:
        assert sorted(set(ko[name]) - set(en[name])) == [], f"only in ko/{name}"
        assert sorted(set(en[name]) - set(ko[name])) == [], f"only in en/{name}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_key_is_defined_in_two_files(lang: str) -> None:
    owner: dict[str, str] = {}
    for name, strings in load_files(lang).items():
        for key in strings:
            assert key not in owner, f"{key} is in both {owner[key]} and {name} ({lang})"
            owner[key] = name


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def test_placeholders_match_between_languages() -> None:
    ko, en = catalog("ko"), catalog("en")
    mismatched = {
        key: (_placeholders(ko[key]), _placeholders(en[key]))
        for key in ko.keys() & en.keys()
        if _placeholders(ko[key]) != _placeholders(en[key])
    }
    assert mismatched == {}


def _prefix(node: ast.expr) -> str | None:
    """The constant start of f"role.{x}" or "role." + x."""
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = node.left
        if isinstance(left, ast.Constant) and isinstance(left.value, str):
            return left.value
    return None


def _keys_in(node: ast.expr) -> Iterator[tuple[str, str]]:
    """("key", k) for a literal key, ("family", prefix) for one built at run time."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield "key", node.value
    elif isinstance(node, ast.IfExp):
        yield from _keys_in(node.body)
        yield from _keys_in(node.orelse)
    elif (prefix := _prefix(node)) is not None:
        yield "family", prefix


def _used(tree: ast.AST) -> Iterator[tuple[str, str]]:
    parts = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
    for node in ast.walk(tree):
        if id(node) in parts:
            continue  # the constant start of an f-string is a family, seen via its JoinedStr
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in TRANSLATORS and node.args:
                yield from _keys_in(node.args[0])
            elif name == "PageSpec" and len(node.args) >= 5:
                yield from _keys_in(node.args[1])
                yield from _keys_in(node.args[4])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value.startswith("error.") and " " not in node.value:
                yield "key", node.value
        elif isinstance(node, ast.JoinedStr) and (_prefix(node) or "").startswith("error."):
            yield "family", _prefix(node) or ""


def used_keys() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    keys: dict[str, set[str]] = {}
    families: dict[str, set[str]] = {}
    for path in SOURCES:
        where = str(path.relative_to(ROOT))
        for kind, value in _used(ast.parse(path.read_text(encoding="utf-8"))):
            (keys if kind == "key" else families).setdefault(value, set()).add(where)
    return keys, families


def test_the_scan_finds_keys() -> None:
    keys, families = used_keys()
    assert {"app.title", "error.auth_failed", "nav.home", "auth.sign_in"} <= set(keys)
    assert {"role.", "error.roster.missing.", "error.entry.missing."} <= set(families)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_key_used_in_the_source_exists(lang: str) -> None:
    strings = set(load_files_merged(lang))
    keys, families = used_keys()
    missing = {k: sorted(w) for k, w in keys.items() if k not in strings}
    for prefix, suffixes in DYNAMIC_FAMILIES.items():
        missing.update({prefix + s: ["(dynamic)"] for s in suffixes if prefix + s not in strings})
    unknown_families = {
        prefix: sorted(where)
        for prefix, where in families.items()
        if prefix not in DYNAMIC_FAMILIES and not any(k.startswith(prefix) for k in strings)
    }
    assert missing == {}
    assert unknown_families == {}


def load_files_merged(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for strings in load_files(lang).values():
        merged.update(strings)
    return merged


def test_translation_falls_back_and_fills_placeholders() -> None:
    assert t("role.judge", "ko") == "심사위원"
    assert t("role.judge", "en") != "심사위원"
    assert t("no.such.key", "en") == "no.such.key"
    assert "42" in t("error.too_many_attempts", "ko", seconds=42)
    assert t("app.title", "fr") == t("app.title", "ko")
