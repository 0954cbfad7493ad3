"""AI 활용 현황: which AI tools the posters on show were made with, by how many entries and
departments, and (for the organisers) what the files themselves say; exportable for the
innovation team's report.

Everyone signed in may read it: the contest exists to spread the use of AI. Departments follow
author_visibility (a judge sees none until the results are published); the files' records are
the organisers' only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlmodel import Session, col, select

from contest.contests.queries import require_current
from contest.contests.visibility import Purpose, author_visibility
from contest.core.authz import require_staff
from contest.core.i18n import DEFAULT_LANGUAGE, t
from contest.core.models import Entry, EntryStatus, ImageObject, Role, User
from contest.entries.submissions import AI_TOOLS
from contest.images.provenance.describe import Line, file_tool
from contest.images.provenance.record import C2pa, Provenance
from contest.reports.exports import to_csv, to_xlsx


@dataclass(frozen=True)
class ToolUse:
    tool: str | None  # a tool of the entry form; None: tools the authors typed themselves
    entries: int
    departments: int


@dataclass(frozen=True)
class DepartmentUse:
    department: str
    entries: int
    tools: tuple[str, ...]


@dataclass(frozen=True)
class FileUse:
    says: Line  # what the files say, e.g. "Adobe Firefly" or "no record"
    entries: int


@dataclass(frozen=True)
class Usage:
    contest_name: str
    entries: int
    tools: tuple[ToolUse, ...]  # most used first
    departments: tuple[DepartmentUse, ...]  # empty where this viewer may not see departments
    files: tuple[FileUse, ...]  # empty but for the organisers


def _file_says(stored: dict[str, Any] | None) -> tuple[str, str]:
    """One bucket per entry for the count of what the files say: (message key, tool)."""
    if stored is None:
        return "usage.file.not_read", ""
    record = Provenance.from_json(stored)
    if tool := file_tool(record):
        return "usage.file.tool", tool
    if record.c2pa == C2pa.UNREADABLE:
        return "usage.file.unreadable", ""
    return ("usage.file.ai_mark" if record.generative else "usage.file.none"), ""


def _declared(entry: Entry) -> list[str | None]:
    tools: list[str | None] = [tool for tool in AI_TOOLS if tool in entry.ai_tools]
    return [*tools, None] if entry.ai_tools_other.strip() else tools


def count_usage(
    rows: Sequence[tuple[Entry, User, ImageObject]], *, departments: bool, files: bool
) -> tuple[tuple[ToolUse, ...], tuple[DepartmentUse, ...], tuple[FileUse, ...]]:
    """The counts behind the page and the dashboard, from (entry, author, image) rows."""
    by_tool: dict[str | None, list[str]] = {}
    by_department: dict[str, list[Entry]] = {}
    for entry, author, _image in rows:
        for tool in _declared(entry):
            by_tool.setdefault(tool, []).append(author.department)
        by_department.setdefault(author.department, []).append(entry)
    tools = sorted(
        (ToolUse(tool, len(depts), len(set(depts))) for tool, depts in by_tool.items()),
        key=lambda use: (-use.entries, use.tool is None, use.tool or ""),
    )
    per_department = tuple(
        DepartmentUse(
            name,
            len(entries),
            tuple(t for t in AI_TOOLS if any(t in e.ai_tools for e in entries)),
        )
        for name, entries in sorted(by_department.items())
    )
    said = Counter(_file_says(image.provenance) for _entry, _author, image in rows)
    return (
        tuple(tools),
        per_department if departments else (),
        tuple(
            FileUse(Line(key, {"tool": tool} if tool else {}), n)
            for (key, tool), n in said.most_common()
        )
        if files
        else (),
    )


def ai_usage_view(session: Session, *, actor: User | None) -> Usage:
    """The current contest's posters on show, counted by AI tool (and department)."""
    viewer = require_staff(actor)
    contest = require_current(session)
    rows = session.exec(
        select(Entry, User, ImageObject)
        .join(User, col(User.id) == col(Entry.author_id))
        .join(ImageObject, col(ImageObject.id) == col(Entry.image_id))
        .where(Entry.contest_id == contest.id, Entry.status == EntryStatus.ACTIVE.value)
    ).all()
    tools, departments, files = count_usage(
        rows,
        departments=author_visibility(contest, viewer, Purpose.BROWSE).department,
        files=viewer.role == Role.ADMIN.value,
    )
    return Usage(contest.name, len(rows), tools, departments, files)


def _say(line: Line, lang: str) -> str:
    return t(line.key, lang, **line.params)


def usage_frames(usage: Usage, lang: str = DEFAULT_LANGUAGE) -> dict[str, pd.DataFrame]:
    """The tables of the page under their names in ``lang``, for the downloads."""
    names = {k: t(f"usage.col.{k}", lang) for k in ("tool", "entries", "departments", "tools")}
    frames = {
        t("usage.sheet.tools", lang): pd.DataFrame(
            [
                {
                    names["tool"]: use.tool or t("usage.other", lang),
                    names["entries"]: use.entries,
                    names["departments"]: use.departments,
                }
                for use in usage.tools
            ],
            columns=[names["tool"], names["entries"], names["departments"]],
        )
    }
    if usage.departments:
        frames[t("usage.sheet.departments", lang)] = pd.DataFrame(
            [
                {
                    t("usage.col.department", lang): use.department,
                    names["entries"]: use.entries,
                    names["tools"]: ", ".join(use.tools),
                }
                for use in usage.departments
            ]
        )
    if usage.files:
        frames[t("usage.sheet.files", lang)] = pd.DataFrame(
            [
                {t("usage.col.file", lang): _say(use.says, lang), names["entries"]: use.entries}
                for use in usage.files
            ]
        )
    return frames


def usage_csv(session: Session, *, actor: User | None, lang: str = DEFAULT_LANGUAGE) -> bytes:
    """The tools table as CSV (spreadsheet-safe cells)."""
    frames = usage_frames(ai_usage_view(session, actor=actor), lang)
    return to_csv(next(iter(frames.values())))


def usage_xlsx(session: Session, *, actor: User | None, lang: str = DEFAULT_LANGUAGE) -> bytes:
    """Every table of the page, one sheet each."""
    return to_xlsx(usage_frames(ai_usage_view(session, actor=actor), lang))
