"""AppTest: a staff member submits a poster, sees it, edits it and withdraws it."""

from __future__ import annotations

from pathlib import Path

from contest.core.models import EntryStatus
from tests.factories import poster_bytes
from tests.pages.support import demo_app, entries, sign_in_as


def test_submit_preview_receipt_edit_and_withdraw(app_env: Path) -> None:
    at = demo_app()
    user_id = sign_in_as(at, "D1001")
    at.switch_page("pages/submit.py").run()
    assert not at.exception
    assert not [b for b in at.button if b.key == "submit_send"]  # nothing to send yet
    at.file_uploader(key="submit0_file").upload("poster.png", poster_bytes(4242), "image/png")
    at.run()
    assert any("비슷한 출품작이 없습니다" in s.value for s in at.success)
    at.text_input(key="submit0_title").input("스마트 버스 정류장")
    at.selectbox(key="submit0_theme").select("초일류도시")
    at.text_input(key="submit0_policy").input("스마트 교통")
    at.multiselect(key="submit0_tools").select("Midjourney")
    at.checkbox(key="submit0_consent_own").check()
    at.checkbox(key="submit0_consent_pub").check().run()
    assert not at.exception
    assert any(h.value == "스마트 버스 정류장" for h in at.subheader)  # the preview
    at.button(key="submit_send").click().run()
    assert not at.exception
    assert any("접수되었습니다" in s.value for s in at.success), [e.value for e in at.error]
    assert at.text_input(key="submit1_title").value == ""  # a new, empty form
    [entry] = entries(author_id=user_id)
    assert entry.title == "스마트 버스 정류장" and entry.status == EntryStatus.ACTIVE.value

    at.switch_page("pages/my_entries.py").run()
    assert any(f"{entry.number}번 스마트 버스 정류장" in h.value for h in at.subheader)
    assert not [t for t in at.text_input if t.key == f"edit{entry.id}_title"]  # folded
    at.session_state[f"edit{entry.id}_open"] = True  # as a click on "수정하기" does
    at.run()
    at.text_input(key=f"edit{entry.id}_title").set_value("").run()
    assert not [b for b in at.button if b.key == f"edit{entry.id}_save"]
    assert any(f"{entry.number}번 출품작" in c.value for c in at.caption)  # which entry
    at.text_input(key=f"edit{entry.id}_title").set_value("스마트 정류장 2.0").run()
    at.button(key=f"edit{entry.id}_save").click().run()
    assert not at.exception
    assert entries(author_id=user_id)[0].title == "스마트 정류장 2.0"

    at.checkbox(key=f"withdraw{entry.id}").check().run()
    at.button(key=f"withdraw_btn{entry.id}").click().run()
    assert not at.exception
    assert entries(author_id=user_id)[0].status == EntryStatus.WITHDRAWN.value


def test_a_refused_file_shows_the_reason_in_korean(app_env: Path) -> None:
    at = demo_app()
    sign_in_as(at, "D1001")
    at.switch_page("pages/submit.py").run()
    at.file_uploader(key="submit0_file").upload("poster.gif", b"GIF89a" + b"\0" * 64, "image/gif")
    at.run()
    assert not at.exception
    assert at.error and "PNG" in at.error[0].value
