"""Everyone: the award winners with their posters, once the results are finalised."""

import streamlit as st

from contest.judging.views import winners_view
from ui import page
from ui.i18n import tr
from ui.images import thumb_source
from ui.text import caption, md

view = page.load(winners_view)
if view.contest is None:
    page.header(tr("nav.results_published"))
    page.stop_with(tr("results.no_contest"))
if not view.published:
    page.header(tr("nav.results_published"))
    page.stop_with(tr("results.not_published"))

page.header(tr("results.winners_title", name=md(view.contest.name)))
winners = view.winners
if not winners:
    st.info(tr("results.no_winners"))
for award in dict.fromkeys(w.award for w in winners):
    st.subheader(md(award), anchor=False)
    group = [w for w in winners if w.award == award]
    for col, winner in zip(st.columns(min(len(group), 3)) * len(group), group, strict=False):
        with col.container(border=True):
            st.image(thumb_source(winner.thumb_key))
            st.markdown(f"**{md(f'#{winner.number} {winner.title}')}**")
            caption(f"{winner.theme} · {winner.policy}")
            if winner.author:
                caption(winner.author)
