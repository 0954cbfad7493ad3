"""Roster import: encodings Excel produces, Korean and English headers, all-or-nothing."""

from __future__ import annotations

import csv
import io

import pytest
from sqlmodel import Session, func, select

from contest.accounts import users as accounts
from contest.accounts.roster import RosterImport, import_roster
from contest.core.errors import AuthFailed, InvalidInput
from contest.core.models import Role, User
from contest.runtime import Runtime
from tests.factories import PASSWORD, create_user

KO_HEADER = "사번,이름,부서,이메일,역할"
EN_HEADER = "employee_no,name,department,email,role"
ROWS = [
    "1001,김민준,혁신정책담당관,minjun@incheon.go.kr,",
    "1002,이서연,디지털정책과,SeoYeon@Incheon.go.kr,심사위원",
    "1003,박지훈,감사관,jihoon@incheon.go.kr,admin",
]


def roster(*rows: str, header: str = KO_HEADER, newline: str = "\n") -> str:
    return newline.join([header, *rows]) + newline


def _users(session: Session) -> int:
    return session.exec(select(func.count()).select_from(User)).one()


def _import(runtime: Runtime, data: bytes) -> RosterImport:
    with runtime.session() as session:
        admin = session.exec(select(User).where(User.role == Role.ADMIN.value)).first()
        if admin is None:
            admin = create_user(session, role=Role.ADMIN)
        return import_roster(session, actor=admin, data=data)


def _by_no(session: Session, employee_no: str) -> User:
    return session.exec(select(User).where(User.employee_no == employee_no)).one()


@pytest.mark.parametrize(
    "data",
    [
        roster(*ROWS).encode("utf-8"),
        roster(*ROWS, newline="\r\n").encode("utf-8-sig"),
        roster(*ROWS, newline="\r\n").encode("cp949"),
        roster(*ROWS, header=EN_HEADER).encode("utf-8"),
        roster(*ROWS, header="Employee Number, Name ,Department,E-mail,Role").encode("cp949"),
    ],
    ids=["utf8", "utf8-bom", "cp949", "english", "english-cp949"],
)
def test_good_files_import_every_row(runtime: Runtime, data: bytes) -> None:
    result = _import(runtime, data)
    assert result.ok, result.problems
    assert (result.created, result.updated) == (3, 0)
    with runtime.session() as session:
        kim, lee, park = (_by_no(session, no) for no in ("1001", "1002", "1003"))
        assert (kim.name, kim.department, kim.role) == ("김민준", "혁신정책담당관", "staff")
        assert (lee.email, lee.role) == ("seoyeon@incheon.go.kr", "judge")
        assert park.role == "admin"
        assert all(u.must_change_password for u in (kim, lee, park))


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [ROWS[0], "1001,김민준2,감사관,other@incheon.go.kr,"],
            [(3, "error.roster.duplicate_employee_no")],
        ),
        (
            [ROWS[0], "1009,김민준,감사관,MINJUN@incheon.go.kr,"],
            [(3, "error.roster.duplicate_email")],
        ),
        ([ROWS[0], "1004,정하은,도시계획과,not-an-email,"], [(3, "error.roster.bad_email")]),
        ([ROWS[0], "1004,정하은,도시계획과,ha@incheon.go.kr,boss"], [(3, "error.roster.bad_role")]),
        (
            ["1004,,도시계획과,,", *ROWS],
            [(2, "error.roster.missing.name"), (2, "error.roster.missing.email")],
        ),
        (
            [*ROWS, "1005,강도윤,문화예술과,bad@,직원", "1006,윤지아,교통정책과,ji@a.kr,mayor"],
            [(5, "error.roster.bad_email"), (6, "error.roster.bad_role")],
        ),
    ],
    ids=["dup-no", "dup-email", "bad-email", "bad-role", "missing-cells", "two-bad-lines"],
)
def test_any_bad_row_imports_nothing_and_reports_each_line(
    runtime: Runtime, rows: list[str], expected: list[tuple[int, str]]
) -> None:
    with runtime.session() as session:
        create_user(session, role=Role.ADMIN)
        before = _users(session)
    result = _import(runtime, roster(*rows).encode("utf-8"))
    assert not result.ok
    assert [(p.line, p.key) for p in result.problems] == expected
    assert result.created == result.updated == 0 and result.initial_passwords == []
    with runtime.session() as session:
        assert _users(session) == before


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"", "error.roster.empty"),
        (KO_HEADER.encode("utf-8") + b"\n", "error.roster.empty"),
        (b"\n\n", "error.roster.empty"),
        ("사번,이름,부서\n1001,김민준,감사관\n".encode(), "error.roster.missing_columns"),
        (b"\x80\x80\xff\xff", "error.roster.encoding"),
    ],
    ids=["empty", "header-only", "blank-lines", "missing-column", "unreadable"],
)
def test_unusable_files_are_refused(runtime: Runtime, data: bytes, key: str) -> None:
    with runtime.session() as session:
        create_user(session, role=Role.ADMIN)
        before = _users(session)
    with pytest.raises(InvalidInput) as caught:
        _import(runtime, data)
    assert caught.value.key == key
    with runtime.session() as session:
        assert _users(session) == before


def test_email_held_by_another_employee_is_a_conflict(runtime: Runtime) -> None:
    with runtime.session() as session:
        create_user(session, employee_no="7777", email="minjun@incheon.go.kr")
    result = _import(runtime, roster(*ROWS).encode("utf-8"))
    assert [(p.line, p.key) for p in result.problems] == [(2, "error.roster.email_taken")]
    with runtime.session() as session:
        assert session.exec(select(User).where(User.employee_no == "1001")).first() is None


def test_reimport_updates_and_keeps_password_and_role(runtime: Runtime) -> None:
    with runtime.session() as session:
        admin = create_user(session, role=Role.ADMIN)
    first = _import(runtime, roster(*ROWS).encode("utf-8"))
    passwords = {no: pw for no, _name, _email, pw in first.initial_passwords}
    with runtime.session() as session:
        kim = _by_no(session, "1001")
        accounts.set_role(session, actor=admin, user_id=kim.id or 0, role=Role.JUDGE)
        hash_before = kim.password_hash
    second = _import(
        runtime,
        roster(
            "1001,김민준,디지털정책과,minjun.kim@incheon.go.kr,",
            "1002,이서연,디지털정책과,seoyeon@incheon.go.kr,직원",
            "1004,정하은,도시계획과,haeun@incheon.go.kr,",
        ).encode("cp949"),
    )
    assert second.ok, second.problems
    assert (second.created, second.updated) == (1, 2)
    assert [row[0] for row in second.initial_passwords] == ["1004"]
    with runtime.session() as session:
        kim, lee = _by_no(session, "1001"), _by_no(session, "1002")
        assert (kim.department, kim.email, kim.role) == (
            "디지털정책과",
            "minjun.kim@incheon.go.kr",
            "judge",
        )
        assert kim.password_hash == hash_before
        assert lee.role == "staff"
    with runtime.session() as session:
        signed_in = accounts.authenticate(session, login="1001", password=passwords["1001"])
        assert signed_in.employee_no == "1001"


def test_initial_passwords_csv_signs_in_and_forces_a_change(runtime: Runtime) -> None:
    result = _import(runtime, roster(*ROWS).encode("utf-8"))
    data = result.passwords_csv()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["employee_no", "name", "email", "initial_password"]
    assert [r[0] for r in rows[1:]] == ["1001", "1002", "1003"]
    assert rows[1][1] == "김민준" and rows[2][2] == "seoyeon@incheon.go.kr"
    assert len({r[3] for r in rows[1:]}) == 3
    for employee_no, _name, email, password in rows[1:]:
        with runtime.session() as session:
            user = accounts.authenticate(session, login=email, password=password)
            assert user.employee_no == employee_no and user.must_change_password
    with pytest.raises(AuthFailed), runtime.session() as session:
        accounts.authenticate(session, login="1001", password=PASSWORD)


def test_initial_passwords_csv_cannot_run_formulas(runtime: Runtime) -> None:
    rows = [
        '-2001,"=HYPERLINK(""http://evil.example"",""x"")",총무과,a@incheon.go.kr,',
        "2002,\"-2+3+cmd|' /C calc'!A0\",총무과,b@incheon.go.kr,",
        "2003,@SUM(1,총무과,c@incheon.go.kr,",
    ]
    result = _import(runtime, roster(*rows).encode("utf-8"))
    assert result.ok, result.problems
    text = result.passwords_csv().decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text, newline="")))[1:]
    assert [r[:2] for r in parsed] == [
        ["'-2001", '\'=HYPERLINK("http://evil.example","x")'],
        ["2002", "'-2+3+cmd|' /C calc'!A0"],
        ["2003", "'@SUM(1"],
    ]
    for row in parsed:  # the passwords themselves are untouched and work
        with runtime.session() as session:
            user = accounts.authenticate(session, login=row[2], password=row[3])
            assert user.name == row[1].removeprefix("'")
