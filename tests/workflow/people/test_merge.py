"""Probable duplicates and their merge."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from models import AuditEvent, Evaluation, Membership, Person
from tests.fixtures.people import make_dossier
from tests.fixtures.register import make_person, rate_person, record_award
from workflow.core.errors import EditRefused
from workflow.people import merge
from workflow.people.history import person_history

# Each test starts from a register without entries (as a unit finds it before its first).
pytestmark = pytest.mark.usefixtures("empty_register")


SAME_ID = {"identity_kind": "national_id", "identity_number": "079188001234"}


@pytest.fixture()
def twins(session, world):
    """The same teacher entered by unit a and, with the same ID, by unit b."""
    first = make_person(session, world, **SAME_ID)
    second = make_person(session, world, "Phạm T. Trang", unit="b", **SAME_ID)
    return first, second


def test_pairs_are_listed_for_the_office_and_within_a_unit(session, world, twins):
    pairs = merge.duplicate_pairs(session, world.actor("reviewer"))
    assert [(p.first.id, p.second.id, p.reason) for p in pairs] == [
        (twins[0].id, twins[1].id, "identity")
    ]
    assert merge.duplicate_pairs(session, world.actor("staff_a")) == []
    same_unit = make_person(session, world, **SAME_ID)
    (pair,) = merge.duplicate_pairs(session, world.actor("staff_a"))
    assert {pair.first.id, pair.second.id} == {twins[0].id, same_unit.id}


def test_a_merge_moves_every_history_and_is_audited_on_both(session, world, twins):
    first, second = twins
    record_award(session, world, first, 2024)
    record_award(session, world, second, 2023)
    rate_person(session, world, first, 2024, "excellent")
    rate_person(session, world, second, 2024, "excellent", by="staff_b")
    rate_person(session, world, second, 2023, "good", by="staff_b")
    dossier = make_dossier(session, world, state="office_review", unit="b")
    dossier.person_id = second.id
    session.flush()
    version = dossier.version

    counts = merge.merge_people(session, world.actor("reviewer"), second.id, first.id)

    assert counts["award_records"] == 1 and counts["nominations"] == 1
    assert counts["evaluations"] == 1 and counts["memberships"] == 1
    assert session.get(Person, second.id).merged_into_id == first.id
    history = person_history(session, session.get(Person, first.id))
    assert {a.year for a in history.awards} == {2023, 2024, 2026}
    assert [(e.year, e.rating) for e in history.evaluations] == [
        (2024, "excellent"),
        (2023, "good"),
    ]
    periods = session.scalars(select(Membership).where(Membership.person_id == first.id)).all()
    assert len(periods) == 2  # one in each unit
    session.refresh(dossier)
    assert dossier.version == version  # moving a nomination is not an edit of it
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action.in_(("merge_into", "merge_from")))
    ).all()
    assert {(e.entity_id, e.action) for e in events} == {
        (second.id, "merge_into"),
        (first.id, "merge_from"),
    }
    assert (
        json.loads(events[0].changes)["merged_id"] == second.id
        and json.loads(events[0].changes)["survivor_id"] == first.id
    )
    assert merge.duplicate_pairs(session, world.actor("reviewer")) == []


def test_the_same_period_entered_twice_is_kept_once(session, world, twins):
    again = make_person(session, world, **SAME_ID)
    merge.merge_people(session, world.actor("reviewer"), again.id, twins[0].id)
    periods = session.scalars(select(Membership).where(Membership.person_id == twins[0].id)).all()
    assert len(periods) == 1


def test_different_ratings_of_a_year_refuse_the_merge_naming_the_year(session, world, twins):
    first, second = twins
    rate_person(session, world, first, 2024, "excellent")
    rate_person(session, world, second, 2024, "good", by="staff_b")
    with pytest.raises(EditRefused) as refused:
        merge.merge_people(session, world.actor("reviewer"), second.id, first.id)
    assert "2024" in refused.value.messages("vi")[0]
    assert session.get(Person, second.id).merged_into_id is None
    assert len(session.scalars(select(Evaluation)).all()) == 2


def test_the_account_moves_to_the_survivor_unless_both_have_one(session, world):
    first = make_person(session, world, "Nguyễn Thị Hồng", user_id=world.users["staff_a"].id)
    second = make_person(session, world, "Nguyễn Thị Hồng", unit="b")
    merge.merge_people(session, world.actor("reviewer"), first.id, second.id)
    assert session.get(Person, second.id).user_id == world.users["staff_a"].id
    third = make_person(session, world, "Lê Thị Cúc", unit="b", user_id=world.users["staff_b"].id)
    fourth = make_person(session, world, "Trần Văn Bình", user_id=world.users["head_a"].id)
    with pytest.raises(EditRefused):
        merge.merge_people(session, world.actor("reviewer"), third.id, fourth.id)


def test_only_the_office_merges(session, world, twins):
    with pytest.raises(EditRefused):
        merge.merge_people(session, world.actor("head_a"), twins[1].id, twins[0].id)
    with pytest.raises(EditRefused):
        merge.merge_people(session, world.actor("reviewer"), twins[0].id, twins[0].id)
    assert session.get(Person, twins[1].id).merged_into_id is None
