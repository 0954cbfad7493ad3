"""The plain-language check itself catches what officials read on the old admin screens."""

from __future__ import annotations

import pytest

from tests.plain_words import leftovers

OLD_SCREENS = [  # each seen on an admin or judge page before the plain-language work
    "value -- streamlit-generated",  # the dashboard's judging chart
    "0.000000",
    "judge_id",
    "quorum_met",
    "None",  # the results table
    "false",  # a boolean cell
    "{'from': 'open', 'to': 'voting_closed'}",  # the audit log's details
    '{"global_bits": 3, "differing_share": 0.0}',  # duplicate evidence as JSON
    "0.133333",  # a share in the vote integrity report
]


@pytest.mark.parametrize("text", OLD_SCREENS)
def test_raw_values_are_caught_in_both_languages(text: str) -> None:
    assert leftovers([text], "ko") and leftovers([text], "en")


@pytest.mark.parametrize(
    "text",
    [
        "e-mail",  # the roster's column
        "cast",  # the vote chart's legend
        "retract",
        "@aria-label day: 2026-11-29; submissions: 3",  # a chart mark, read out
        "judge",
    ],
)
def test_english_words_are_caught_in_korean_mode(text: str) -> None:
    assert leftovers([text], "ko") and not leftovers([text], "en")


def test_korean_interface_strings_are_caught_in_english_mode() -> None:
    assert leftovers(["결과 집계"], "en") and not leftovers(["결과 집계"], "ko")


def test_korean_counting_words_are_caught_in_english_mode() -> None:
    """The audit log once named entries "12번 ‘바다’" in English too."""
    line = "2026-10-14 09:12 김민준 (혁신정책담당관) submitted entry 12번 ‘바다’"
    assert leftovers([line], "en") and not leftovers([line.replace("12번", "No. 12")], "en")


@pytest.mark.parametrize(
    "text",
    [
        "2026-10-14 09:12 김민준 (혁신정책담당관) 님이 출품작을 철회했습니다: 12번 ‘바다’",
        "AI 활용 내역: Stable Diffusion, ChatGPT / DALL·E",
        "d1001@demo.incheon.go.kr",
        "QR 코드: http://localhost:8501/?entry=1",
        "참여율 13%",
        "2026 AI 혁신 포스터 경진대회 (데모) (demo-2026)",
    ],
)
def test_plain_korean_with_data_passes(text: str) -> None:
    assert leftovers([text], "ko") == []
