"""List ballots: every agenda nomination opened at once, one card per member for the whole
list, recusal per row, the two officers' passphrases at the close, the published proof, and
refusals that change nothing (a missing mark, a recused row, after the close, twice, a wrong
passphrase), with two secretaries closing at once on real commits."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from models import AuditEvent, make_sessionmaker
from models.council import BallotCard, BallotList, BallotVoter
from tests.fixtures import ballot_keys as keyed
from tests.fixtures.people import build_world, make_council_session, make_dossier
from workflow.core.errors import EditRefused
from workflow.council import ballot as ballots
from workflow.council import secrecy

pytestmark = pytest.mark.db


def nominations(session, world, council, count=3, **fields):
    return [
        make_dossier(
            session,
            world,
            "nomination",
            "council_review",
            council=council,
            award_type_id=world.awards["ldtt"].id,
            nominee_name=f"Người thứ {i}",
            **(fields if i == 0 else {}),
        )
        for i in range(count)
    ]


def refused(call: Callable[[], object], code: str) -> EditRefused:
    with pytest.raises(EditRefused) as info:
        call()
    assert code in [v.code for v in info.value.violations], info.value.violations
    return info.value


def state(session, list_id):
    """What a refusal must leave as it was: cards, flags, the list, the audit chain's length."""
    session.flush()
    ballot_ids = select(ballots.Ballot.id).where(ballots.Ballot.list_id == list_id)
    return (
        session.scalar(select(func.count()).select_from(BallotCard)),
        session.scalar(
            select(func.count())
            .select_from(BallotVoter)
            .where(BallotVoter.ballot_id.in_(ballot_ids), BallotVoter.voted.is_(True))
        ),
        session.scalar(select(BallotList.status).where(BallotList.id == list_id)),
        session.scalar(select(func.count()).select_from(AuditEvent)),
    )


def test_the_secretary_opens_every_agenda_ballot_at_once(session, world):
    council = make_council_session(session, world)
    dossiers = nominations(session, world, council)
    ballot_list = keyed.open_all(session, council.id, world.actor("secretary"))
    assert [b.dossier_id for b in ballot_list.ballots] == [d.id for d in dossiers]
    assert [b.row for b in ballot_list.ballots] == [0, 1, 2]
    assert ballot_list.rows == 3
    refused(
        lambda: keyed.open_all(session, council.id, world.actor("secretary")),
        "ballot_nothing_to_open",
    )


def test_no_ballot_opens_before_the_officers_set_the_key(session, world):
    council = make_council_session(session, world)
    nominations(session, world, council, 1)
    refused(
        lambda: ballots.open_all(session, council.id, world.actor("secretary")),
        "ballot_key_missing",
    )
    secretary = world.actor("secretary")
    refused(  # no member is the chair on the day
        lambda: ballots.create_key(session, council.id, secretary, *keyed.PASSPHRASES),
        "ballot_key_no_chair",
    )
    keyed.ensure_chair(session, council)
    refused(
        lambda: ballots.create_key(session, council.id, secretary, "ngắn", "x" * 12),
        "passphrase_short",
    )
    refused(
        lambda: ballots.create_key(session, council.id, secretary, "cùng một câu", "cùng một câu"),
        "passphrase_same",
    )
    refused(
        lambda: ballots.create_key(session, council.id, world.actor("member1"), *keyed.PASSPHRASES),
        "role_not_permitted",
    )
    assert secrecy.key_of(session, council.id) is None
    ballots.create_key(session, council.id, secretary, *keyed.PASSPHRASES)
    refused(
        lambda: ballots.create_key(session, council.id, secretary, *keyed.PASSPHRASES),
        "ballot_key_exists",
    )


def test_a_member_marks_the_whole_list_on_one_card(session, world):
    council = make_council_session(session, world)
    secretary = world.actor("secretary")
    dossiers = nominations(session, world, council, nominee_user_id=world.users["member2"].id)
    ballot_list = keyed.open_all(session, council.id, secretary)
    first = ballot_list.ballots[0]
    # member2 is the first row's nominee: on its roll as recused, not counted.
    assert first.eligible == 4 and ballot_list.ballots[1].eligible == 5
    assert session.get(BallotVoter, (first.id, world.users["member2"].id)).recusal == "nominee"
    ids = [d.id for d in dossiers]
    before = state(session, ballot_list.id)
    refused(  # a recused row cannot be marked
        lambda: ballots.cast_list(
            session,
            council.id,
            ballot_list.id,
            world.actor("member2"),
            {ids[0]: "approve", ids[1]: "approve", ids[2]: "approve"},
        ),
        "ballot_recused",
    )
    error = refused(  # a row left unmarked
        lambda: ballots.cast_list(
            session, council.id, ballot_list.id, world.actor("member1"), {ids[0]: "approve"}
        ),
        "ballot_marks_missing",
    )
    assert error.violations[0].params["n"] == 2
    refused(
        lambda: ballots.cast_list(
            session,
            council.id,
            ballot_list.id,
            world.actor("member1"),
            {ids[0]: "approve", ids[1]: "yes", ids[2]: "reject"},
        ),
        "ballot_choice_invalid",
    )
    refused(  # one dossier of a longer list cannot be voted alone
        lambda: ballots.cast_vote(session, council.id, ids[1], world.actor("member1"), "approve"),
        "ballot_in_list",
    )
    assert state(session, ballot_list.id) == before
    ballots.cast_list(
        session,
        council.id,
        ballot_list.id,
        world.actor("member2"),
        {ids[1]: "reject", ids[2]: "abstain"},
    )
    marks = {
        "member1": ("approve", "approve", "reject"),
        "member3": ("reject", "approve", "approve"),
        "member4": ("approve", "abstain", "approve"),
    }
    for name, row_marks in marks.items():
        ballots.cast_list(
            session,
            council.id,
            ballot_list.id,
            world.actor(name),
            dict(zip(ids, row_marks, strict=True)),
        )
    assert ballots.turnout(session, ballot_list) == ballots.Turnout(4, 5)
    before = state(session, ballot_list.id)
    refused(
        lambda: ballots.cast_list(
            session,
            council.id,
            ballot_list.id,
            world.actor("member1"),
            dict.fromkeys(ids, "approve"),
        ),
        "ballot_already_voted",
    )
    refused(
        lambda: keyed.close_list(
            session,
            council.id,
            ballot_list.id,
            secretary,
            passphrases=(keyed.CHAIR_PASSPHRASE, "không phải mật khẩu"),
        ),
        "passphrase_wrong",
    )
    assert state(session, ballot_list.id) == before
    keyed.close_list(session, council.id, ballot_list.id, secretary)
    totals = [(b.votes_for, b.votes_against, b.votes_abstain) for b in ballot_list.ballots]
    assert totals == [(2, 1, 0), (2, 1, 1), (2, 1, 1)]
    assert [b.passed for b in ballot_list.ballots] == [True, False, False]  # 3 of 4, 3 of 5
    refused(
        lambda: ballots.cast_list(
            session,
            council.id,
            ballot_list.id,
            world.actor("member5"),
            dict.fromkeys(ids, "approve"),
        ),
        "ballot_closed",
    )
    refused(
        lambda: keyed.close_list(session, council.id, ballot_list.id, secretary),
        "ballot_closed",
    )
    data = ballots.published(session, council.id, ballot_list.id, secretary)
    assert len(data["cards"]) == 4
    assert secrecy.verify_published(data)
    forged = {**data, "rows": [{**data["rows"][0], "approve": 3, "reject": 0}, *data["rows"][1:]]}
    assert not secrecy.verify_published(forged)


def test_an_absent_member_is_on_no_roll(session, world):
    council = make_council_session(session, world, present=4)
    ids = [d.id for d in nominations(session, world, council, 2)]
    ballot_list = keyed.open_all(session, council.id, world.actor("secretary"))
    refused(
        lambda: ballots.cast_list(
            session,
            council.id,
            ballot_list.id,
            world.actor("member5"),
            dict.fromkeys(ids, "approve"),
        ),
        "ballot_not_on_roll",
    )


def _together(count: int, work: Callable[[int], str]) -> list[str]:
    barrier, outcomes = threading.Barrier(count), [""] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            outcomes[i] = work(i)
        except EditRefused as error:
            outcomes[i] = error.violations[0].code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return outcomes


def test_two_secretaries_closing_at_once_close_once(fresh_engine, tmp_path):
    factory = make_sessionmaker(fresh_engine)
    with factory() as session:
        world = build_world(session, tmp_path / "uploads")
        council = make_council_session(session, world)
        ids = [d.id for d in nominations(session, world, council, 2)]
        ballot_list = keyed.open_all(session, council.id, world.actor("secretary"))
        for name in ("member1", "member2", "member3"):
            ballots.cast_list(
                session,
                council.id,
                ballot_list.id,
                world.actor(name),
                dict.fromkeys(ids, "approve"),
            )
        session.commit()
        council_id, list_id = council.id, ballot_list.id

    def close(_: int) -> str:
        with factory() as session:
            keyed.close_list(session, council_id, list_id, world.actor("secretary"))
            session.commit()
            return "closed"

    assert sorted(_together(2, close)) == ["ballot_closed", "closed"]

    def vote_twice(_: int) -> str:
        with factory() as session:
            ballots.cast_list(
                session, council_id, list_id, world.actor("member4"), dict.fromkeys(ids, "approve")
            )
            session.commit()
            return "voted"

    assert _together(2, vote_twice) == ["ballot_closed", "ballot_closed"]
    with factory() as session:
        closes = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.entity_type == "ballot_list", AuditEvent.action == "close")
        )
        assert closes == 1
        assert [b.votes_for for b in session.get(BallotList, list_id).ballots] == [3, 3]


def test_one_member_clicking_twice_leaves_one_card(fresh_engine, tmp_path):
    factory = make_sessionmaker(fresh_engine)
    with factory() as session:
        world = build_world(session, tmp_path / "uploads")
        council = make_council_session(session, world)
        ids = [d.id for d in nominations(session, world, council, 2)]
        ballot_list = keyed.open_all(session, council.id, world.actor("secretary"))
        session.commit()
        council_id, list_id = council.id, ballot_list.id

    def vote(_: int) -> str:
        with factory() as session:
            ballots.cast_list(
                session, council_id, list_id, world.actor("member1"), dict.fromkeys(ids, "reject")
            )
            session.commit()
            return "voted"

    assert sorted(_together(2, vote)) == ["ballot_already_voted", "voted"]
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(BallotCard)) == 1
