"""User-facing strings from contest/locales/<lang>/*.json; Korean is the default.

Each area keeps its own file (common.json, accounts.json, ...); the files of one language are
merged, and a key defined twice is a bug caught by tests/contest/test_i18n.py.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from contest.core.errors import ContestError
from contest.core.particles import FORMS, counted, particle

LANGUAGES = ("ko", "en")
DEFAULT_LANGUAGE = "ko"
LOCALES_DIR = Path(__file__).parents[1] / "locales"


def load_files(lang: str) -> dict[str, dict[str, str]]:
    """Each locale file's strings, by file name (for the consistency tests)."""
    return {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((LOCALES_DIR / lang).glob("*.json"))
    }


@cache
def catalog(lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    merged: dict[str, str] = {}
    for strings in load_files(lang).values():
        merged.update(strings)
    return merged


@dataclass(frozen=True)
class Phrase:
    """Words said later in the reader's language: a key and its parameters (which may be
    Phrases or Moments too). Services name a setting in a refusal with one, so that whoever
    reads it reads it in their own language."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return t(self.key, lang, **self.params)


def phrase(key: str, **params: Any) -> Phrase:
    return Phrase(key, params)


@runtime_checkable
class Said(Protocol):
    """Words said later in the reader's language: a Phrase, or a moment or a length of time
    (core/dates.py)."""

    def text(self, lang: str) -> str: ...


def _said(value: Any, lang: str) -> Any:
    """A parameter in words (a Phrase, Moment or Duration) said in ``lang``; a tuple of them
    said one after another, separated by commas."""
    if isinstance(value, Said):
        return value.text(lang)
    if isinstance(value, tuple) and value and all(isinstance(v, Said) for v in value):
        return ", ".join(v.text(lang) for v in value)
    return value


class _Words(string.Formatter):
    """Format specs for words: a Korean particle after its word ("{role:으로}", core/particles)
    and an English count with its noun in number ("{n:entry|entries}")."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        if format_spec in FORMS:
            return f"{value}{particle(str(value), format_spec)}"
        if "|" in format_spec:
            return counted(value, format_spec)
        return super().format_field(value, format_spec)


_WORDS = _Words()
_WORD_SPEC = re.compile(r"\{\w*:[^}]*(?:[^\x00-\x7f]|\|)")


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """Translate ``key``; falls back to Korean, then to the key itself so a gap is visible.
    Parameters that are ``Said`` (Phrases, Moments, Durations) are said in the same language;
    a particle or a count's noun follows its word (``_Words``)."""
    text = catalog(lang).get(key) or catalog(DEFAULT_LANGUAGE).get(key) or key
    if not params:
        return text
    params = {name: _said(value, lang) for name, value in params.items()}
    try:
        if _WORD_SPEC.search(text):
            return _WORDS.format(text, **params)
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


def error_message(error: ContestError, lang: str = DEFAULT_LANGUAGE) -> str:
    return t(error.key, lang, **error.params)
