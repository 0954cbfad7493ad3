"""The house style (docs/korean-style.md), as far as a machine can read it: counting words,
entry numbers, particles, dates, terms and endings in Korean; numbers, dates and terms in
English. ``message_breaches`` reads both catalogues.

Each rule says what is wrong and what to write instead; a message that must break a rule for a
good reason is listed in ALLOWED with that reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

# Placeholders: "{count}", "{role:으로}", "{n:entry|entries}".
_SLOT = r"\{\w+(?::[^}]*)?\}"
_NUMBER = rf"(?:\d+|{_SLOT})"

# Korean ---------------------------------------------------------------------------------------

KOREAN_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"작품"), "작품: an entry is 출품작 (a winning one 수상작), counted with 편"),
    (
        re.compile(rf"{_NUMBER}\s?점(?![수검])"),
        "점 counts points only: entries are counted with 편",
    ),
    (
        re.compile(
            rf"(?:출품작|포스터|수상작)\s?{_NUMBER}\s?개|{_NUMBER}\s?개의?\s?(?:출품작|포스터)"
        ),
        "개 after entries: entries are counted with 편",
    ),
    (re.compile(rf"{_NUMBER}\s?/\s?{_NUMBER}"), "a fraction: write '13편 중 0편'"),
    (re.compile(rf"#\s?{_NUMBER}"), "#13: an entry or record number is written '13번'"),
    (re.compile(rf"(?<![가-힣])제\s?{_NUMBER}\s?번"), "제13번: write '13번'"),
    (re.compile(r"(?:\d+|\{\w*number\w*\})\s?번째"), "13번째: an entry number is '13번'"),
    (re.compile(rf"(?:출품|접수)\s?번호\s?{_NUMBER}(?!\s?번)"), "출품 번호 13: write '13번'"),
    (re.compile(r"\bID\b"), "ID: an entry is named by its number ('13번')"),
    (re.compile(rf"^{_NUMBER}\.\s"), "'13. ' reads as a rank: write '13번'"),
    (
        re.compile(r"\(으\)로|이\(가\)|을\(를\)|은\(는\)|와\(과\)|과\(와\)|\(이\)|\(가\)"),
        "a particle in brackets: choose it from the word ('{role:으로}', core/particles.py)",
    ),
    (re.compile(r"\d{4}-\d{1,2}-\d{1,2}"), "a date written by hand: core/dates.py writes dates"),
    (re.compile(r"\d{4}\.\s?\d{1,2}\.\s?\d{1,2}"), "a date written by hand: core/dates.py"),
    (re.compile(r"\d+월\s?\d+일"), "a date written by hand: core/dates.py writes dates"),
    (re.compile(r"\b\d{1,2}:\d{2}\b"), "a time written by hand: core/dates.py writes times"),
    (re.compile(r"KST"), "KST in Korean: dates are in the contest's time zone, '한국 시간'"),
    (re.compile(rf"{_NUMBER}\s?[편명표건개]\s?포함"), "a count that may be 0 in a fixed clause"),
    (re.compile(r"[^니]다\.$"), "not a polite ending: -습니다 / -ㅂ니다 / -해 주세요"),
    (re.compile(r"여신"), "여신 reads as 女神: write '연'"),
)
# One word per thing: the word on the left is written as the word on the right.
KOREAN_TERMS = {
    "정족수": "최소 심사위원 수 (the setting's own name)",
    "발표 취소": "발표 철회",
    "발표를 취소": "발표를 철회",
    "출품을 철회": "출품작을 철회",
    "출품 철회": "철회",
    "하루별": "일별",
    "되살": "되돌리기 (the moderation action's name)",
    "기계용": "영문 코드",
    "몰아서": "집중",
    "내역": "내용",
    "작성자": "출품자",
}
# Latin words a Korean message may hold: product and format names, codes people type.
KOREAN_LATIN = {
    "AI", "QR", "PDF", "CSV", "XLSX", "PNG", "JPEG", "WebP", "MB", "UTF", "CP949", "C2PA",
    "IPTC", "Stable", "Diffusion", "ComfyUI", "Midjourney", "TV", "p95", "A4",
}  # fmt: skip
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
# Code, addresses, e-mail and slugs people type ("ai-poster-2027"), none of them words.
_CODE = re.compile(
    r"`[^`]*`|https?://\S+|\S+@\S+|\bCONTEST_[A-Z_]+\b|\b[a-z0-9]+(?:[-.][a-z0-9]+)+\b"
)

# English --------------------------------------------------------------------------------------

ENGLISH_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"#\s?{_NUMBER}"), "#13: write 'No. 13'"),
    (re.compile(r"\bno\.\s"), "no. 13: write 'No. 13'"),
    (re.compile(r"\d{4}-\d{1,2}-\d{1,2}"), "a date written by hand: core/dates.py writes dates"),
    (re.compile(r"\b\d{1,2}:\d{2}\b"), "a time written by hand: core/dates.py writes times"),
    (re.compile(r"KST"), "KST: say 'Korea time'"),
    (re.compile(r"[가-힣]"), "Korean in an English message"),
    (
        re.compile(rf"{_SLOT} (?:entries|posters|votes|judges|people|colleagues|places|items)\b"),
        "a count with a plural noun: write '{n:entry|entries}' so that 1 reads '1 entry'",
    ),
    (re.compile(r"\w\(s\)"), "item(s): write '{n:item|items}'"),
    (re.compile(rf"{_NUMBER} ?/ ?{_NUMBER}"), "a fraction: write '0 of 13'"),
)
ENGLISH_TERMS = {
    "take back the publication": "withdraw the publication",
    "take the publication back": "withdraw the publication",
    "quorum": "the minimum number of judges (the setting's own name)",
}

# Messages that break a rule on purpose, and why.
ALLOWED: dict[tuple[str, str], str] = {
    ("date.day", "rank"): "the house style's date itself: 2026. 12. 4.(금)",
    ("date.moment", "rank"): "the house style's date itself",
    ("date.short", "rank"): "the house style's date itself, without the year",
}
# Messages where 점 after a number counts points (scores), as it should.
POINTS = {
    "results.how.v1", "results.how.v2", "winners.score", "contest.vote_worth",
    "lifecycle.fact.tie", "settings.words.criterion",
}  # fmt: skip


def _latin_words(text: str) -> list[str]:
    plain = re.sub(_SLOT, "", _CODE.sub("", text))
    return [w for w in _LATIN_WORD.findall(plain) if w not in KOREAN_LATIN]


def korean_breaches(text: str, latin: frozenset[str] = frozenset()) -> Iterator[str]:
    """What in one Korean message breaks the house style (``latin``: words it may also hold)."""
    for pattern, what in KOREAN_RULES:
        if found := pattern.search(text):
            yield f"{what}: {found.group()!r}"
    for word, instead in KOREAN_TERMS.items():
        if word in re.sub(_SLOT, "", text):
            yield f"{word}: write {instead}"
    if words := [w for w in _latin_words(text) if w not in latin]:
        yield f"English in a Korean message: {words}"


def english_breaches(text: str, korean: str) -> Iterator[str]:
    """What in one English message breaks the house style; ``korean`` is the same message in
    Korean (the English term for a thing follows the Korean one)."""
    for pattern, what in ENGLISH_RULES:
        if found := pattern.search(text):
            yield f"{what}: {found.group()!r}"
    words = re.sub(_SLOT, "", _CODE.sub("", text.lower()))
    for term, instead in ENGLISH_TERMS.items():
        if term in words:
            yield f"{term}: write {instead}"
    if re.search(r"\bposters?\b", words) and "포스터" not in korean:
        yield "poster for 출품작: an entry is 'entry' (a poster is the picture, 포스터)"


# Latin words particular messages hold: the roster's role codes, a tool's name in an example.
KOREAN_LATIN_BY_KEY = {
    "error.roster.bad_role": frozenset({"staff", "judge", "admin"}),  # the CSV takes them
    "results.machine_help": frozenset({"number", "title"}),  # the codes the option writes
    "auth.login_example": frozenset({"D1001"}),  # an employee number
}


def message_breaches(catalogues: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Every breach in both catalogues ({"ko": {key: text}, "en": {...}}), as "lang key: why"."""
    found: list[str] = []
    ko, en = catalogues["ko"], catalogues["en"]
    for key, text in ko.items():
        latin = KOREAN_LATIN_BY_KEY.get(key, frozenset())
        found += [
            f"ko {key}: {why}" for why in korean_breaches(text, latin) if not _allowed(key, why)
        ]
    for key, text in en.items():
        found += [
            f"en {key}: {why}"
            for why in english_breaches(text, ko.get(key, ""))
            if not _allowed(key, why)
        ]
    return found


def _allowed(key: str, why: str) -> bool:
    if key in POINTS and why.startswith("점 counts points"):
        return True
    return any(key == k and word in why for k, word in ALLOWED)
