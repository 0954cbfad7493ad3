"""Nothing a page address carries is shown as markup, and an id is read strictly (ASCII digits,
within the id column's range) on every page that takes one, signed in or not."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from contest.contests.queries import require_current
from contest.core.i18n import t
from contest.core.timeutil import utcnow
from tests.pages.support import APP, demo_app, demo_runtime, signed_in_session

PHISHING = "[..](http://outside/phish) ![x](http://outside/track.png) [y](data:text/html,hi)"
ODD_IDS = ["²", "١٢", "-3", "+3", " 3", "0", str(2**31), str(2**63), "9" * 40, PHISHING]


def _everything_shown(at: AppTest) -> str:
    """Every text element's value, markdown source included, as one string."""
    parts = [str(getattr(e, "value", "")) for e in at.main]
    for kind in ("markdown", "info", "warning", "error", "caption", "title", "text"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


@pytest.fixture
def public_exhibition(app_env: Path) -> None:
    demo_app()
    now = utcnow()
    with demo_runtime().session() as session:
        contest = require_current(session)
        contest.exhibition_public = True
        contest.exhibition_opens_at = now - timedelta(days=1)
        contest.exhibition_closes_at = now + timedelta(days=1)
        session.add(contest)


def test_a_visitor_address_with_no_poster_id_says_so_in_plain_words(
    public_exhibition: None,
) -> None:
    for raw in ODD_IDS:  # each a fresh browser tab, as a phone opens a scanned code
        at = AppTest.from_file(str(APP), default_timeout=180)
        at.query_params["entry"] = raw
        at.run()
        assert not at.exception, raw
        assert [w.value for w in at.warning] == [t("visit.not_found", "ko")], raw
        shown = _everything_shown(at)
        assert "outside" not in shown and "data:" not in shown
        if not raw.strip().isdecimal():  # a plain number may appear on a page anyway (a date)
            assert raw.strip() not in shown, raw


def test_a_signed_in_poster_address_with_no_poster_id_asks_for_one(app_env: Path) -> None:
    at = signed_in_session("D1001")
    for raw in ODD_IDS:
        at.switch_page("pages/entry.py")
        at.query_params["entry"] = raw
        at.run()
        assert not at.exception, raw
        assert [i.value for i in at.info] == [t("poster.no_entry", "ko")], raw
        assert "outside" not in _everything_shown(at)
    at.switch_page("pages/home.py")  # a QR code's address after sign-in: forwarded, read alike
    at.query_params["entry"] = "²"
    at.run()
    assert not at.exception
    assert [i.value for i in at.info] == [t("poster.no_entry", "ko")]
