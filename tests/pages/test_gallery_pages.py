"""AppTest: gallery grid and filters, the poster view's vote button, results and admin pages."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from contest.core.models import Entry
from tests.pages.support import demo_app, demo_runtime, entries, sign_in_as


def open_entry(at: AppTest, entry_id: int) -> AppTest:
    at.query_params["entry"] = str(entry_id)
    return at.switch_page("pages/entry.py").run()


def metric(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "남은 투표권")


def test_gallery_filter_vote_and_retract(app_env: Path) -> None:
    at = demo_app()
    sign_in_as(at, "D1001")
    at.switch_page("pages/gallery.py").run()
    assert not at.exception
    assert len(at.get("image")) == 12
    assert metric(at) == "3표 중 3표"
    at.selectbox(key="gallery_theme").select("균형발전").run()
    assert not at.exception
    assert len(at.get("image")) == len(entries(theme="균형발전")) == 2
    at.text_input(key="gallery_search").input("패스").run()
    assert len(at.get("image")) == 1

    poster = entries(title="인천 i-패스")[0]
    open_entry(at, poster.id or 0)
    assert not at.exception
    assert [h.value for h in at.subheader] == ["인천 i-패스"]
    assert any(c.value.endswith(f"/?entry={poster.id}") for c in at.code)
    at.button(key="vote_cast").click().run()
    assert not at.exception
    assert any("남은 투표권: 2표" in s.value for s in at.success)
    assert metric(at) == "3표 중 2표"
    at.button(key="vote_retract").click().run()
    assert metric(at) == "3표 중 3표"
    assert at.button(key="vote_cast")


def test_own_poster_has_its_vote_button_off_and_removed_posters_are_hidden(
    app_env: Path,
) -> None:
    at = demo_app()
    user_id = sign_in_as(at, "D1002")
    own = entries(author_id=user_id)
    assert len(own) == 2
    open_entry(at, own[0].id or 0)
    assert not at.exception
    assert at.button(key="vote_cast").disabled
    assert any("본인 출품작에는 투표할 수 없습니다" in c.value for c in at.caption)

    with demo_runtime().session() as session:
        gone = session.get(Entry, entries()[0].id)
        assert gone is not None
        gone.status = "disqualified"
        session.add(gone)
    open_entry(at, gone.id or 0)
    assert any("찾을 수 없습니다" in e.value for e in at.error)
    at.switch_page("pages/gallery.py").run()
    assert len(at.get("image")) == 11

    sign_in_as(at, "D9001")
    open_entry(at, gone.id or 0)
    assert not at.error and any("실격" in w.value or "disqualified" in w.value for w in at.warning)


def test_results_hidden_from_staff_and_admin_pages(app_env: Path) -> None:
    at = demo_app()
    sign_in_as(at, "D1001")
    at.switch_page("pages/results_public.py").run()
    assert not at.exception
    assert any("투표가 마감된 뒤 공개" in i.value for i in at.info)
    assert not at.dataframe

    sign_in_as(at, "D9001")
    at.switch_page("pages/results_public.py").run()
    assert not at.exception and len(at.dataframe[0].value) == 12
    at.switch_page("pages/admin_votes.py").run()
    assert not at.exception
    at.switch_page("pages/admin_exhibition.py").run()
    assert not at.exception
    at.button(key="exhibition_make").click().run()
    assert not at.exception and not at.error
