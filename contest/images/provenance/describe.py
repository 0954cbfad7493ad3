"""A provenance record in plain words (message keys with their values), set beside what the
author declared, and the label every citizen-facing surface shows.

Every value comes from the file or the author, so screens show these lines as plain text.
Nothing here names a person: the record holds tools and vendors only (record.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from contest.images.provenance.known import tool_named
from contest.images.provenance.record import COMPOSITE, GENERATIVE, C2pa, Provenance, Texts


@dataclass(frozen=True)
class Line:
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


def file_tool(record: Provenance) -> str:
    """The entry form's tool the file names (C2PA generator, software, model, web UI), or ""."""
    named = tool_named(record.tool, record.software, record.model)
    return named or ("Stable Diffusion" if record.texts == Texts.A1111 else "")


def _c2pa_line(record: Provenance) -> Line:
    if record.c2pa == C2pa.UNREADABLE:
        return Line("provenance.c2pa.unreadable")
    tool = file_tool(record) or record.tool
    if record.c2pa_source in GENERATIVE:
        made = Line("provenance.made.ai_tool", {"tool": tool}) if tool else None
        made = made or Line("provenance.made.ai")
    elif tool:
        made = Line("provenance.made.tool", {"tool": tool})
    else:
        made = Line("provenance.made.record")
    return Line(f"provenance.c2pa.{record.c2pa.value}", {"made": made})


def _source_line(code: str) -> Line:
    if code in GENERATIVE:
        return Line("provenance.iptc.composite" if code == COMPOSITE else "provenance.iptc.ai")
    return Line("provenance.iptc.other", {"code": code})


def file_lines(record: Provenance) -> tuple[Line, ...]:
    """What the file says, one line per source, strongest first ("파일 기록 없음" if nothing)."""
    lines: list[Line] = []
    if record.c2pa != C2pa.NONE:
        lines.append(_c2pa_line(record))
        if record.signer:
            lines.append(Line("provenance.signer", {"signer": record.signer}))
    signed = record.c2pa in (C2pa.VALID, C2pa.TRUSTED)
    if record.xmp_source and not (signed and record.xmp_source == record.c2pa_source):
        lines.append(_source_line(record.xmp_source))
    if record.texts != Texts.NONE:
        settings = {"model": record.model or "-", "seed": record.seed or "-"}
        lines.append(Line(f"provenance.texts.{record.texts.value}", settings))
        if record.prompt:
            lines.append(Line("provenance.prompt", {"prompt": record.prompt}))
    if record.software and record.software != record.tool:
        lines.append(Line("provenance.software", {"software": record.software}))
    return tuple(lines) or (Line("provenance.none"),)


def declared_tools(ai_tools: Sequence[str], other: str) -> str:
    """The tools an author declared, as one text."""
    return ", ".join([*ai_tools, *([other] if other.strip() else [])])


def disagreement(record: Provenance, ai_tools: Sequence[str], other: str) -> Line | None:
    """A gentle note when the file names a tool the author did not declare (several tools may
    well have been used together); None when they agree or the file names none."""
    tool = file_tool(record)
    if not tool or tool in ai_tools or tool_named(other) == tool:
        return None
    return Line("provenance.differs", {"declared": declared_tools(ai_tools, other), "file": tool})


@dataclass(frozen=True)
class FileRecord:
    """What admins and judges read beside the author's declaration."""

    lines: tuple[Line, ...]
    note: Line | None

    @classmethod
    def of(cls, stored: dict[str, Any] | None, ai_tools: Sequence[str], other: str) -> FileRecord:
        if stored is None:  # an image stored before files were read (aiuse/backfill.py)
            return cls((Line("provenance.not_read"),), None)
        record = Provenance.from_json(stored)
        return cls(file_lines(record), disagreement(record, ai_tools, other))


def ai_label(ai_tools: Sequence[str], other: str) -> Line:
    """What citizens read beside every poster: made with generative AI, and with which tools."""
    tools = declared_tools(ai_tools, other)
    return Line("ai_label.tools", {"tools": tools}) if tools else Line("ai_label.plain")
