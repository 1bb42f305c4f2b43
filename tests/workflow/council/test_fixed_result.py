"""A closed ballot's result is fixed at its close: catalogue edits after it change neither the
result shown nor what applying it records; the close and the decision name the threshold used.
Recusal follows the person link and is shown on the roll; manual conflicts stay."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from models import AuditEvent
from models.council import BallotList, BallotVoter
from tests.fixtures import ballot_keys as keyed
from tests.fixtures.people import NOW, make_council_session, make_dossier, register_person
from tests.fixtures.snapshots import assert_refused, snapshot
from workflow import fire
from workflow.core.errors import EditRefused
from workflow.council import ballot as ballots
from workflow.reporting.todo import ballots_awaiting

pytestmark = pytest.mark.db


@pytest.fixture()
def council(session, world):
    return make_council_session(session, world)


def _balloted(session, world, council, choices: dict[str, str], **fields):
    dossier = make_dossier(
        session, world, "nomination", "council_review", council=council, **fields
    )
    secretary = world.actor("secretary")
    keyed.open_ballot(session, council.id, dossier.id, secretary, now=NOW)
    for name, choice in choices.items():
        ballots.cast_vote(session, council.id, dossier.id, world.actor(name), choice)
    return dossier


def _events(session, entity_type: str, entity_id: int) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
            .order_by(AuditEvent.seq)
        )
    )


def test_a_failed_ballot_stays_failed_when_the_threshold_is_lowered(session, world, council):
    """2 of 5 for, 1/2 needed (3): lowering the award to 2/5 after the close changes nothing."""
    award = world.awards["ldtt"]
    award.threshold_source, award.threshold_from = "Quy chế Hội đồng, Điều 5", dt.date(2025, 7, 1)
    dossier = _balloted(
        session, world, council, {"member1": "approve", "member2": "approve", "member3": "reject"}
    )
    secretary = world.actor("secretary")
    closed = keyed.close_ballot(session, council.id, dossier.id, secretary, now=NOW)
    assert (closed.votes_for, closed.base, closed.required, closed.passes) == (2, 5, 3, False)
    award.vote_threshold, award.threshold_base = "2/5", "all_members"
    award.threshold_source, award.threshold_from = "Quy chế mới", dt.date(2026, 12, 1)
    session.flush()
    ballot = ballots.find(session, council.id, dossier.id)
    assert ballots.tally(session, ballot) == closed
    assert (ballot.threshold, ballot.threshold_base, ballot.needed, ballot.passed) == (
        "1/2",
        "present",
        3,
        False,
    )
    assert (closed.source, closed.since) == ("Quy chế Hội đồng, Điều 5", dt.date(2025, 7, 1))
    # Approving on this ballot is refused by the fixed threshold, and nothing moves.
    inputs = {"session_id": council.id, "ballot_id": ballot.id}
    assert_refused(
        session,
        dossier.id,
        lambda: fire(session, dossier.id, "council_approve", secretary, inputs=inputs, now=NOW),
        "threshold_not_met",
    )
    event = ballots.apply_result(session, council.id, dossier.id, secretary, now=NOW)
    assert event.action == "council_reject"
    changes = json.loads(event.changes)
    assert changes["ballot_id"] == ballot.id
    assert changes["ballot_result"] == {
        "threshold": "1/2",
        "threshold_base": "present",
        "threshold_source": "Quy chế Hội đồng, Điều 5",
        "threshold_from": "2025-07-01",
        "base": 5,
        "needed": 3,
        "votes": [2, 1, 0],
        "written": [0, 0],
        "passed": False,
    }
    assert "chưa đạt tỷ lệ 1/2 (cần 3)" in event.reason


def test_a_passed_ballot_stays_passed_when_the_threshold_is_raised(session, world, council):
    dossier = _balloted(
        session,
        world,
        council,
        {"member1": "approve", "member2": "approve", "member3": "approve", "member4": "reject"},
    )
    secretary = world.actor("secretary")
    keyed.close_ballot(session, council.id, dossier.id, secretary, now=NOW)
    world.awards["ldtt"].vote_threshold = "9/10"
    session.flush()
    event = ballots.apply_result(session, council.id, dossier.id, secretary, now=NOW)
    assert event.action == "council_approve"
    assert json.loads(event.changes)["ballot_result"]["needed"] == 3


def test_the_close_records_the_threshold_in_the_same_locked_transaction(session, world, council):
    dossier = _balloted(session, world, council, {"member1": "approve"})
    secretary = world.actor("secretary")
    keyed.close_ballot(session, council.id, dossier.id, secretary, now=NOW)
    ballot = ballots.find(session, council.id, dossier.id)
    assert session.get(BallotList, ballot.list_id).status == "closed"
    closing = _events(session, "ballot", ballot.id)[-1]
    assert closing.action == "close"
    changes = json.loads(closing.changes)
    assert (changes["threshold"], changes["base"], changes["needed"], changes["passes"]) == (
        "1/2",
        5,
        3,
        False,
    )


def test_the_member_who_is_the_nominee_is_recused_and_shown_on_the_roll(session, world, council):
    """Linked to the register entry nominated: on the roll as recused, refused, out of the base."""
    herself = register_person(session, world, "Ngô Quang Nam", "a", user="member3")
    secretary = world.actor("secretary")
    dossier = make_dossier(
        session, world, "nomination", "council_review", council=council, person_id=herself.id
    )
    # Before the ballot opens, the roll it would have already shows her recused.
    member3 = world.users["member3"].id
    assert dict(ballots.roll(session, council, dossier, None))[member3] == "nominee"
    ballot = keyed.open_ballot(session, council.id, dossier.id, secretary, now=NOW)
    roll = dict(ballots.roll(session, council, dossier, ballot))
    assert roll[member3] == "nominee"
    # Her home page does not ask for her vote; another member's does.
    assert ballots_awaiting(session, world.actor("member3")) == []
    assert [b.dossier_id for b in ballots_awaiting(session, world.actor("member1"))] == [dossier.id]
    assert sorted(roll.values()).count("voter") == ballot.eligible == 4
    before = snapshot(session, dossier.id)
    with pytest.raises(EditRefused) as info:
        ballots.cast_vote(session, council.id, dossier.id, world.actor("member3"), "approve")
    assert "là người được đề nghị" in info.value.messages("vi")[0]
    assert snapshot(session, dossier.id) == before
    row = session.get(BallotVoter, (ballot.id, member3))
    session.refresh(row)
    assert row.voted is False
    for name in ("member1", "member2", "member4"):
        ballots.cast_vote(session, council.id, dossier.id, world.actor(name), "approve")
    result = keyed.close_ballot(session, council.id, dossier.id, secretary, now=NOW)
    # Present members recused are out of the base: 3 of 4, 1/2 needs 2.
    assert (result.votes_for, result.base, result.required, result.passes) == (3, 4, 2, True)


def test_a_manual_conflict_stays_recordable_beside_the_nominee(session, world, council):
    herself = register_person(session, world, "Ngô Quang Nam", "a", user="member3")
    secretary = world.actor("secretary")
    dossier = make_dossier(
        session, world, "nomination", "council_review", council=council, person_id=herself.id
    )
    member1 = world.users["member1"].id
    ballots.set_conflict(session, council.id, dossier.id, member1, "Họ hàng", secretary, now=NOW)
    ballot = keyed.open_ballot(session, council.id, dossier.id, secretary, now=NOW)
    roll = dict(ballots.roll(session, council, dossier, ballot))
    assert (roll[member1], roll[world.users["member3"].id], ballot.eligible) == (
        "conflict",
        "nominee",
        3,
    )
    with pytest.raises(EditRefused) as info:
        ballots.cast_vote(session, council.id, dossier.id, world.actor("member1"), "approve")
    assert "xung đột lợi ích" in info.value.messages("vi")[0]


def test_a_typed_decision_names_the_threshold_it_was_judged_on(session, world, council):
    award = world.awards["ldtt"]
    award.threshold_source = "Quy chế Hội đồng, Điều 5"
    dossier = make_dossier(session, world, "nomination", "council_review", council=council)
    inputs = {"session_id": council.id, "votes_for": 4, "votes_against": 1, "votes_abstain": 0}
    event = fire(
        session, dossier.id, "council_approve", world.actor("secretary"), inputs=inputs, now=NOW
    )
    assert json.loads(event.changes)["threshold"] == {
        "threshold": "1/2",
        "threshold_base": "present",
        "threshold_source": "Quy chế Hội đồng, Điều 5",
        "threshold_from": None,
        "base": 5,
        "needed": 3,
    }
