"""AppTest: text people typed reaches Markdown-rendering elements escaped (the sidebar's name
and department, refusals that quote what an admin typed), and the contest settings form offers
no upload cap above the server's and shows a share as a percentage. tests/e2e/test_plain_text.py
checks the rendering itself."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from contest.contests.settings import contest_upload_cap_mb, server_upload_mb
from contest.core.models import Contest, User
from tests.pages.support import demo_app, demo_runtime, sign_in_as, signed_in_session
from ui.text import md

pytestmark = pytest.mark.usefixtures("app_env")
HOSTILE = "**bold** ![p](http://evil.example/t.png)"


def _markdown_values(at: AppTest) -> list[str]:
    kinds = ("markdown", "caption", "title", "subheader", "error", "success", "info", "warning")
    return [str(e.value) for kind in kinds for e in at.get(kind)]


def test_the_sidebar_shows_a_name_as_text(app_env: Path) -> None:
    demo_app()
    with demo_runtime().session() as session:
        user = session.exec(select(User).where(User.employee_no == "D1001")).one()
        user.name, user.department = HOSTILE, HOSTILE
        session.add(user)
    at = signed_in_session("D1001")
    captions = [str(c.value) for c in at.sidebar.caption]
    assert any(md(HOSTILE) in c for c in captions), captions
    assert not any(HOSTILE in value for value in _markdown_values(at))


def _contest_settings() -> AppTest:
    """The demo admin on the contest settings page."""
    at = demo_app()
    sign_in_as(at, "D9001")
    return at.switch_page("pages/admin_contest.py").run()


def test_a_refusal_quotes_what_the_admin_typed_as_text(app_env: Path) -> None:
    demo_app()
    with demo_runtime().session() as session:  # not open yet: the time zone may still change
        contest = session.exec(select(Contest)).one()
        for name in ("submission_opens_at", "voting_opens_at"):
            setattr(contest, name, getattr(contest, name) + timedelta(days=5))
        session.add(contest)
    at = _contest_settings()
    timezone = next(box for box in at.text_input if box.key and box.key.endswith("_timezone"))
    timezone.input(HOSTILE)
    next(b for b in at.button if b.label == "설정 저장").click().run()
    assert not at.exception
    assert any(md(HOSTILE) in str(e.value) for e in at.error)
    assert not any(HOSTILE in value for value in _markdown_values(at))


def test_the_settings_form_offers_no_upload_cap_above_the_servers(app_env: Path) -> None:
    at = _contest_settings()
    cap = next(box for box in at.number_input if box.key and box.key.endswith("_max_upload_mb"))
    assert cap.max == contest_upload_cap_mb() == server_upload_mb() // 2 == 25


def test_the_jury_weight_is_chosen_as_a_percentage(app_env: Path) -> None:
    at = _contest_settings()
    weight = next(s for s in at.slider if s.key and s.key.endswith("_jury_weight"))
    assert (weight.value, weight.min, weight.max, weight.step) == (80, 0, 100, 5)
    assert weight.proto.format == "%d%%"
    weight.set_value(70)
    next(b for b in at.button if b.label == "설정 저장").click().run()
    assert not at.exception
    assert at.success
    with demo_runtime().session() as session:
        assert session.exec(select(Contest.jury_weight)).all() == [pytest.approx(0.7)]
