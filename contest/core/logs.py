"""Structured logs: one JSON object per line, one line per view or action a user ran.

A log collector (journald, Loki, CloudWatch) can count and filter them without parsing prose.
The fields are fixed and hold no personal data: which page, which view or action, how long it
took, how it ended (``metrics.outcome_of``), the refusal's message key (never its parameters,
which may quote what a user typed) and which replica answered.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

ACTION_LOGGER = "contest.actions"


class JsonLines(logging.Formatter):
    """A record as one JSON object: time, level, message and the record's ``fields``."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "event": record.getMessage(),
        }
        line.update(getattr(record, "fields", {}))
        return json.dumps(line, ensure_ascii=False, separators=(",", ":"))


def configure(stream: TextIO | None = None) -> logging.Logger:
    """The action logger, writing JSON lines to ``stream`` (stderr, where Streamlit's own log
    goes). Idempotent: a process configures it once however often it is asked."""
    logger = logging.getLogger(ACTION_LOGGER)
    if not any(isinstance(h.formatter, JsonLines) for h in logger.handlers):
        handler = logging.StreamHandler(stream or sys.stderr)
        handler.setFormatter(JsonLines())
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False  # not a second time, as prose, through Streamlit's handler
    return logger


def log_action(
    *,
    page: str,
    kind: str,
    name: str,
    seconds: float,
    outcome: str,
    replica: str,
    error: str | None = None,
) -> None:
    """One line for one view or action; ``error`` is a refusal's message key or an
    exception's class name."""
    fields: dict[str, Any] = {
        "page": page,
        "kind": kind,
        "action": name,
        "duration_ms": round(seconds * 1000, 1),
        "outcome": outcome,
        "replica": replica,
    }
    if error:
        fields["error"] = error
    level = logging.INFO if outcome in ("ok", "refused") else logging.WARNING
    logging.getLogger(ACTION_LOGGER).log(level, kind, extra={"fields": fields})
