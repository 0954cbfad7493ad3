"""Ids from outside (a page address, the stay-signed-in cookie) are read by one function,
contest.core.ids.parse_id: ASCII digits within the id column's range, on both databases."""

from __future__ import annotations

import pytest

from contest.accounts.remember import user_for_token
from contest.core.ids import MAX_ID, parse_id
from contest.exhibition.public import visitor_view
from contest.runtime import Runtime
from tests.factories import TEST_SECRET, create_contest, create_user


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7", 7),
        ("0042", 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),  # beyond PostgreSQL's INTEGER
        (str(2**63), None),  # beyond SQLite's INTEGER
        ("9" * 40, None),
        ("0", None),
        ("²", None),  # a digit to str.isdigit, not to int()
        ("١٢", None),  # Arabic-Indic digits: int() would accept them
        ("１２", None),  # full-width digits, likewise
        ("-3", None),
        ("+3", None),
        (" 3", None),
        ("3\n", None),
        ("", None),
        (None, None),
        (["3"], None),
    ],
)
def test_only_ascii_digits_in_range_name_a_row(text: object, expected: int | None) -> None:
    assert parse_id(text) == expected


@pytest.mark.parametrize("user_id", [str(MAX_ID + 1), str(2**63), "9" * 10, "0"])
def test_a_cookie_naming_an_id_beyond_the_column_is_no_sign_in(
    any_runtime: Runtime, user_id: str
) -> None:
    """It used to raise on PostgreSQL (ids are 32-bit there; the token allowed 18 digits) and,
    past 2^63, on SQLite; now it is a cookie that names nobody."""
    token = f"{user_id}.99999999999.{'0' * 64}"
    with any_runtime.session() as session:
        create_user(session)
        assert user_for_token(session, token, secret=TEST_SECRET) is None
    with any_runtime.session() as session:  # the connection is still good
        assert user_for_token(session, f"1.99999999999.{'0' * 64}", secret=TEST_SECRET) is None


def test_the_largest_id_is_looked_up_without_error(any_runtime: Runtime) -> None:
    with any_runtime.session() as session:
        contest = create_contest(session)
        contest.exhibition_public = True
        contest.exhibition_opens_at = contest.submission_opens_at
        contest.exhibition_closes_at = contest.voting_closes_at
        session.add(contest)
    with any_runtime.session() as session:
        view = visitor_view(session, actor=None, entry_id=MAX_ID)
        assert view.public and view.poster is None
