"""Verification codes: every conferred dossier of an issued decision gets a random code, read
back however a visitor types it; drafts and unknown codes name nothing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fixtures.money import approved, draft_decision
from tests.fixtures.people import NOW, make_council_session
from workflow.publication import decisions, verification


@pytest.fixture()
def decision(session, world):
    council = make_council_session(session, world)
    made = [approved(session, world, council, name) for name in ("Trần Phú", "Đỗ Thị Mai")]
    return draft_decision(session, world, made)


@pytest.mark.db
def test_issuing_gives_each_item_its_own_code(session, world, decision):
    assert [i.verify_code for i in decision.items] == [None, None]
    decisions.issue(session, decision.id, world.actor("secretary"), now=NOW)
    codes = [i.verify_code for i in decision.items]
    assert all(c and len(c) == 10 for c in codes) and len(set(codes)) == 2
    for item in decision.items:
        assert verification.find(session, item.verify_code) is item


@pytest.mark.db
def test_a_code_is_found_however_it_is_typed(session, world, decision):
    decisions.issue(session, decision.id, world.actor("secretary"), now=NOW)
    item = decision.items[0]
    shown = verification.shown(item.verify_code)
    assert shown[5] == "-"
    typed = f"  {shown.lower()} ".replace("0", "o").replace("1", "l")
    assert verification.find(session, typed) is item


@pytest.mark.db
def test_a_draft_and_an_unknown_code_name_nothing(session, world, decision):
    decision.items[0].verify_code = verification.new_code()
    session.flush()
    assert verification.find(session, decision.items[0].verify_code) is None
    assert verification.find(session, "0000000000") is None
    assert verification.find(session, "ABC") is None


@given(st.text(max_size=40))
def test_normalise_never_raises_and_keeps_only_the_alphabet(typed):
    code = verification.normalise(typed)
    assert code is None or (len(code) == 10 and set(code) <= set(verification.ALPHABET))


def test_codes_are_random_not_sequential():
    codes = {verification.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    # Each position uses the whole alphabet: nothing fixed a reader could learn from a code.
    assert all(len({c[i] for c in codes}) == 32 for i in range(10))
