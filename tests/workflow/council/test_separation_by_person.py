"""Separation of duties by person: the nominee is the register entry the nomination names, and
its account is whoever is linked to it. Through the real engine: the Council member named is off
the ballot's roll, the reviewer named cannot review (another can), the secretary named can
neither decide nor publish; a namesake who is another person is not concerned."""

from __future__ import annotations

import pytest

from models.council import BallotVoter
from tests.fixtures import ballot_keys as keyed
from tests.fixtures.people import (
    NOW,
    inputs_for,
    make_council_session,
    make_dossier,
    new_person,
    register_person,
)
from tests.fixtures.snapshots import assert_refused
from workflow import fire
from workflow.council import ballot as ballots

pytestmark = pytest.mark.db


def test_the_member_linked_to_the_nominee_is_off_the_roll_a_namesake_is_not(session, world):
    council = make_council_session(session, world)
    # Đinh Thị Oanh, Council member, teaches at school a: her register entry there is linked.
    linked = register_person(session, world, "Đinh Thị Oanh", "a", user="member4")
    namesake = new_person(session, world.units["b"].id, "Đinh Thị Oanh")
    mine = make_dossier(
        session, world, state="council_review", council=council, person_id=linked.id
    )
    other = make_dossier(
        session, world, state="council_review", unit="b", council=council, person_id=namesake.id
    )
    secretary, member4 = world.actor("secretary"), world.users["member4"]
    ballot = keyed.open_ballot(session, council.id, mine.id, secretary, now=NOW)
    assert ballot.eligible == 4
    assert session.get(BallotVoter, (ballot.id, member4.id)).recusal == "nominee"
    assert ballots.standing(session, council, mine, world.actor("member4"), ballot) == "nominee"
    # The same name, another person: she votes.
    ballot = keyed.open_ballot(session, council.id, other.id, secretary, now=NOW)
    assert ballot.eligible == 5
    assert session.get(BallotVoter, (ballot.id, member4.id)).recusal is None


@pytest.mark.parametrize("trigger", ["office_approve", "office_return"])
def test_a_reviewer_cannot_act_on_a_dossier_naming_her(session, world, trigger):
    herself = register_person(session, world, "Đặng Thu Hà", "a", user="reviewer")
    dossier = make_dossier(session, world, state="office_review", person_id=herself.id)
    error = assert_refused(
        session,
        dossier.id,
        lambda: fire(
            session, dossier.id, trigger, world.actor("reviewer"), inputs=inputs_for(trigger)
        ),
    )
    assert error.is_permission
    event = fire(
        session, dossier.id, trigger, world.actor("reviewer2"), inputs=inputs_for(trigger), now=NOW
    )
    assert event.actor_role == "office_reviewer"


def test_the_secretary_cannot_decide_or_publish_her_own_nomination(session, world):
    council = make_council_session(session, world)
    herself = register_person(session, world, "Hoàng Lan Anh", "a", user="secretary")
    dossier = make_dossier(
        session, world, state="council_review", council=council, person_id=herself.id
    )
    secretary = world.actor("secretary")
    for trigger in ("council_approve", "council_reject", "council_defer"):
        error = assert_refused(
            session,
            dossier.id,
            lambda t=trigger: fire(
                session, dossier.id, t, secretary, inputs=inputs_for(t, council), now=NOW
            ),
            "actor_is_nominee",
        )
        assert "Bạn là người được đề nghị" in error.messages("vi")[0]
    # Unlinked (another secretary's turn in practice), it goes through, then publishing is
    # refused once she is linked again.
    herself.user_id = None
    session.flush()
    fire(
        session,
        dossier.id,
        "council_approve",
        secretary,
        inputs=inputs_for("council_approve", council),
        now=NOW,
    )
    herself.user_id = world.users["secretary"].id
    session.flush()
    assert_refused(
        session,
        dossier.id,
        lambda: fire(
            session, dossier.id, "publish", secretary, inputs=inputs_for("publish"), now=NOW
        ),
        "actor_is_nominee",
    )
