"""The gallery's grid of cards: each whole card opens its poster (the title is the card's one
link, stretched over the card), and a phone shows two cards a row instead of one screen-wide
picture each."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import streamlit as st

from contest.voting.gallery import Card
from ui.i18n import tr
from ui.images import thumb_sources
from ui.text import md

COLUMNS = 4
_GRID = ".st-key-gallery_grid"
_CARD = f"{_GRID} [class*='st-key-card_']"
_CSS = (
    "<style>"
    f"{_CARD} {{position: relative;}}"
    # The link's box covers the whole card; nothing between them may be positioned.
    f"{_CARD} [data-testid='stElementContainer']:has([data-testid='stPageLink']),"
    f" {_CARD} [data-testid='stPageLink'], {_CARD} [data-testid='stPageLink'] *"
    " {position: static;}"
    f"{_CARD} a[data-testid='stPageLink-NavLink']::after"
    " {content: ''; position: absolute; inset: 0; z-index: 1;}"
    f"{_CARD}:hover, {_CARD}:focus-within {{border-color: var(--primary-color, #0055A4);}}"
    f"{_CARD} [data-testid='stElementToolbar'] {{display: none;}}"  # the card is the button
    "@media (max-width: 640px) {"
    f"{_GRID} [data-testid='stHorizontalBlock'] {{flex-wrap: wrap; gap: 0.5rem;}}"
    f"{_GRID} [data-testid='stColumn'] {{flex: 1 1 calc(50% - 0.5rem) !important;"
    " width: calc(50% - 0.5rem) !important; min-width: calc(50% - 0.5rem) !important;}"
    f"{_GRID} [data-testid='stColumn']:not(:has(img)) {{display: none;}}"
    "}"
    "</style>"
)


def show_cards(cards: Sequence[Card], voted: Collection[int]) -> None:
    """A row of COLUMNS cards at a time: thumbnail, number and title (the link), credit."""
    st.html(_CSS)
    box = st.container(key="gallery_grid")
    pictures = thumb_sources([card.thumb_key for card in cards])
    for start in range(0, len(cards), COLUMNS):
        row = list(
            zip(cards[start : start + COLUMNS], pictures[start : start + COLUMNS], strict=True)
        )
        for column, (card, picture) in zip(box.columns(COLUMNS), row, strict=False):
            with column.container(border=True, key=f"card_{card.entry_id}"):
                st.image(
                    picture,
                    width="stretch",
                    alt=tr("image.alt", title=card.title, theme=card.theme),
                )
                st.page_link(
                    "pages/entry.py",
                    label=tr("gallery.open", number=card.number, title=md(card.title)),
                    query_params={"entry": str(card.entry_id)},
                    icon="✅" if card.entry_id in voted else None,
                )
                names = [card.theme, card.department, card.author_name]
                st.caption(md(" · ".join(n for n in names if n)))
