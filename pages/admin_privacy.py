"""Admin: how long each contest keeps its records of people, and the purge once that time has
passed (what it changes in numbers, confirmed in a dialog that states them)."""

import streamlit as st

from contest.privacy.plan import FACTS, PurgePlan
from contest.privacy.purge import purge_contest
from contest.privacy.views import ContestRetention, privacy_view
from ui import page, state
from ui.format import moment
from ui.i18n import tr
from ui.text import md

page.header(tr("nav.admin_privacy"))
st.caption(tr("privacy.intro"))
view = page.load(privacy_view, contest_id=st.session_state.get("privacy_contest"))
if view.chosen is None:
    st.stop()


def status(row: ContestRetention) -> str:
    if row.retention.purged_at is not None:
        return tr("privacy.status.purged")
    return tr("privacy.status.due" if row.due else "privacy.status.kept")


st.subheader(tr("privacy.contests"), anchor=False)
st.dataframe(
    [
        {
            tr("privacy.col.contest"): row.name,
            tr("privacy.col.since"): tr(
                "privacy.since.published"
                if row.retention.published
                else "privacy.since.voting_closed"
            ),
            tr("privacy.col.until"): moment(row.retention.until, row.timezone),
            tr("privacy.col.status"): status(row),
        }
        for row in view.contests
    ],
    hide_index=True,
    width="stretch",
)
names = {row.contest_id: row.name for row in view.contests}
st.selectbox(
    tr("privacy.choose"),
    list(names),
    format_func=names.__getitem__,
    index=list(names).index(view.chosen.contest_id),
    key="privacy_contest",
)
chosen = view.chosen
if chosen.retention.purged_at is not None:
    page.show(
        tr("privacy.purged_on", at=moment(chosen.retention.purged_at, chosen.timezone)), "success"
    )
    st.stop()
if view.plan is None:
    page.show(
        tr("privacy.kept_until", until=moment(chosen.retention.until, chosen.timezone)), "info"
    )
    st.stop()


def say(plan: PurgePlan) -> None:
    st.markdown("\n".join(f"- {tr(f'privacy.fact.{name}', **plan.counts())}" for name in FACTS))


def forget() -> None:
    st.session_state.pop(state.PURGE_CONFIRMING, None)


def confirm(plan: PurgePlan) -> None:
    say(plan)
    st.warning(tr("privacy.ask_body"), icon=":material/warning:")
    left, right = st.columns(2)
    if left.button(tr("privacy.confirm"), type="primary", key="purge_confirm", width="stretch"):
        done = page.act(
            purge_contest,
            contest_id=plan.contest_id,
            done=tr("privacy.done", name=md(plan.contest_name)),
            rerun=False,
        )
        if done is None:  # refused: say why here, and keep the question open
            page.notices()
        else:
            forget()
            st.rerun()
    if right.button(tr("privacy.cancel"), key="purge_cancel", width="stretch"):
        forget()
        st.rerun()


st.subheader(tr("privacy.preview"), anchor=False)
say(view.plan)
if st.button(
    tr("privacy.purge"), type="primary", key="purge_open", icon=":material/delete_forever:"
):
    st.session_state[state.PURGE_CONFIRMING] = view.plan.contest_id
if st.session_state.get(state.PURGE_CONFIRMING) == view.plan.contest_id:
    st.dialog(tr("privacy.ask"), width="large", on_dismiss=forget)(confirm)(view.plan)
