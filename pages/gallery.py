"""The gallery: every poster on show as a thumbnail grid, filtered, ordered and paged."""

import streamlit as st

from contest.core.errors import ContestError
from contest.voting.gallery import PAGE_SIZES, GalleryQuery, Order, filters, gallery_page
from contest.voting.votes import my_votes, retract_vote, vote_state
from ui import auth, state
from ui.i18n import show_error, tr
from ui.images import thumb_source
from ui.runtime import get_runtime

COLUMNS = 4
runtime = get_runtime()
user = auth.current_user()
st.title(tr("gallery.title"))


def _first_page() -> None:
    st.session_state[state.GALLERY_PAGE] = 1


def _retract(entry_id: int) -> None:
    try:
        with runtime.session() as session:
            retract_vote(session, actor=user, entry_id=entry_id)
    except ContestError as error:
        st.session_state[state.VOTE_NOTICE] = error


try:
    with runtime.session() as session:
        choices = filters(session, actor=user)
        votes = vote_state(session, actor=user, contest_id=choices.contest_id)
        mine = my_votes(session, actor=user, contest_id=choices.contest_id)
except ContestError as error:
    show_error(error)
    st.stop()

notice = st.session_state.pop(state.VOTE_NOTICE, None)
if isinstance(notice, ContestError):
    show_error(notice)

cols = st.columns([2, 2, 3, 2, 1])
all_label = tr("gallery.all")
theme = cols[0].selectbox(
    tr("gallery.theme"), [all_label, *choices.themes], key="gallery_theme", on_change=_first_page
)
department = cols[1].selectbox(
    tr("gallery.department"),
    [all_label, *choices.departments],
    key="gallery_department",
    on_change=_first_page,
)
search = cols[2].text_input(tr("gallery.search"), key="gallery_search", on_change=_first_page)
order = cols[3].selectbox(
    tr("gallery.order"),
    choices.orders,
    format_func=lambda o: tr(f"gallery.order.{o.value}"),
    key="gallery_order",
    on_change=_first_page,
)
per_page = cols[4].selectbox(
    tr("gallery.per_page"), PAGE_SIZES, key="gallery_per_page", on_change=_first_page
)
query = GalleryQuery(
    theme=None if theme == all_label else theme,
    department=None if department == all_label else department,
    search=search,
    order=order,
    page=int(st.session_state.get(state.GALLERY_PAGE) or 1),
    per_page=per_page,
)
try:
    with runtime.session() as session:
        page = gallery_page(
            session, actor=user, secret_key=runtime.settings.secret_key, query=query
        )
except ContestError as error:
    show_error(error)
    st.stop()

left, right = st.columns([3, 1])
left.caption(tr("gallery.total", total=page.total, page=page.page, pages=page.pages))
if order == Order.SHUFFLE:
    left.caption(tr("gallery.shuffle_note"))
right.metric(tr("vote.left"), tr("vote.left_value", left=votes.left, budget=votes.budget))

if not page.cards:
    st.info(tr("gallery.empty"))
grid = st.container(key="gallery_grid")
for row_start in range(0, len(page.cards), COLUMNS):
    cards = page.cards[row_start : row_start + COLUMNS]
    for column, card in zip(grid.columns(COLUMNS)[: len(cards)], cards, strict=True):
        with column.container(border=True):
            st.image(thumb_source(card.thumb_key), width="stretch")
            st.page_link(
                "pages/entry.py",
                label=tr("gallery.open", number=card.number, title=card.title),
                query_params={"entry": str(card.entry_id)},
                icon="✅" if card.entry_id in votes.voted_entry_ids else None,
            )
            names = [card.theme, card.department, *([card.author_name] if card.author_name else [])]
            st.caption(" · ".join(names))

if page.pages > 1:
    st.session_state[state.GALLERY_PAGE] = page.page  # clamped by the service; never None
    st.segmented_control(tr("gallery.page"), list(range(1, page.pages + 1)), key=state.GALLERY_PAGE)

with st.expander(f"{tr('vote.my_votes')} ({votes.used}/{votes.budget})"):
    if not mine:
        st.caption(tr("vote.my_votes_empty"))
    for vote in mine:
        line = st.columns([4, 1])
        label = tr("gallery.open", number=vote.number, title=vote.title)
        line[0].text(label if vote.active else f"{label} {tr('vote.no_longer_shown')}")
        line[1].button(
            tr("vote.retract"),
            key=f"gallery_retract_{vote.entry_id}",
            on_click=_retract,
            args=(vote.entry_id,),
        )
