"""What anyone who may see a poster reads beside it: the work and how AI was used.

The gallery's poster view and the judges' blind view both build on it; neither names the author.
Which tools were used is always said (every poster here is made with generative AI, and citizens
are told so: ``ai_label``); how it was made (the prompt, the author's own work) is shown to
colleagues and visitors only with the author's consent (``making_visible``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contest.core.models import Entry, Role, User
from contest.images.provenance.describe import Line, ai_label


def making_visible(entry: Entry, viewer: User | None) -> bool:
    """Whether ``viewer`` (None: a visitor) may read how ``entry`` was made: with the author's
    consent anyone who sees the poster; without it the author, the organisers and the judges
    (who score the use of AI)."""
    if entry.share_making:
        return True
    if viewer is None:
        return False
    return viewer.id == entry.author_id or viewer.role in (Role.ADMIN.value, Role.JUDGE.value)


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
    prompt: str  # "" where the making is not shown to this viewer
    human_part: str
    making_shared: bool  # the author consented to show how it was made
    ai_label: Line  # "made with generative AI (tools: ...)"

    @staticmethod
    def of(entry: Entry, *, making: bool = True) -> dict[str, Any]:
        """The Disclosure fields of ``entry``, to pass on to a subclass's constructor; without
        ``making`` (making_visible said no) the prompt and own work are left out."""
        return {
            "entry_id": entry.id or 0,
            "number": entry.number,
            "title": entry.title,
            "theme": entry.theme,
            "policy": entry.policy,
            "description": entry.description,
            "ai_tools": tuple(entry.ai_tools),
            "ai_tools_other": entry.ai_tools_other,
            "prompt": entry.prompt if making else "",
            "human_part": entry.human_part if making else "",
            "making_shared": entry.share_making,
            "ai_label": ai_label(entry.ai_tools, entry.ai_tools_other),
        }
