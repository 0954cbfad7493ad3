"""Korean particles that follow the sound a word ends on (받침), so that no message writes
"직원(으)로" or "기록 2이": a message names the form after a final consonant as its
placeholder's format spec, "{role:으로}", and ``core.i18n.t`` writes the word with the form it
takes ("심사위원으로", "직원으로"). English messages count the same way: "{n:entry|entries}".

Words come from people (titles, names, tools) as well as from the catalogue, so the ending is
read from a Hangul syllable, a digit as Koreans read numbers (1 일, 10 십, 1000 천) or Latin
letters as Koreans say them (an acronym letter by letter, "PDF" 에프; a word by its last
letters, "Stable Diffusion" 션).
"""

from __future__ import annotations

from enum import Enum


class Ending(Enum):
    VOWEL = "vowel"
    RIEUL = "rieul"  # ㄹ: takes 로, not 으로
    CONSONANT = "consonant"


# The form after a final consonant -> (that form, the form after a vowel).
FORMS = {
    "이": ("이", "가"),
    "을": ("을", "를"),
    "은": ("은", "는"),
    "과": ("과", "와"),
    "으로": ("으로", "로"),
}

_HANGUL = ("가", "힣")
_RIEUL_FINAL = 8  # ㄹ among the 27 final consonants of a syllable
_DIGITS = {  # how Koreans read the last digit: 영 일 이 삼 사 오 육 칠 팔 구
    "0": Ending.CONSONANT,
    "1": Ending.RIEUL,
    "2": Ending.VOWEL,
    "3": Ending.CONSONANT,
    "4": Ending.VOWEL,
    "5": Ending.VOWEL,
    "6": Ending.CONSONANT,
    "7": Ending.RIEUL,
    "8": Ending.RIEUL,
    "9": Ending.VOWEL,
}
_LETTERS_SAID = {"L": Ending.RIEUL, "R": Ending.RIEUL, "M": Ending.CONSONANT, "N": Ending.CONSONANT}
_WORD_ENDINGS = (("ng", Ending.CONSONANT), ("m", Ending.CONSONANT), ("n", Ending.CONSONANT),
                 ("p", Ending.CONSONANT), ("k", Ending.CONSONANT), ("l", Ending.RIEUL))  # fmt: skip
_TRAILING = " )]’'\"」』."


def _number(digits: str) -> Ending:
    """10 십, 100 백, 1000 천, 10000 만: a round number ends on its unit's sound."""
    significant = digits.rstrip("0")
    zeros = len(digits) - len(significant)
    if not significant or zeros == 0:
        return _DIGITS[digits[-1]]
    return Ending.CONSONANT  # 십 (ㅂ), 백 (ㄱ), 천 and 만 (ㄴ)


def ending(word: str) -> Ending:
    """The sound ``word`` ends on as a Korean reader says it."""
    text = word.rstrip(_TRAILING)
    if not text:
        return Ending.VOWEL
    last = text[-1]
    if _HANGUL[0] <= last <= _HANGUL[1]:
        final = (ord(last) - ord(_HANGUL[0])) % 28
        return (
            Ending.VOWEL
            if final == 0
            else Ending.RIEUL
            if final == _RIEUL_FINAL
            else Ending.CONSONANT
        )
    if last.isdigit():
        start = len(text)
        while start and text[start - 1].isdigit():
            start -= 1
        return _number(text[start:])
    if last.isascii() and last.isalpha():
        if last.isupper() and (len(text) == 1 or not text[-2].islower()):
            return _LETTERS_SAID.get(last, Ending.VOWEL)  # an acronym: said letter by letter
        lower = text.lower()
        return next((said for end, said in _WORD_ENDINGS if lower.endswith(end)), Ending.VOWEL)
    return Ending.VOWEL


def particle(word: str, form: str) -> str:
    """The particle ``form`` names (its form after a consonant: "이", "을", "은", "과",
    "으로") as it follows ``word``."""
    after_consonant, after_vowel = FORMS[form]
    said = ending(word)
    if form == "으로":
        return after_consonant if said == Ending.CONSONANT else after_vowel
    return after_vowel if said == Ending.VOWEL else after_consonant


def counted(value: object, spec: str) -> str:
    """An English count with its noun in number: spec "entry|entries" -> "1 entry", "3 entries"."""
    one, many = spec.split("|", 1)
    return f"{value} {one if value == 1 else many}"
