"""The lifecycle screen's list of judges and admins who entered the contest they judge or run,
with the contest's rule for them: said loudly until the shortlist is locked, so that it is
known before the shortlist is fixed."""

from __future__ import annotations

import streamlit as st

from contest.core.models import ContestPhase
from contest.reports.views import LifecycleView
from ui.i18n import tr
from ui.text import md

# Until the shortlist is locked the list is a warning: the admin still can act on it.
BEFORE_LOCK = (ContestPhase.OPEN, ContestPhase.VOTING_CLOSED, ContestPhase.SHORTLISTED)


def officials_who_entered(view: LifecycleView) -> None:
    """Each judge or admin with posters in the contest (by number, the shortlisted ones
    marked), under the contest's rule for them; nothing when there is none."""
    if not view.entrants:
        return
    rule = view.contest.officials_entering
    st.subheader(tr("entrants.title", count=len(view.entrants)), anchor=False)
    st.caption(
        tr("entrants.rule", rule=tr(f"contest.officials_entering.{rule}"))
        + " "
        + tr(f"entrants.rule_note.{rule}")
    )
    lines = []
    for person in view.entrants:
        numbers = ", ".join(
            tr(
                "entrants.shortlisted_number"
                if n in person.standing.shortlisted
                else "entrants.number",
                number=n,
            )
            for n in person.standing.entries
        )
        lines.append(
            "- "
            + tr(
                "entrants.line",
                name=md(person.name),
                department=md(person.department),
                role=tr(f"role.{person.role.value}"),
                numbers=numbers,
            )
        )
    if view.readiness.phase in BEFORE_LOCK:
        st.warning("\n".join(lines), icon=":material/how_to_reg:")
    else:
        st.markdown("\n".join(lines))
