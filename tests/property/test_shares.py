"""Exact shares (quorum, vote thresholds): for 1–100 members and every share the catalogue and
the sessions use, the count needed is the smallest that reaches the share, in integers."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from web.demo.organisation import AWARDS, QUORUM
from workflow.core.shares import needed, parse_share, share_text, share_words

SHARES = sorted({parse_share(a[5]) for a in AWARDS} | {parse_share(QUORUM), Fraction(4, 5)})


@given(members=st.integers(min_value=1, max_value=100), share=st.sampled_from(SHARES))
def test_the_count_needed_is_the_least_that_reaches_the_share(members, share):
    count = needed(members, share)
    assert count * share.denominator >= share.numerator * members
    assert (count - 1) * share.denominator < share.numerator * members
    assert 1 <= count <= members


def test_two_thirds_is_exact_where_a_percentage_was_not():
    two_thirds = parse_share("2/3")
    assert needed(9, two_thirds) == 6 and needed(50, two_thirds) == 34
    assert needed(9, parse_share("67")) == 7  # what 67 % gave: one member too many
    assert share_words(two_thirds) == ("hai phần ba", "two thirds")


@given(st.text(max_size=12))
def test_anything_typed_is_a_share_in_range_or_nothing(text):
    share = parse_share(text)
    assert share is None or (0 < share <= 1 and parse_share(share_text(share)) == share)


def test_shares_as_typed():
    assert parse_share("4/5") == Fraction(4, 5)
    assert parse_share(" 80 % ") == Fraction(4, 5)
    assert parse_share("9 / 10") == Fraction(9, 10)
    for bad in ("0", "0/3", "3/2", "101", "2/0", "hai phần ba", "", None, "²"):
        assert parse_share(bad) is None, bad
