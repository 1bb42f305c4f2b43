"""Ratings (one per year), discipline, initiatives, groups and issuers."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from models import AuditEvent, Collective, Evaluation, Issuer
from tests.fixtures.people import NOW
from tests.fixtures.register import make_group, make_person, rate_person
from workflow.core.errors import EditRefused, NotFound
from workflow.people import groups, issuers, records

# Each test starts from a register without entries (as a unit finds it before its first).
pytestmark = pytest.mark.usefixtures("empty_register")


def test_a_rating_per_year_and_a_new_one_replaces_it_with_an_audit_event(session, world):
    person = make_person(session, world)
    rate_person(session, world, person, 2025, "good")
    rate_person(session, world, person, 2025, "excellent")
    ratings = session.scalars(select(Evaluation).where(Evaluation.person_id == person.id)).all()
    assert [(e.year, e.rating) for e in ratings] == [(2025, "excellent")]
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event.action == "rate" and json.loads(event.changes)["rating"] == ["good", "excellent"]


@pytest.mark.parametrize(
    "values",
    [
        {"year": "20x5", "rating": "good"},
        {"year": 2025, "rating": "great"},
        {"year": 2099, "rating": "good"},
    ],
)
def test_a_bad_rating_is_refused(session, world, values):
    person = make_person(session, world)
    with pytest.raises(EditRefused):
        records.rate(session, person.id, world.actor("staff_a"), values, now=NOW)
    assert session.scalar(select(Evaluation).where(Evaluation.person_id == person.id)) is None


def test_discipline_and_initiatives_are_recorded_and_checked(session, world):
    person = make_person(session, world)
    actor = world.actor("head_a")
    measure = records.discipline(
        session,
        person.id,
        actor,
        {
            "form": "warning",
            "starts_on": "01/02/2025",
            "ends_on": "31/01/2026",
            "reason": "Vi phạm",
        },
        now=NOW,
    )
    assert measure.in_year(2025) and measure.form == "warning"
    with pytest.raises(EditRefused):
        records.discipline(
            session,
            person.id,
            actor,
            {"form": "warning", "starts_on": "01/02/2025", "ends_on": "01/01/2025", "reason": "x"},
        )
    with pytest.raises(EditRefused):
        records.discipline(session, person.id, actor, {"form": "warning", "reason": "x"})
    initiative = records.add_initiative(
        session,
        person.id,
        actor,
        {"year": 2025, "title": "Dạy học STEM", "kind": "initiative", "level": "unit"},
        now=NOW,
    )
    assert initiative.level == "unit"
    with pytest.raises(EditRefused):
        records.add_initiative(session, person.id, actor, {"year": 2025, "title": ""})
    with pytest.raises(NotFound):
        records.rate(session, person.id, world.actor("staff_b"), {"year": 2025, "rating": "good"})


def test_groups_are_added_renamed_deactivated_within_their_unit(session, world):
    group = make_group(session, world)
    person = make_person(session, world, collective_id=group.id)
    assert groups.members_of(session, group) == [person]
    rows = groups.collectives_of(session, world.units["a"].id)
    assert [(c.kind, n) for c, n in rows] == [("unit", 1), ("team", 1)]
    with pytest.raises(EditRefused):
        make_group(session, world, "tổ toán - tin")  # the same name, folded
    groups.change_group(
        session, group.id, world.actor("head_a"), {"name": "Tổ Toán", "kind": "team", "active": "0"}
    )
    assert (group.name, group.active) == ("Tổ Toán", False)
    with pytest.raises(NotFound):
        groups.change_group(
            session, group.id, world.actor("staff_b"), {"name": "X", "kind": "team"}
        )
    own = session.scalar(select(Collective).where(Collective.kind == "unit"))
    with pytest.raises(EditRefused):
        groups.change_group(session, own.id, world.actor("staff_a"), {"name": "X", "kind": "team"})


def test_issuers_are_kept_by_the_office_with_unique_codes(session, world):
    office = world.actor("reviewer")
    values = {
        "code": "ubnd-xa-an-bien",
        "name": "Chủ tịch UBND xã An Biên",
        "kind": "commune",
        "valid_from": "01/07/2025",
    }
    issuer = issuers.add_issuer(session, office, values, now=NOW)
    assert issuer.code == "UBND-XA-AN-BIEN"
    with pytest.raises(EditRefused):
        issuers.add_issuer(session, office, values, now=NOW)
    with pytest.raises(EditRefused):
        issuers.add_issuer(session, world.actor("staff_a"), {**values, "code": "X"})
    with pytest.raises(EditRefused):
        issuers.change_issuer(
            session, issuer.id, office, {**values, "valid_to": "01/01/2025"}, now=NOW
        )
    issuers.change_issuer(session, issuer.id, office, {**values, "name": "UBND xã An Biên"})
    assert session.get(Issuer, issuer.id).name == "UBND xã An Biên"
