"""What anyone who may see a poster reads beside it: the work and how AI was used.

The gallery's poster view and the judges' blind view both build on it; neither names the author.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contest.core.models import Entry


@dataclass(frozen=True)
class Disclosure:
    entry_id: int
    number: int
    title: str
    theme: str
    policy: str
    description: str
    ai_tools: tuple[str, ...]
    ai_tools_other: str
    prompt: str
    human_part: str

    @staticmethod
    def of(entry: Entry) -> dict[str, Any]:
        """The Disclosure fields of ``entry``, to pass on to a subclass's constructor."""
        return {
            "entry_id": entry.id or 0,
            "number": entry.number,
            "title": entry.title,
            "theme": entry.theme,
            "policy": entry.policy,
            "description": entry.description,
            "ai_tools": tuple(entry.ai_tools),
            "ai_tools_other": entry.ai_tools_other,
            "prompt": entry.prompt,
            "human_part": entry.human_part,
        }
