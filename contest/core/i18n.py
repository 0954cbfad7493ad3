"""User-facing strings from contest/locales/<lang>/*.json; Korean is the default.

Each area keeps its own file (common.json, accounts.json, ...); the files of one language are
merged, and a key defined twice is a bug caught by tests/contest/test_i18n.py.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from contest.core.errors import ContestError

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


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """Translate ``key``; falls back to Korean, then to the key itself so a gap is visible."""
    text = catalog(lang).get(key) or catalog(DEFAULT_LANGUAGE).get(key) or key
    try:
        return text.format(**params) if params else text
    except (KeyError, IndexError, ValueError):
        return text


def error_message(error: ContestError, lang: str = DEFAULT_LANGUAGE) -> str:
    return t(error.key, lang, **error.params)
