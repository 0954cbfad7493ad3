"""The gallery: every poster on show as a thumbnail grid, filtered, ordered and paged."""

import streamlit as st

from contest.contests.rules import TEXT_LIMITS
from contest.voting.gallery import PAGE_SIZES, GalleryQuery, Order
from contest.voting.views import gallery_view
from contest.voting.votes import retract_vote
from ui import page, state
from ui.device import is_phone
from ui.i18n import tr
from ui.images import thumb_sources
from ui.text import md

COLUMNS = 4


def _first_page() -> None:
    st.session_state[state.GALLERY_PAGE] = 1


def _query() -> GalleryQuery:
    """What the filter widgets held when this rerun started (they are drawn below)."""
    get = st.session_state.get
    return GalleryQuery(
        theme=get("gallery_theme"),
        department=get("gallery_department"),
        search=get("gallery_search") or "",
        order=get("gallery_order") or Order.SHUFFLE,
        page=int(get(state.GALLERY_PAGE) or 1),
        per_page=get("gallery_per_page") or PAGE_SIZES[0],
    )


page.header(tr("gallery.title"))
view = page.load(gallery_view, query=_query())
choices, grid, votes = view.filters, view.page, view.votes

everything = tr("gallery.all")
query = _query()
chosen = sum(bool(v) for v in (query.theme, query.department, query.search.strip()))
label = tr("gallery.filters", count=chosen) if chosen else tr("gallery.filters_none")
# On a phone the five filters would fill the first screen: there they start folded.
with st.expander(
    label, expanded=not is_phone(), icon=":material/filter_list:", key="gallery_filters"
):
    cols = st.columns([2, 2, 3, 2, 1])
    for column, name, options in (
        (0, "theme", choices.themes),
        (1, "department", choices.departments),
    ):
        if options:  # no departments to offer when this viewer may not see them
            cols[column].selectbox(
                tr(f"gallery.{name}"),
                [None, *options],
                format_func=lambda v: everything if v is None else v,
                key=f"gallery_{name}",
                on_change=_first_page,
            )
    cols[2].text_input(
        tr("gallery.search"),
        key="gallery_search",
        on_change=_first_page,
        max_chars=TEXT_LIMITS["search"],
    )
    cols[3].selectbox(
        tr("gallery.order"),
        choices.orders,
        format_func=lambda o: tr(f"gallery.order.{o.value}"),
        key="gallery_order",
        on_change=_first_page,
    )
    cols[4].selectbox(
        tr("gallery.per_page"), PAGE_SIZES, key="gallery_per_page", on_change=_first_page
    )

left, right = st.columns([3, 1])
left.caption(tr("gallery.total", total=grid.total, page=grid.page, pages=grid.pages))
if query.order == Order.SHUFFLE:
    left.caption(tr("gallery.shuffle_note"))
right.metric(tr("vote.left"), tr("vote.left_value", left=votes.left, budget=votes.budget))

if not grid.cards:
    st.info(tr("gallery.empty"))
box = st.container(key="gallery_grid")
pictures = thumb_sources([card.thumb_key for card in grid.cards])
for row_start in range(0, len(grid.cards), COLUMNS):
    cards = grid.cards[row_start : row_start + COLUMNS]
    row = zip(cards, pictures[row_start : row_start + COLUMNS], strict=True)
    for column, (card, picture) in zip(box.columns(COLUMNS)[: len(cards)], row, strict=True):
        with column.container(border=True):
            st.image(
                picture,
                width="stretch",
                alt=tr("image.alt", title=card.title, theme=card.theme),
            )
            st.page_link(
                "pages/entry.py",
                label=tr("gallery.open", number=card.number, title=md(card.title)),
                query_params={"entry": str(card.entry_id)},
                icon="✅" if card.entry_id in votes.voted_entry_ids else None,
            )
            names = [card.theme, card.department, card.author_name]
            st.caption(md(" · ".join(n for n in names if n)))

if grid.pages > 1:
    st.session_state[state.GALLERY_PAGE] = grid.page  # clamped by the service; never None
    st.segmented_control(tr("gallery.page"), list(range(1, grid.pages + 1)), key=state.GALLERY_PAGE)

with st.expander(f"{tr('vote.my_votes')} ({votes.used}/{votes.budget})"):
    if not view.my_votes:
        st.caption(tr("vote.my_votes_empty"))
    for vote in view.my_votes:
        line = st.columns([4, 1])
        label = tr("gallery.open", number=vote.number, title=vote.title)
        line[0].text(label if vote.active else f"{label} {tr('vote.no_longer_shown')}")
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
