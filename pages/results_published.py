"""Everyone: the award winners with their posters, once the results are published."""

from contest.judging.views import winners_view
from ui import page
from ui.i18n import tr
from ui.text import md
from ui.winners import show_board

view = page.load(winners_view)
if view.contest is None:
    page.header(tr("nav.results_published"))
    page.stop_with(tr("results.no_contest"))
if view.board is None:
    page.header(tr("nav.results_published"))
    page.stop_with(tr("results.not_published"))

page.header(tr("results.winners_title", name=md(view.contest.name)))
show_board(view.board)
