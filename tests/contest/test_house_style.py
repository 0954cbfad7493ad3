"""Every message of both catalogues follows the house style (docs/korean-style.md), and the
particles and counts the house style asks ``t`` to write come out right."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from contest.core import dates
from contest.core.i18n import LANGUAGES, catalog, t
from contest.core.particles import particle
from tests.house_style import korean_breaches, message_breaches


def catalogues() -> dict[str, dict[str, str]]:
    return {lang: dict(catalog(lang)) for lang in LANGUAGES}


def test_every_message_in_both_catalogues_follows_the_house_style() -> None:
    assert message_breaches(catalogues()) == []


@pytest.mark.parametrize(
    "planted",
    [
        "심사 진행: 0 / 13작품",  # 작품 and a fraction
        "출품작 제13번으로 접수되었습니다.",
        "출품 번호 13",
        "#13 출품작을 숨겼습니다.",
        "{name} 님의 역할을 {role}(으)로 바꿨습니다.",
        "투표 마감: 2026-12-04 09:00 KST",
        "로그인하시면 QR 코드로 여신 출품작 화면으로 바로 이동합니다.",
        "하루별 출품과 투표",
        "심사위원 정족수에 못 미칩니다.",
        "이 출품작의 출품을 철회합니다",
        "출품작 13점",
        "투표를 저장했다.",
    ],
)
def test_a_planted_breach_is_caught(planted: str) -> None:
    """The check reads what it claims to: a message written the old way fails it."""
    found = catalogues()
    found["ko"]["planted"] = planted
    assert [why for why in message_breaches(found) if why.startswith("ko planted:")]


def test_13_jakpum_planted_fails_the_check() -> None:
    found = catalogues()
    found["ko"]["judging.progress"] = "심사 진행: {scored} / {total}작품"
    assert any("작품" in why for why in message_breaches(found))
    assert list(korean_breaches("심사 진행: 13편 중 0편")) == []


@pytest.mark.parametrize(
    ("word", "form", "said"),
    [
        ("직원", "으로", "으로"),
        ("심사위원", "으로", "으로"),
        ("관리자", "으로", "로"),
        ("서울", "으로", "로"),  # ㄹ takes 로
        ("Midjourney", "으로", "로"),
        ("ComfyUI", "으로", "로"),
        ("Stable Diffusion", "으로", "으로"),
        ("결과 기록 2번", "이", "이"),
        ("시스템", "이", "이"),
        ("데모 준비", "이", "가"),
        ("정책", "을", "을"),
        ("고도화", "을", "를"),
        ("10", "이", "이"),  # 십
        ("2", "이", "가"),  # 이
        ("사번", "은", "은"),
        ("이메일", "은", "은"),
        ("기간", "과", "과"),
        ("주제", "과", "와"),
    ],
)
def test_a_particle_follows_the_sound_its_word_ends_on(word: str, form: str, said: str) -> None:
    assert particle(word, form) == said


def test_t_writes_particles_and_english_counts() -> None:
    assert t("users.role_set", "ko", name="김민준", role="심사위원") == (
        "김민준 님의 역할을 심사위원으로 바꿨습니다."
    )
    assert t("users.role_set", "ko", name="김민준", role="관리자").endswith("관리자로 바꿨습니다.")
    assert t("winners.tier", "en", award="Grand prize", places=1) == "Grand prize (1 place)"
    assert t("winners.tier", "en", award="Merit", places=3) == "Merit (3 places)"
    assert t("winners.tier", "ko", award="최우수", places=1) == "최우수 (1편)"


def test_dates_are_said_in_the_house_style_with_seconds_only_when_asked() -> None:
    at = datetime(2026, 12, 4, 0, 0, 7, tzinfo=UTC)  # 09:00:07 in Seoul, a Friday
    nbsp = "\u00a0"
    assert dates.moment(at, "Asia/Seoul", "ko") == f"2026.{nbsp}12.{nbsp}4.(금){nbsp}09:00"
    assert dates.moment(at, "Asia/Seoul", "ko", seconds=True).endswith("09:00:07")
    assert dates.day(at, "Asia/Seoul", "ko") == f"2026.{nbsp}12.{nbsp}4.(금)"
