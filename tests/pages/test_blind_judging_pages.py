"""AppTest: the demo judge sees no author's department in the gallery (cards or filter) or on a
poster's page while the contest runs; a colleague does."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from contest.demo.seed import DEMO_ACCOUNTS
from tests.pages.support import demo_app, entries, sign_in_as
from tests.pages.test_gallery_pages import open_entry

pytestmark = pytest.mark.usefixtures("app_env")
AUTHOR_DEPARTMENTS = {a.department for a in DEMO_ACCOUNTS}


def _shown(at: AppTest) -> str:
    """The page's text (not the sidebar, which names the signed-in user's own department)."""
    parts = [e.value for kind in ("caption", "markdown", "text") for e in at.main.get(kind)]
    parts += [str(o) for box in at.main.get("selectbox") for o in box.options]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize(("login", "sees"), [("D2001", False), ("D1001", True)])
def test_judges_see_no_department_while_the_contest_runs(
    app_env: Path, login: str, sees: bool
) -> None:
    at = demo_app()
    sign_in_as(at, login)
    at.switch_page("pages/gallery.py").run()
    assert not at.exception
    assert any(d in _shown(at) for d in AUTHOR_DEPARTMENTS) is sees
    assert at.selectbox(key="gallery_department").disabled is not sees
    open_entry(at, entries()[0].id or 0)
    assert not at.exception
    assert any(d in _shown(at) for d in AUTHOR_DEPARTMENTS) is sees
