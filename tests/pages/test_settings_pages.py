"""AppTest: the contest settings form shows a setting frozen now as locked, with why in words;
a late window extension asks a reason in a confirmation that states it in numbers; a save that
changes nothing says so."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from contest.contests.freezes import LATE_CHANGE
from contest.contests.queries import require_current
from contest.core.models import AuditEvent
from contest.core.timeutil import local
from tests.factories import demo_to_judging
from tests.pages.support import button, demo_app, demo_runtime, sign_in_as

pytestmark = pytest.mark.usefixtures("app_env")


def settings_page(at: AppTest | None = None) -> AppTest:
    at = at or demo_app()
    sign_in_as(at, "D9001")
    at.switch_page("pages/admin_contest.py").run()
    assert not at.exception
    return at


def widget(elements: object, name: str) -> object:
    return next(w for w in elements if (w.key or "").endswith(f"_{name}"))  # type: ignore[attr-defined]


def captions(at: AppTest) -> list[str]:
    return [str(c.value) for c in at.caption]


def test_during_judging_the_weights_are_locked_with_the_reason(app_env: Path) -> None:
    at = demo_app()
    demo_to_judging(demo_runtime())
    settings_page(at)
    weight = widget(at.slider, "jury_weight")
    assert weight.disabled  # type: ignore[attr-defined]
    assert widget(at.number_input, "judge_quorum").disabled  # type: ignore[attr-defined]
    assert widget(at.radio, "officials_entering").disabled  # type: ignore[attr-defined]
    assert not widget(at.checkbox, "show_author_names").disabled  # type: ignore[attr-defined]
    judging = (
        "본선 명단이 확정되어 심사위원이 심사 기준과 함께 보고 있습니다. 이제는 바꿀 수 없습니다."
    )
    assert judging in captions(at)
    assert "투표가 마감되었습니다. 이제는 바꿀 수 없습니다." in captions(at)
    button(at, "설정 저장").click().run()  # the locked values go back unchanged
    assert not at.exception and not at.error
    assert "바뀐 설정이 없습니다." in [str(s.value) for s in at.success]


def test_a_late_extension_is_confirmed_with_numbers_and_a_reason(app_env: Path) -> None:
    at = settings_page()
    with demo_runtime().session() as session:
        closes = local(require_current(session).voting_closes_at, "Asia/Seoul")
    assert any("늦추기만 할 수 있고" in c for c in captions(at))
    widget(at.date_input, "voting_closes_at_date").set_value(closes.date() + timedelta(days=2))  # type: ignore[attr-defined]
    button(at, "설정 저장").click().run()
    assert not at.exception
    shown = " ".join(str(m.value) for m in at.markdown) + " ".join(str(w.value) for w in at.warning)
    assert shown.count("23:\u206059:\u206059") == 2  # before and after keep the seconds
    assert "투표 마감이 2일 늦춰집니다." in shown and "표를 투표했습니다" in shown
    at.button(key="settings_confirm").click().run()
    assert any("사유를 적어 주세요: 투표 마감" in str(e.value) for e in at.error)
    at.text_input(key="settings_reason").input("전산 장애로 이틀 연장").run()
    at.button(key="settings_confirm").click().run()
    assert not at.exception
    assert any("바뀐 설정 1개: 투표 마감" in str(s.value) for s in at.success)
    with demo_runtime().session() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == LATE_CHANGE)).one()
        assert event.reason == "전산 장애로 이틀 연장"
        assert local(require_current(session).voting_closes_at, "Asia/Seoul") == closes + timedelta(
            days=2
        )
