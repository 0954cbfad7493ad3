"""Plain words, as far as a machine can read them from what a screen says: no raw keys, None,
booleans, dicts, JSON or long raw decimals in either language; in Korean mode no English
leftovers, in English mode no Korean interface strings or counting words. ``leftovers`` is the
one check; tests/e2e/plain.py reads a page's texts from Chromium, tests/pages/plain_read.py
from AppTest.
"""

from __future__ import annotations

import re
from functools import cache

from contest.core.i18n import catalog
from contest.entries.submissions import AI_TOOLS

# Raw values that must never reach a screen, in either language.
RAW = (
    (re.compile(r"\b(None|nan|NaN|NaT|True|False|true|false|null)\b"), "raw value"),
    (re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"), "snake_case key"),
    (re.compile(r"[{\[]\s*['\"]?\w+['\"]?\s*:"), "dict or JSON"),
    (re.compile(r"\d\.\d{5,}"), "raw decimal"),
    (re.compile(r"streamlit-generated|value --"), "chart internals"),
)
# English words a Korean page may show: abbreviations and data, never sentences.
ALLOWED_ENGLISH = {
    "AI", "CSV", "XLSX", "PDF", "QR", "ID", "KST", "PNG", "JPEG", "WebP", "URL", "MB", "OIDC",
    "SSO", "UTF",
    "Asia", "Seoul", "http", "https", "localhost", "www", "demo", "incheon", "go", "kr",
}  # fmt: skip
_ENGLISH_WORD = re.compile(r"(?<![A-Za-z0-9@./:])[A-Za-z]{3,}(?![A-Za-z0-9@])")
# A number with a Korean counting word ("12번", "3편", "5표", "2명", "1건"): interface wording
# built in code, never data (titles and names carry no such counts on these screens).
_KOREAN_COUNT = re.compile(r"\d\s?(?:번|편|표|명|건)(?![가-힣])")
_DATA = (
    re.compile(r"\S+@\S+"),  # e-mail addresses in the roster
    re.compile(r"https?://\S+"),  # QR links
    re.compile(r"\b(?=[a-z0-9-]*\d)[a-z0-9]+(?:-[a-z0-9]+)+\b"),  # contest slugs (demo-2026)
)


@cache
def _interface(lang: str) -> frozenset[str]:
    """Strings of ``lang`` that differ from the other language (so they are interface text)."""
    other = "en" if lang == "ko" else "ko"
    mine, theirs = catalog(lang), catalog(other)
    return frozenset(
        value
        for key, value in mine.items()
        if "{" not in value and value != theirs.get(key) and len(value) >= 4
    )


def leftovers(texts: list[str], lang: str) -> list[str]:
    """Texts that are not plain ``lang``: raw values anywhere, the other language's strings."""
    found = []
    foreign = _interface("en" if lang == "ko" else "ko")
    for text in texts:
        shown = text.split(" ", 1)[1] if text.startswith("@") else text
        for pattern, what in RAW:
            if pattern.search(shown):
                found.append(f"{what}: {text!r}")
        if shown in foreign:
            found.append(f"other language: {text!r}")
        if lang == "en" and _KOREAN_COUNT.search(shown):
            found.append(f"Korean counting word in English mode: {text!r}")
        if lang == "ko":
            plain = shown
            for tool in AI_TOOLS:
                plain = plain.replace(tool, "")
            for pattern in _DATA:
                plain = pattern.sub("", plain)
            words = [w for w in _ENGLISH_WORD.findall(plain) if w not in ALLOWED_ENGLISH]
            if words:
                found.append(f"English in Korean mode {words}: {text!r}")
    return found
