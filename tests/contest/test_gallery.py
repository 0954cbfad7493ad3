"""Gallery queries: what is shown, filters, orders, paging, and the poster view's rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from contest.core.errors import InvalidInput, InvalidState, NotFound
from contest.core.models import Contest, ContestPhase, Entry, Role
from contest.core.timeutil import utcnow
from contest.runtime import Runtime
from contest.voting.gallery import (
    GalleryQuery,
    Order,
    entry_detail,
    filters,
    gallery_page,
)
from contest.voting.votes import cast_vote, tallies
from tests.factories import add_entry, create_contest, create_user

SECRET = "gallery-test-secret"


def _page(session: Session, actor: Any, now: Any = None, **query: Any) -> Any:
    return gallery_page(
        session, actor=actor, secret_key=SECRET, query=GalleryQuery(**query), now=now
    )


def thirty_posters(runtime: Runtime) -> dict[str, Any]:
    """30 posters by two departments over two themes, plus a few that must not show."""
    with runtime.session() as session:
        contest = create_contest(session)
        old = create_contest(session, current=False)
        city = create_user(session, department="도시계획과", name="정하은")
        culture = create_user(session, department="문화예술과")
        viewer = create_user(session)
        admin = create_user(session, role=Role.ADMIN)
        ids = []
        for n in range(30):
            ids.append(
                add_entry(
                    session,
                    contest=contest,
                    author=city if n % 2 else culture,
                    theme=contest.themes[n % 3 == 0],
                    title=f"Harbour 포스터 {n}" if n < 5 else f"포스터 {n}",
                    policy="Smart_City 100%" if n == 7 else "정책",
                ).id
            )
        hidden = {}
        for status in ("withdrawn", "hidden", "disqualified"):
            hidden[status] = add_entry(session, contest=contest, author=city, status=status).id
        add_entry(session, contest=old, author=city)
    return {
        "rt": runtime,
        "contest": contest,
        "ids": ids,
        "hidden": hidden,
        "viewer": viewer,
        "admin": admin,
        "city": city,
        "culture": culture,
    }


def test_only_active_entries_of_current_contest_paged(any_runtime: Runtime) -> None:
    world = thirty_posters(any_runtime)
    with world["rt"].session() as session:
        first = _page(session, world["viewer"])
        second = _page(session, world["viewer"], page=2)
        big = _page(session, world["viewer"], per_page=48)
    assert (first.total, first.pages, len(first.cards), len(second.cards)) == (30, 2, 24, 6)
    shown = {c.entry_id for c in first.cards} | {c.entry_id for c in second.cards}
    assert shown == set(world["ids"])
    assert {c.entry_id for c in big.cards} == shown
    card = first.cards[0]
    assert card.thumb_key.startswith("thumbs/") and card.display_key.startswith("display/")
    assert (card.width, card.height) == (800, 1100)
    assert card.author_name is None  # the contest does not show names


def test_author_names_only_when_contest_shows_them(any_runtime: Runtime) -> None:
    world = thirty_posters(any_runtime)
    with world["rt"].session() as session:
        contest = session.get(Contest, world["contest"].id)
        assert contest is not None
        contest.show_author_names = True
        session.add(contest)
    with world["rt"].session() as session:
        cards = _page(session, world["viewer"], department="도시계획과").cards
        detail = entry_detail(session, actor=world["viewer"], entry_id=world["ids"][1])
    assert {c.author_name for c in cards} == {"정하은"}
    assert detail.author_name == "정하은"


def test_shuffle_is_stable_per_viewer_and_differs_between_viewers(any_runtime: Runtime) -> None:
    world = thirty_posters(any_runtime)
    with world["rt"].session() as session:
        other = create_user(session)
    with world["rt"].session() as session:
        mine = [c.entry_id for c in _page(session, world["viewer"], per_page=48).cards]
        again = [c.entry_id for c in _page(session, world["viewer"], per_page=48).cards]
        theirs = [c.entry_id for c in _page(session, other, per_page=48).cards]
        paged = [
            c.entry_id
            for p in (1, 2)
            for c in _page(session, world["viewer"], page=p, per_page=24).cards
        ]
    assert mine == again == paged
    assert sorted(mine) == sorted(theirs) and mine != theirs
    assert mine != sorted(mine)


def test_filters_and_search(any_runtime: Runtime) -> None:
    world = thirty_posters(any_runtime)
    themes = world["contest"].themes
    with world["rt"].session() as session:
        by_theme = _page(session, world["viewer"], theme=themes[1], per_page=48)
        by_dept = _page(session, world["viewer"], department="문화예술과", per_page=48)
        by_text = _page(session, world["viewer"], search="harbour")
        by_policy = _page(session, world["viewer"], search="smart_city 100%")
        wildcard = _page(session, world["viewer"], search="_")
        both = _page(session, world["viewer"], search="HARBOUR", department="도시계획과")
        choices = filters(session, actor=world["viewer"])
    assert by_theme.total == 10 and {c.theme for c in by_theme.cards} == {themes[1]}
    assert by_dept.total == 15 and {c.department for c in by_dept.cards} == {"문화예술과"}
    assert by_text.total == 5
    assert [c.entry_id for c in by_policy.cards] == [world["ids"][7]]
    assert [c.entry_id for c in wildcard.cards] == [world["ids"][7]]  # "_" is not a wildcard
    assert both.total == 2
    assert choices.departments == ("도시계획과", "문화예술과")
    assert choices.themes == tuple(themes)
    assert choices.orders == (Order.SHUFFLE, Order.NEWEST)


def test_a_number_search_finds_that_entry(any_runtime: Runtime) -> None:
    """Labels print "13번": searching "13" or "13번" finds entry 13 (and "13" any title with it)."""
    world = thirty_posters(any_runtime)
    number_13, titled_13 = world["ids"][12], world["ids"][13]  # numbers 13 and 14 ("포스터 13")
    with world["rt"].session() as session:
        found = {
            term: {c.entry_id for c in _page(session, world["viewer"], search=term).cards}
            for term in ("13", "13번", " 13 번 ", "99번", "번")
        }
    assert found["13"] == {number_13, titled_13}
    assert found["13번"] == found[" 13 번 "] == {number_13}
    assert found["99번"] == found["번"] == set()


def test_newest_order(any_runtime: Runtime) -> None:
    world = thirty_posters(any_runtime)
    with world["rt"].session() as session:
        base = world["contest"].created_at
        for k, entry_id in enumerate(world["ids"]):
            entry = session.get(Entry, entry_id)
            assert entry is not None
            entry.created_at = base + timedelta(minutes=k)
            session.add(entry)
    with world["rt"].session() as session:
        cards = _page(session, world["viewer"], order=Order.NEWEST).cards
    assert [c.entry_id for c in cards] == list(reversed(world["ids"]))[:24]


def test_votes_order_only_after_close(any_runtime: Runtime) -> None:
    world = thirty_posters(any_runtime)
    rt, ids = world["rt"], world["ids"]
    with rt.session() as session:
        voters = [create_user(session) for _ in range(3)]
    for n, voter in enumerate(voters):
        for entry_id in ids[5 : 5 + n + 1]:  # ids[5] gets 3 votes, ids[6] 2, ids[7] 1
            with rt.session() as session:
                cast_vote(session, actor=voter, entry_id=entry_id)
    with pytest.raises(InvalidState) as err, rt.session() as session:
        _page(session, world["viewer"], order=Order.VOTES)
    assert err.value.key == "error.gallery.votes_order_closed"
    after = world["contest"].voting_closes_at + timedelta(seconds=1)
    with rt.session() as session:
        cards = _page(session, world["viewer"], now=after, order=Order.VOTES).cards
        choices = filters(session, actor=world["viewer"], now=after)
    assert [c.entry_id for c in cards[:3]] == [ids[5], ids[6], ids[7]]
    assert Order.VOTES in choices.orders
    assert len(cards) == 24


def test_disqualified_entry_leaves_at_once(any_runtime: Runtime) -> None:
    world = thirty_posters(any_runtime)
    with world["rt"].session() as session:
        entry = session.get(Entry, world["ids"][3])
        assert entry is not None
        entry.status = "disqualified"
        session.add(entry)
    with world["rt"].session() as session:
        page = _page(session, world["viewer"], per_page=48)
    assert page.total == 29 and world["ids"][3] not in {c.entry_id for c in page.cards}


def test_bad_page_size_refused(any_runtime: Runtime) -> None:
    world = thirty_posters(any_runtime)
    with pytest.raises(InvalidInput), world["rt"].session() as session:
        _page(session, world["viewer"], per_page=1000)


def test_detail_hides_removed_entries_from_staff_not_admins(any_runtime: Runtime) -> None:
    world = thirty_posters(any_runtime)
    with world["rt"].session() as session:
        shown = entry_detail(session, actor=world["viewer"], entry_id=world["ids"][0])
        own = entry_detail(session, actor=world["culture"], entry_id=world["ids"][0])
        for status, entry_id in world["hidden"].items():
            with pytest.raises(NotFound):
                entry_detail(session, actor=world["viewer"], entry_id=entry_id)
            seen = entry_detail(session, actor=world["admin"], entry_id=entry_id)
            assert seen.status == status
        with pytest.raises(NotFound):
            entry_detail(session, actor=world["viewer"], entry_id=10**6)
    assert shown.display_key.startswith("display/") and not shown.is_own
    assert own.is_own
    assert shown.status_reason == ""


def test_one_page_costs_at_most_two_queries(any_runtime: Runtime) -> None:
    world = thirty_posters(any_runtime)
    statements: list[str] = []
    engine = world["rt"].engine

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    with world["rt"].session() as session:
        session.connection()  # so only the gallery's own statements are counted
        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            for order in (Order.SHUFFLE, Order.NEWEST):
                statements.clear()
                _page(session, world["viewer"], order=order, per_page=48)
                # the current contest + the ids/count + one page of cards
                assert len(statements) == 3, statements
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)


def test_page_beyond_the_end_shows_the_last(any_runtime: Runtime) -> None:
    world = thirty_posters(any_runtime)
    with world["rt"].session() as session:
        page = _page(session, world["viewer"], page=9, theme=world["contest"].themes[1])
    assert (page.page, page.pages, len(page.cards)) == (1, 1, 10)


@pytest.mark.parametrize("names", [False, True])
def test_judges_see_no_author_anywhere_until_results_are_published(
    any_runtime: Runtime, names: bool
) -> None:
    """Gallery cards, the department filter (its choices and a forced value), the poster
    page and the vote tallies: one rule (visibility.author_visibility) hides authors and
    departments from judges until the results are published; staff are unaffected."""
    world = thirty_posters(any_runtime)
    rt, entry_id = world["rt"], world["ids"][1]
    with rt.session() as session:
        judge = create_user(session, role=Role.JUDGE)
        contest = session.get(Contest, world["contest"].id)
        assert contest is not None
        contest.show_author_names = names
        contest.voting_closes_at = utcnow() - timedelta(minutes=1)  # tallies are open to all
        session.add(contest)

    def seen(viewer: Any) -> set[str | None]:
        with rt.session() as session:
            cards = _page(session, viewer, per_page=48).cards
            forced = _page(session, viewer, per_page=48, department="도시계획과")
            detail = entry_detail(session, actor=viewer, entry_id=entry_id)
            rows = tallies(session, actor=viewer, contest_id=world["contest"].id)
            departments = filters(session, actor=viewer).departments
        assert forced.total == (15 if {c.department for c in cards} != {None} else 30)
        return (
            {c.department for c in cards}
            | {c.author_name for c in cards}
            | {detail.department, detail.author_name}
            | {t.department for t in rows}
            | set(departments)
        )

    assert seen(judge) == {None}
    authors = {world["city"].name, world["culture"].name} if names else {None}
    staff_sees = {"도시계획과", "문화예술과"} | authors
    assert seen(world["viewer"]) == staff_sees
    with rt.session() as session:
        contest = session.get(Contest, world["contest"].id)
        assert contest is not None
        contest.phase = ContestPhase.FINALISED.value  # results_published(contest): finalised
        contest.published_snapshot_id = 1  # and a snapshot published (judging.publication)
        session.add(contest)
    assert seen(judge) == staff_sees


@pytest.mark.parametrize("entry_id", [0, -1, 2**63, 10**20])
def test_an_impossible_entry_id_in_a_link_is_not_found(any_runtime: Runtime, entry_id: int) -> None:
    """?entry=99999999999999999999 once raised OverflowError (SQLite) or DataError (PostgreSQL)."""
    world = thirty_posters(any_runtime)
    with world["rt"].session() as session, pytest.raises(NotFound):
        entry_detail(session, actor=world["viewer"], entry_id=entry_id)
