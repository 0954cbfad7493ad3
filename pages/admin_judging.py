"""Admin: the lifecycle in one screen (where the contest stands, what happened, the one next
step with its confirmation), posters no judge may score and how to fix them, the judges and
admins who entered, the shortlist and judging progress."""

from contest.reports.views import lifecycle_view
from ui import entrants, lifecycle, page, panel, shortlist
from ui.i18n import tr

page.header(tr("nav.admin_judging"))
view = page.load(lifecycle_view)
lifecycle.where_it_stands(view)
panel.unjudgeable_posters(view)
entrants.officials_who_entered(view)
lifecycle.history(view)
shortlist.shortlist(view)
shortlist.judging_progress(view)
