"""Admin: the duplicate review queue, cross-author pairs first; dismiss, or confirm and
disqualify one of the pair, with a reason."""

import streamlit as st

from contest.contests.rules import TEXT_LIMITS
from contest.dedupe.flags import confirm_flag, dismiss_flag
from contest.dedupe.views import review_view
from ui import page
from ui.i18n import tr
from ui.images import display_source
from ui.text import caption, md

page.header(tr("nav.admin_duplicates"))
view = page.load(review_view)
if not view.cards:
    page.stop_with(tr("admin.duplicates_none"), "success")
st.caption(tr("admin.duplicates_count", count=view.open_flags))

for card in view.cards:
    flag, pair = card.flag, (card.newer, card.older)
    with st.container(border=True):
        kind = tr("admin.cross_author" if flag.cross_author else "admin.same_author")
        st.markdown(
            f"**{tr(f'flag.level.{flag.level}')}** · {kind} · "
            f"{tr('admin.distance', distance=round(flag.distance, 3))}"
        )
        cols = st.columns(2)
        for col, side in zip(cols, pair, strict=True):
            with col:
                st.image(display_source(side.display_key))
                st.markdown(f"**{md(f'#{side.number} {side.title}')}**")
                caption(f"{side.author} · {tr(f'entry.status.{side.status}')}")
        with st.expander(tr("admin.evidence")):
            st.json(flag.evidence)
        with st.form(f"flag_{flag.id}"):
            reason = st.text_input(tr("admin.reason"), max_chars=TEXT_LIMITS["reason"])
            labels = {side.entry_id: f"#{side.number} {side.title}" for side in pair}
            options = {entry_id: md(label) for entry_id, label in labels.items()}  # Markdown
            target = st.radio(
                tr("admin.disqualify_which"),
                list(options),
                format_func=options.__getitem__,
                horizontal=True,
            )
            left, right = st.columns(2)
            dismiss = left.form_submit_button(tr("admin.dismiss"))
            confirm = right.form_submit_button(tr("admin.confirm_disqualify"), type="primary")
        if dismiss:
            page.act(dismiss_flag, flag_id=flag.id, reason=reason, done=tr("admin.flag_dismissed"))
        if confirm:
            page.act(
                confirm_flag,
                flag_id=flag.id,
                disqualify_entry_id=target,
                reason=reason,
                done=tr("admin.flag_confirmed", entry=md(labels.get(target or 0, ""))),
            )
