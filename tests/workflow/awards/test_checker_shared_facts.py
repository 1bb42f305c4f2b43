"""A Checker given the facts a page already read (the nominee's history, the dossier's files)
answers as one that reads them itself, without reading them again; a settled Checker checks a
nomination once."""

from __future__ import annotations

import pytest

from models import Initiative
from tests.fixtures.awards import TODAY, demo_catalogue, nominate, record
from tests.fixtures.statements import statements_run
from workflow.awards.eligibility import Checker, attachment_purposes, batch, checker_for
from workflow.people.history import person_history

pytestmark = pytest.mark.db

NAME = "Hoàng Văn Quyết"
# What the history holds, and the files: the tables the checks would read otherwise.
SHARED = ("award_record", "person_evaluation", "initiative", "attachment")


def _reads(statements: list[str], table: str) -> bool:
    return any(f"FROM {table}" in " ".join(s.split()) for s in statements)


@pytest.fixture
def city(session, world):
    """A Chiến sĩ thi đua thành phố nomination whose rules read the nominee's titles, ratings,
    initiatives and files."""
    awards = demo_catalogue(session, world)
    unit = world.units["a"].id
    nomination = nominate(
        session,
        world,
        awards["CSTDTP"],
        NAME,
        purposes=("achievement_report", "minutes", "initiative"),
        rating="excellent",
    )
    for year in (2024, 2025):
        record(session, awards["CSTDCS"], NAME, year, unit, person=nomination.person)
    session.add(
        Initiative(person_id=nomination.person_id, year=2025, title="Sáng kiến", level="city")
    )
    session.flush()
    session.expire_all()
    return nomination


def test_a_checker_told_the_history_and_files_answers_the_same_without_reading_them(session, city):
    expected: list = []
    alone = statements_run(session, lambda: expected.extend(Checker(session, TODAY).check(city)))
    # This award's rules read the titles, initiatives and files (not the ratings).
    assert [t for t in SHARED if _reads(alone, t)] == ["award_record", "initiative", "attachment"]
    history = person_history(session, city.person, register=False)
    files = attachment_purposes(session, [city.id])[city.id]

    told = Checker(session, TODAY)
    told.know_history(city, history)
    told.know_files(city.id, files)
    found: list = []
    seen = statements_run(session, lambda: found.extend(told.check(city)))

    assert found == expected and expected
    assert not any(_reads(seen, table) for table in SHARED), seen


def test_the_history_leaves_out_the_register_only_when_asked(session, city):
    whole = person_history(session, city.person)
    seen = statements_run(session, lambda: person_history(session, city.person, register=False))
    shown = person_history(session, city.person, register=False)

    assert not [s for s in seen if "person_discipline" in s or "person_membership" in s]
    assert (shown.awards, shown.evaluations, shown.initiatives) == (
        whole.awards,
        whole.evaluations,
        whole.initiatives,
    )
    assert [(a.year, a.held) for a in shown.awards if a.record_id] == [(2025, True), (2024, True)]
    assert all(not a.held for a in shown.awards if a.record_id is None)  # pending nominations


def test_a_settled_batch_checks_a_nomination_once_until_it_forgets(session, city):
    with batch(session, TODAY, (), settled=True):
        checker = checker_for(session, TODAY)
        first = checker.check(city)
        assert statements_run(session, lambda: checker.check(city)) == []
        assert checker.check(city) == first
        checker.forget(city)
        assert statements_run(session, lambda: checker.check(city)) != []
