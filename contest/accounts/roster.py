"""Staff roster import from CSV: all rows or none, with a row-by-row report."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlmodel import Session, func, select

from contest.accounts.passwords import hash_password, one_time_password
from contest.accounts.throttle import login_key
from contest.contests.rules import TEXT_LIMITS
from contest.core import audit
from contest.core.authz import require_admin
from contest.core.cells import neutralise
from contest.core.errors import InvalidInput
from contest.core.models import Role, User

# Header names accepted for each field, English and Korean, compared case-insensitively.
HEADERS = {
    "employee_no": ("employee_no", "employee number", "사번", "직원번호"),
    "name": ("name", "이름", "성명"),
    "department": ("department", "부서", "소속"),
    "email": ("email", "e-mail", "이메일", "전자우편"),
    "role": ("role", "역할", "권한"),
}
REQUIRED = ("employee_no", "name", "department", "email")
ROLE_ALIASES = {"직원": "staff", "심사위원": "judge", "관리자": "admin"}
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class RosterRow:
    line: int
    employee_no: str
    name: str
    department: str
    email: str
    role: str | None  # None: keep an existing user's role; new users become staff


@dataclass(frozen=True)
class RowProblem:
    line: int
    key: str
    value: str = ""


@dataclass
class RosterImport:
    rows: list[RosterRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    initial_passwords: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def outcome(self) -> str:
        """Which sentence tells what the import did ("roster.imported.<outcome>"): a count of
        0 is left unsaid rather than written "0명의 정보를 고쳤습니다"."""
        if self.created and self.updated:
            return "both"
        return "created" if self.created else "updated" if self.updated else "none"

    def passwords_csv(self) -> bytes:
        """The one-time passwords to hand out, as a CSV Excel opens (UTF-8 with BOM); no cell
        can run as a formula (the names and e-mails came from a file)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["employee_no", "name", "email", "initial_password"])
        writer.writerows([neutralise(cell) for cell in row] for row in self.initial_passwords)
        return out.getvalue().encode("utf-8-sig")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or Excel's Korean CP949 export."""
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput("error.roster.encoding")


def _columns(header: list[str]) -> dict[str, int]:
    normalised = [h.strip().lower() for h in header]
    columns = {}
    for name, aliases in HEADERS.items():
        for index, heading in enumerate(normalised):
            if heading in aliases:
                columns[name] = index
                break
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise InvalidInput("error.roster.missing_columns", columns=", ".join(missing))
    return columns


def parse(data: bytes) -> RosterImport:
    """Read and check every row; problems are collected, not raised, so all are reported."""
    if len(data) > MAX_BYTES:
        raise InvalidInput("error.roster.too_large", limit_mb=MAX_BYTES // (1024 * 1024))
    reader = csv.reader(io.StringIO(decode(data)))
    try:
        return _rows(reader)
    except csv.Error as error:  # a field beyond csv's own limit (128K), a stray NUL, ...
        raise InvalidInput("error.roster.unreadable", line=reader.line_num) from error


def _rows(reader: Iterator[list[str]]) -> RosterImport:
    header = next(reader, None)
    if not header:
        raise InvalidInput("error.roster.empty")
    columns = _columns(header)
    result = RosterImport()
    seen_no: dict[str, int] = {}
    seen_email: dict[str, int] = {}
    for line, raw in enumerate(reader, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        values = {
            name: (raw[index].strip() if index < len(raw) else "")
            for name, index in columns.items()
        }
        row_problems = [
            RowProblem(line, f"error.roster.missing.{n}") for n in REQUIRED if not values[n]
        ] + [
            RowProblem(line, "error.roster.too_long", f"{values[n][:20]}… ({TEXT_LIMITS[n]})")
            for n in REQUIRED
            if len(values[n]) > TEXT_LIMITS[n]
        ]
        email = values["email"].lower()
        raw_role = values.get("role", "")
        role = ROLE_ALIASES.get(raw_role, raw_role.lower()) or None
        if email and not EMAIL_RE.match(email):
            row_problems.append(RowProblem(line, "error.roster.bad_email", email))
        if role is not None and role not in {r.value for r in Role}:
            row_problems.append(RowProblem(line, "error.roster.bad_role", values.get("role", "")))
        number = login_key(values["employee_no"])  # matched at sign-in in this form
        if number in seen_no:
            row_problems.append(
                RowProblem(
                    line,
                    "error.roster.duplicate_employee_no",
                    f"{values['employee_no']} ({seen_no[number]})",
                )
            )
        if email and email in seen_email:
            row_problems.append(
                RowProblem(line, "error.roster.duplicate_email", f"{email} ({seen_email[email]})")
            )
        seen_no.setdefault(number, line)
        seen_email.setdefault(email, line)
        result.problems.extend(row_problems)
        if not row_problems:
            result.rows.append(
                RosterRow(
                    line, values["employee_no"], values["name"], values["department"], email, role
                )
            )
    if not result.rows and not result.problems:
        raise InvalidInput("error.roster.empty")
    return result


def _check_against_database(session: Session, result: RosterImport) -> None:
    """An e-mail already held by a different employee number is a conflict."""
    for row in result.rows:
        holder = session.exec(select(User).where(func.lower(User.email) == row.email)).first()
        if holder is not None and login_key(holder.employee_no) != login_key(row.employee_no):
            result.problems.append(
                RowProblem(
                    row.line, "error.roster.email_taken", f"{row.email} ({holder.employee_no})"
                )
            )


def import_roster(session: Session, *, actor: User | None, data: bytes) -> RosterImport:
    """Create new staff with one-time passwords and update known ones; nothing if any row is bad.

    Existing users keep their password and, unless the file says otherwise, their role.
    """
    admin = require_admin(actor)
    result = parse(data)
    _check_against_database(session, result)
    if not result.ok:
        return result
    for row in result.rows:
        user = session.exec(
            select(User).where(func.lower(User.employee_no) == login_key(row.employee_no))
        ).first()
        if user is None:
            password = one_time_password()
            session.add(
                User(
                    employee_no=row.employee_no,
                    name=row.name,
                    department=row.department,
                    email=row.email,
                    role=row.role or Role.STAFF.value,
                    password_hash=hash_password(password),
                    must_change_password=True,
                )
            )
            result.initial_passwords.append((row.employee_no, row.name, row.email, password))
            result.created += 1
        else:
            user.name, user.department, user.email = row.name, row.department, row.email
            user.role = row.role or user.role
            session.add(user)
            result.updated += 1
    audit.record(
        session,
        actor=admin,
        action="roster.import",
        details={"created": result.created, "updated": result.updated},
    )
    return result
