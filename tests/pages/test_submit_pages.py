"""AppTest: a staff member submits a poster, sees it, edits it and withdraws it."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select
from streamlit.testing.v1 import AppTest

from contest.core.config import Settings
from contest.core.models import Entry, EntryStatus, User
from contest.runtime import build_runtime
from tests.factories import poster_bytes

APP = Path(__file__).resolve().parents[2] / "app.py"


def signed_in_app(employee_no: str) -> tuple[AppTest, int]:
    at = AppTest.from_file(str(APP), default_timeout=180)
    at.run()  # seeds the demo contest on the empty database
    with build_runtime(Settings()).session() as session:
        user = session.exec(select(User).where(User.employee_no == employee_no)).one()
    at.session_state["user_id"] = user.id
    at.session_state["sign_in_epoch"] = 0  # demo users never signed out
    at.run()
    return at, user.id or 0


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def entries_of(author_id: int) -> list[Entry]:
    with build_runtime(Settings()).session() as session:
        return list(session.exec(select(Entry).where(Entry.author_id == author_id)).all())


def test_submit_preview_receipt_edit_and_withdraw(app_env: Path) -> None:
    at, user_id = signed_in_app("D1001")
    at.switch_page("pages/submit.py").run()
    assert not at.exception
    at.file_uploader(key="submit_file").upload("poster.png", poster_bytes(4242), "image/png")
    at.run()
    assert any("비슷한 출품작이 없습니다" in s.value for s in at.success)
    at.text_input(key="submit_title").input("스마트 버스 정류장")
    at.selectbox(key="submit_theme").select("초일류도시")
    at.text_input(key="submit_policy").input("스마트 교통")
    at.multiselect(key="submit_tools").select("Midjourney")
    at.checkbox(key="submit_consent_own").check()
    at.checkbox(key="submit_consent_pub").check()
    button(at, "미리보기").click().run()
    assert not at.exception
    assert any(h.value == "스마트 버스 정류장" for h in at.subheader)
    at.button(key="submit_send").click().run()
    assert not at.exception
    assert any("접수되었습니다" in s.value for s in at.success), [e.value for e in at.error]
    [entry] = entries_of(user_id)
    assert entry.title == "스마트 버스 정류장" and entry.status == EntryStatus.ACTIVE.value

    at.switch_page("pages/my_entries.py").run()
    assert any(f"#{entry.number} 스마트 버스 정류장" in h.value for h in at.subheader)
    at.text_input(key=f"edit{entry.id}_title").set_value("스마트 정류장 2.0")
    button(at, "저장").click().run()
    assert not at.exception
    assert entries_of(user_id)[0].title == "스마트 정류장 2.0"

    at.checkbox(key=f"withdraw{entry.id}").check().run()
    at.button(key=f"withdraw_btn{entry.id}").click().run()
    assert not at.exception
    assert entries_of(user_id)[0].status == EntryStatus.WITHDRAWN.value


def test_a_refused_file_shows_the_reason_in_korean(app_env: Path) -> None:
    at, _ = signed_in_app("D1001")
    at.switch_page("pages/submit.py").run()
    at.file_uploader(key="submit_file").upload("poster.gif", b"GIF89a" + b"\0" * 64, "image/gif")
    at.run()
    assert not at.exception
    assert at.error and "PNG" in at.error[0].value
