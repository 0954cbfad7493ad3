"""The gallery: every poster on show as a thumbnail grid, filtered, ordered and paged.

Filters, order, search and page live in the address (each widget bound to a query parameter),
so a poster and back, the browser's back button or a copied address find the same place."""

from collections.abc import Callable
from typing import Any

import streamlit as st

from contest.contests.rules import TEXT_LIMITS
from contest.core.ids import parse_id
from contest.voting.gallery import PAGE_SIZES, GalleryQuery, Order
from contest.voting.views import gallery_view
from contest.voting.votes import retract_vote
from ui import page, state
from ui.device import is_phone
from ui.gallery_grid import show_cards
from ui.i18n import tr

FILTERS = {
    "gallery_theme": None,
    "gallery_department": None,
    "gallery_tool": None,
    "gallery_search": "",
}


def _first_page() -> None:
    st.session_state[state.GALLERY_PAGE] = 1


def _reset() -> None:
    st.session_state.update(FILTERS)
    _first_page()


def _order_label(order: Order) -> str:
    return tr(f"gallery.order.{order.value}")


def _chosen(key: str, parse: Callable[[str], Any]) -> Any:
    """A widget's value: what it holds once drawn, before that (a first load, the way back from
    a poster) what the address says."""
    if key in st.session_state:
        return st.session_state[key]
    raw = st.query_params.get(key)
    return parse(raw) if raw else None


def _query() -> GalleryQuery:
    orders = {_order_label(o): o for o in Order}
    return GalleryQuery(
        theme=_chosen("gallery_theme", str),
        department=_chosen("gallery_department", str),
        search=_chosen("gallery_search", str) or "",
        order=_chosen("gallery_order", orders.get) or Order.SHUFFLE,
        page=_chosen(state.GALLERY_PAGE, parse_id) or 1,
        per_page=_chosen("gallery_per_page", parse_id) or PAGE_SIZES[0],
        tool=_chosen("gallery_tool", str),
    )


page.header(tr("gallery.title"))
query = _query()
view = page.load(gallery_view, query=query)
choices, grid, votes = view.filters, view.page, view.votes

everything = tr("gallery.all")
chosen = sum(bool(v) for v in (query.theme, query.department, query.search.strip(), query.tool))
label = tr("gallery.filters", count=chosen) if chosen else tr("gallery.filters_none")
bound: dict[str, Any] = {"on_change": _first_page, "bind": "query-params"}
# On a phone the six filters would fill the first screen: there they start folded.
with st.expander(
    label, expanded=not is_phone(), icon=":material/filter_list:", key="gallery_filters"
):
    # Two rows: in one, at 1,280 pixels the order's and the page size's labels and values were
    # cut short.
    cols = st.columns([2, 2, 2, 3])
    for column, name, options in (
        (0, "theme", choices.themes),
        (1, "department", choices.departments),
        (2, "tool", choices.tools),
    ):
        if options:  # no departments to offer when this viewer may not see them
            cols[column].selectbox(
                tr(f"gallery.{name}"),
                options,
                index=None,
                placeholder=everything,
                key=f"gallery_{name}",
                **bound,
            )
    cols[3].text_input(
        tr("gallery.search"), key="gallery_search", max_chars=TEXT_LIMITS["search"], **bound
    )
    cols = st.columns([3, 2, 4])
    cols[0].selectbox(
        tr("gallery.order"), choices.orders, format_func=_order_label, key="gallery_order", **bound
    )
    cols[1].selectbox(tr("gallery.per_page"), PAGE_SIZES, key="gallery_per_page", **bound)

left, right = st.columns([3, 1])
left.caption(tr("gallery.total", total=grid.total, page=grid.page, pages=grid.pages))
if query.order == Order.SHUFFLE:
    left.caption(tr("gallery.shuffle_note"))
right.metric(tr("vote.left"), tr("vote.left_value", left=votes.left, budget=votes.budget))

if not grid.cards:
    st.info(tr("gallery.empty"))
    if chosen:
        st.button(tr("gallery.reset"), key="gallery_reset", on_click=_reset, icon=":material/undo:")
show_cards(grid.cards, votes.voted_entry_ids)

if grid.pages > 1:
    st.session_state[state.GALLERY_PAGE] = grid.page  # clamped by the service; never None
    st.segmented_control(
        tr("gallery.page"),
        list(range(1, grid.pages + 1)),
        key=state.GALLERY_PAGE,
        bind="query-params",
    )
if _query() != query:  # the address changed under the widgets (the browser's back button)
    st.rerun()
st.session_state[state.GALLERY_QUERY] = dict(st.query_params)  # the poster's way back

with st.expander(tr("vote.my_votes_count", used=votes.used, budget=votes.budget)):
    if not view.my_votes:
        st.caption(tr("vote.my_votes_empty"))
    if view.my_votes and not view.voting_open:
        st.caption(tr("error.vote.retract_closed"))
    for vote in view.my_votes:
        line = st.columns([4, 1])
        label = tr("gallery.open", number=vote.number, title=vote.title)
        line[0].text(label if vote.active else f"{label} {tr('vote.no_longer_shown')}")
        if view.voting_open:
            line[1].button(
                tr("vote.retract"),
                key=f"gallery_retract_{vote.entry_id}",
                on_click=page.act,
                args=(retract_vote,),
                kwargs={
                    "entry_id": vote.entry_id,
                    "done": lambda votes: tr("vote.retract_done", left=votes.left),
                    "rerun": False,
                },
            )
