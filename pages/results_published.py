"""Everyone: the award winners with their posters, once the results are finalised."""

import streamlit as st

from contest.contests.queries import current_contest
from contest.core.errors import ContestError, InvalidState
from contest.judging.results import published_results
from ui import auth
from ui.i18n import show_error, tr
from ui.images import thumb_source
from ui.runtime import get_runtime

runtime = get_runtime()
user = auth.current_user()
try:
    with runtime.session() as session:
        contest = current_contest(session)
        winners = (
            published_results(session, actor=user, contest_id=contest.id or 0) if contest else []
        )
except InvalidState:
    st.title(tr("nav.results_published"))
    st.info(tr("results.not_published"))
    st.stop()
except ContestError as error:
    show_error(error)
    st.stop()
if contest is None:
    st.info(tr("results.no_contest"))
    st.stop()

st.title(tr("results.winners_title", name=contest.name))
if not winners:
    st.info(tr("results.no_winners"))
for award in dict.fromkeys(w.award for w in winners):
    st.subheader(award)
    group = [w for w in winners if w.award == award]
    for col, winner in zip(st.columns(min(len(group), 3)) * len(group), group, strict=False):
        with col.container(border=True):
            st.image(thumb_source(winner.thumb_key))
            st.markdown(f"**#{winner.number} {winner.title}**")
            st.caption(f"{winner.theme} · {winner.policy}")
            if winner.author:
                st.caption(winner.author)
