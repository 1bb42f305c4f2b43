"""A person's and a collective's history: records, nominations on their way, and what the
public sees."""

from __future__ import annotations

from models import AwardRecord, Person
from models.text import fold
from tests.fixtures.people import make_dossier
from workflow.people.history import collective_history, person_history
from workflow.people.register import unit_collective


def _person(session, world, name="Phạm Thu Trang") -> Person:
    person = Person(full_name=name, name_key=fold(name), unit_id=world.units["a"].id)
    session.add(person)
    session.flush()
    return person


def test_a_person_history_holds_records_and_pending_nominations(session, world):
    person = _person(session, world)
    session.add(
        AwardRecord(
            award_type_id=world.awards["ldtt"].id,
            year=2024,
            person_name=person.full_name,
            name_key=person.name_key,
            person_id=person.id,
            unit_id=world.units["a"].id,
            decision_number="15/QĐ-UBND",
        )
    )
    dossier = make_dossier(session, world, state="office_review")
    dossier.person_id = person.id
    session.flush()

    history = person_history(session, person)

    assert [(a.year, a.result) for a in history.awards] == [
        (world.campaign.year, "office_review"),
        (2024, "conferred"),
    ]
    assert history.awards[1].decision_number == "15/QĐ-UBND"
    assert person_history(session, person, public=True).awards == []


def test_a_collective_history_is_its_own(session, world):
    mine = unit_collective(session, world.units["a"].id)
    assert unit_collective(session, world.units["a"].id).id == mine.id
    session.add(
        AwardRecord(
            award_type_id=world.awards["ldtt"].id,
            year=2025,
            person_name=mine.name,
            name_key=mine.name_key,
            collective_id=mine.id,
        )
    )
    session.flush()
    assert [a.year for a in collective_history(session, mine).awards] == [2025]
    other = unit_collective(session, world.units["b"].id)
    assert collective_history(session, other).awards == []
