"""Admin: the duplicate review queue, cross-author pairs first. The two posters side by side
(the one submitted first on the left, the differing areas marked on the newer upload, or
where the older poster lies inside it when it is a capture), what
the detector found in words, and the decision: no problem, or confirm and disqualify one."""

import streamlit as st

from contest.contests.rules import TEXT_LIMITS
from contest.core.dates import Duration
from contest.dedupe.flags import confirm_flag, dismiss_flag
from contest.dedupe.views import FlagCard, FlagSide, review_view
from ui import page
from ui.format import moment, number, share
from ui.i18n import tr
from ui.images import display_source, marked_source
from ui.provenance import show_file_record
from ui.text import body, caption, md

page.header(tr("nav.admin_duplicates"))
view = page.load(review_view)
if not view.cards:
    page.stop_with(tr("admin.duplicates_none"), "success")
st.caption(tr("admin.duplicates_count", count=view.open_flags))


def _side(card: FlagCard, side: FlagSide, tz: str) -> None:
    newer = side is card.newer
    role = "dup.newer" if newer else "dup.older"
    st.markdown(f"**{tr(role)}**")
    source = (
        marked_source(
            side.display_key,
            tuple((b.left, b.top, b.right, b.bottom) for b in card.boxes),
            card.region,
        )
        if newer
        else display_source(side.display_key)
    )
    st.image(source, alt=tr("dup.alt", title=side.title, number=side.number))
    st.markdown(f"**{md(tr('panel.poster', number=side.number, title=side.title))}**")
    caption(f"{side.author} · {tr(f'entry.status.{side.status}')}")
    st.caption(tr("dup.submitted", at=moment(side.submitted_at, tz)))
    st.markdown(f"**{tr('poster.disclosure')}**")
    body(side.declared)
    show_file_record(side.file_record)


def _order(card: FlagCard, first: FlagSide, other: FlagSide) -> str:
    """Which came first and by how much; within a minute, that they came together."""
    seconds = abs((card.newer.submitted_at - card.older.submitted_at).total_seconds())
    if seconds < 60:
        return tr("dup.together", first=first.number, other=other.number)
    return tr("dup.first", first=first.number, other=other.number, gap=Duration(seconds))


for card in view.cards:
    flag = card.flag
    with st.container(border=True):
        kind = tr("admin.cross_author" if flag.cross_author else "admin.same_author")
        title = tr("dup.title", level=tr(f"flag.level.{flag.level}"), kind=kind)
        st.subheader(md(title[:1].upper() + title[1:]), anchor=False)  # English: "The same ..."
        first = card.first
        other = card.newer if first is card.older else card.older
        st.markdown(_order(card, first, other))
        st.markdown("\n".join(f"- {tr(key, **params)}" for key, params in card.findings))
        if card.boxes:
            st.caption(tr("dup.marked", count=len(card.boxes)))
        if card.region:
            st.caption(tr("dup.region"))
        left, right = st.columns(2)
        with left:
            _side(card, card.older, view.timezone)
        with right:
            _side(card, card.newer, view.timezone)
        with st.expander(tr("admin.evidence")):
            evidence = flag.evidence
            measures = [
                (tr("dup.measure.differing"), share(evidence.get("differing_share"))),
                (tr("dup.measure.overlap"), share(evidence.get("overlap_share"))),
                (tr("dup.measure.correlation"), number(evidence.get("correlation"), 2)),
                (tr("dup.measure.detail"), share(evidence.get("detail_kept"))),
                (tr("dup.measure.distance"), number(flag.distance, 3)),
            ]
            st.markdown("\n".join(f"- {name}: {value}" for name, value in measures))
            st.caption(tr("dup.measure.help"))
        with st.form(f"flag_{flag.id}", enter_to_submit=False):
            reason = st.text_input(tr("admin.reason"), max_chars=TEXT_LIMITS["reason"])
            labels = {
                side.entry_id: tr("panel.poster", number=side.number, title=side.title)
                for side in (card.older, card.newer)
            }
            options = {entry_id: md(label) for entry_id, label in labels.items()}  # Markdown
            target = st.radio(
                tr("admin.disqualify_which"),
                list(options),
                format_func=options.__getitem__,
                horizontal=True,
                index=1,
            )
            left, right = st.columns(2)
            dismiss = left.form_submit_button(tr("admin.dismiss"))
            confirm = right.form_submit_button(tr("admin.confirm_disqualify"), type="primary")
        if dismiss:
            page.act(
                dismiss_flag,
                flag_id=flag.id,
                reason=reason,
                done=tr("dup.dismissed", first=card.older.number, second=card.newer.number),
            )
        if confirm:
            page.act(
                confirm_flag,
                flag_id=flag.id,
                disqualify_entry_id=target,
                reason=reason,
                done=tr("admin.flag_confirmed", entry=md(labels.get(target or 0, ""))),
            )
