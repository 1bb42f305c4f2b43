"""The secret ballot: once per member, recusal, hidden tally, thresholds and their bases,
quorum, the paper path beside it, the audit, and that nothing links a voter to a vote."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import func, select

from models import AuditEvent, Base, CouncilItem, Dossier
from models.council import CHOICES, BallotCard, BallotVoter
from tests.fixtures import ballot_keys as keyed
from tests.fixtures.people import MEMBERS, NOW, inputs_for, make_council_session, make_dossier
from tests.fixtures.snapshots import assert_refused, new_events, snapshot
from workflow import fire
from workflow.core.audit import verify
from workflow.core.errors import EditRefused, NotFound
from workflow.council import ballot as ballots
from workflow.council import sessions as councils

pytestmark = pytest.mark.db


@pytest.fixture()
def council(session, world):
    return make_council_session(session, world)


def nomination(session, world, council, award="ldtt", **fields):
    return make_dossier(
        session,
        world,
        "nomination",
        "council_review",
        council=council,
        award_type_id=world.awards[award].id,
        **fields,
    )


def vote_all(session, world, council, dossier, choices: dict[str, str]) -> None:
    for name, choice in choices.items():
        ballots.cast_vote(session, council.id, dossier.id, world.actor(name), choice)


def refused(call, code: str) -> EditRefused:
    with pytest.raises(EditRefused) as info:
        call()
    assert code in [v.code for v in info.value.violations], info.value.violations
    return info.value


def test_each_member_votes_once(session, world, council):
    dossier = nomination(session, world, council)
    secretary = world.actor("secretary")
    ballot = keyed.open_ballot(session, council.id, dossier.id, secretary, now=NOW)
    assert ballot.eligible == 5
    ballots.cast_vote(session, council.id, dossier.id, world.actor("member1"), "approve")
    refused(
        lambda: ballots.cast_vote(
            session, council.id, dossier.id, world.actor("member1"), "reject"
        ),
        "ballot_already_voted",
    )
    assert ballots.voted_count(session, ballot) == 1
    # The second click stored no second card.
    assert session.scalar(select(func.count()).select_from(BallotCard)) == 1
    refused(
        lambda: ballots.cast_vote(session, council.id, dossier.id, world.actor("member2"), "yes"),
        "ballot_choice_invalid",
    )


def test_non_members_cannot_vote_or_run_ballots(session, world, council):
    dossier = nomination(session, world, council)
    refused(
        lambda: keyed.open_ballot(session, council.id, dossier.id, world.actor("member1")),
        "role_not_permitted",
    )
    keyed.open_ballot(session, council.id, dossier.id, world.actor("secretary"))
    for outsider in ("secretary", "reviewer", "head_a"):
        with pytest.raises((EditRefused, NotFound)):
            ballots.cast_vote(session, council.id, dossier.id, world.actor(outsider), "approve")
    refused(
        lambda: keyed.close_ballot(session, council.id, dossier.id, world.actor("member1")),
        "role_not_permitted",
    )


def test_absent_member_is_not_on_the_roll(session, world):
    council = make_council_session(session, world, present=4)
    dossier = nomination(session, world, council)
    ballot = keyed.open_ballot(session, council.id, dossier.id, world.actor("secretary"))
    assert ballot.eligible == 4
    refused(
        lambda: ballots.cast_vote(
            session, council.id, dossier.id, world.actor("member5"), "approve"
        ),
        "ballot_not_on_roll",
    )


def test_the_nominee_is_recused(session, world, council):
    dossier = nomination(
        session,
        world,
        council,
        nominee_user_id=world.users["member2"].id,
        nominee_name="Đỗ Thị Mai",
    )
    ballot = keyed.open_ballot(session, council.id, dossier.id, world.actor("secretary"), now=NOW)
    assert ballot.eligible == 4
    # On the roll, shown as recused, and not counted in the base.
    assert session.get(BallotVoter, (ballot.id, world.users["member2"].id)).recusal == "nominee"
    error = refused(
        lambda: ballots.cast_vote(
            session, council.id, dossier.id, world.actor("member2"), "approve"
        ),
        "ballot_recused",
    )
    assert ballots.is_recusal(error.violations[0])
    assert "là người được đề nghị" in error.messages("vi")[0]
    opened = session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "ballot")).one()
    assert json.loads(opened.changes)["recused"] == [world.users["member2"].id]


def test_a_member_with_a_conflict_is_recused(session, world, council):
    dossier = nomination(session, world, council)
    secretary, member3 = world.actor("secretary"), world.users["member3"]
    refused(
        lambda: ballots.set_conflict(session, council.id, dossier.id, member3.id, " ", secretary),
        "reason_required",
    )
    refused(
        lambda: ballots.set_conflict(
            session, council.id, dossier.id, world.users["reviewer"].id, "Đồng nghiệp", secretary
        ),
        "conflict_not_member",
    )
    ballots.set_conflict(
        session, council.id, dossier.id, member3.id, "Là trưởng đơn vị đề nghị", secretary
    )
    ballot = keyed.open_ballot(session, council.id, dossier.id, secretary)
    assert ballot.eligible == 4
    error = refused(
        lambda: ballots.cast_vote(
            session, council.id, dossier.id, world.actor("member3"), "approve"
        ),
        "ballot_recused",
    )
    assert "xung đột lợi ích" in error.messages("vi")[0]
    # Too late for another conflict once the ballot is open.
    refused(
        lambda: ballots.set_conflict(
            session, council.id, dossier.id, world.users["member4"].id, "Họ hàng", secretary
        ),
        "conflict_closed",
    )
    # The paper path recuses the same members: 5 typed votes for 4 voters is impossible.
    other = nomination(session, world, council)
    ballots.set_conflict(session, council.id, other.id, member3.id, "Họ hàng", secretary)
    assert_refused(
        session,
        other.id,
        lambda: fire(
            session,
            other.id,
            "council_approve",
            secretary,
            inputs={"session_id": council.id, "votes_for": 5},
        ),
        "votes_invalid",
    )


def test_the_tally_stays_hidden_until_the_ballot_closes(session, world, council):
    dossier = nomination(session, world, council)
    secretary = world.actor("secretary")
    ballot = keyed.open_ballot(session, council.id, dossier.id, secretary)
    vote_all(session, world, council, dossier, {"member1": "approve", "member2": "reject"})
    refused(lambda: ballots.tally(session, ballot), "ballot_still_open")
    assert (ballot.votes_for, ballot.votes_against, ballot.votes_abstain) == (None, None, None)
    # Nor can the secretary apply it, or name it in a transition, before it closes.
    refused(
        lambda: ballots.apply_result(session, council.id, dossier.id, secretary),
        "ballot_still_open",
    )
    assert_refused(
        session,
        dossier.id,
        lambda: fire(
            session,
            dossier.id,
            "council_approve",
            secretary,
            inputs={"session_id": council.id, "ballot_id": ballot.id},
        ),
        "ballot_still_open",
    )
    result = keyed.close_ballot(session, council.id, dossier.id, secretary, now=NOW)
    assert (result.votes_for, result.votes_against, result.votes_abstain, result.voted) == (
        1,
        1,
        0,
        2,
    )
    # Only ciphertexts were stored; the totals came from decrypting their product.
    assert session.scalar(select(func.count()).select_from(BallotCard)) == 2
    refused(
        lambda: ballots.cast_vote(
            session, council.id, dossier.id, world.actor("member3"), "approve"
        ),
        "ballot_closed",
    )
    refused(lambda: keyed.close_ballot(session, council.id, dossier.id, secretary), "ballot_closed")


def test_a_session_with_a_pending_ballot_cannot_close(session, world, council):
    """Open, or counted but not recorded: the vote would be lost with the session."""
    secretary = world.actor("secretary")
    dossier = nomination(session, world, council, nominee_name="Trần Phú")
    counted = nomination(session, world, council, nominee_name="Lê Văn Bảo")
    keyed.open_ballot(session, council.id, dossier.id, secretary)
    keyed.open_ballot(session, council.id, counted.id, secretary)
    keyed.close_ballot(session, council.id, counted.id, secretary)
    ballots.cast_vote(session, council.id, dossier.id, world.actor("member1"), "approve")
    before = snapshot(session, dossier.id)
    error = refused(
        lambda: councils.close_session(session, council.id, secretary, now=NOW),
        "session_ballots_open",
    )
    # Each ballot is named under its own reason, in both languages; nothing moved or was logged.
    still_open, unapplied = error.violations
    assert (still_open.params["dossier_ids"], unapplied.params["dossier_ids"]) == (
        [dossier.id],
        [counted.id],
    )
    assert unapplied.code == "session_ballots_unapplied"
    vi, en = error.messages("vi"), error.messages("en")
    assert (
        "“Trần Phú”" in vi[0]
        and "Lê Văn Bảo" not in vi[0]
        and "Chưa thể kết thúc phiên họp" in vi[0]
    )
    assert "“Lê Văn Bảo”" in vi[1] and "chưa được ghi nhận" in vi[1]
    assert "“Trần Phú”" in en[0] and "still open" in en[0] and "not recorded" in en[1]
    assert snapshot(session, dossier.id) == before
    session.refresh(council)
    assert (council.status, council.closed_at) == ("open", None)
    # The ballot goes on, then closes: still refused until both results are recorded.
    ballots.cast_vote(session, council.id, dossier.id, world.actor("member2"), "approve")
    keyed.close_ballot(session, council.id, dossier.id, secretary)
    refused(
        lambda: councils.close_session(session, council.id, secretary, now=NOW),
        "session_ballots_unapplied",
    )
    for nominee in (dossier, counted):
        ballots.apply_result(session, council.id, nominee.id, secretary, now=NOW)
    councils.close_session(session, council.id, secretary, now=NOW)
    assert council.status == "closed"
    closing = new_events(session, before.head[0])[-1]
    assert (closing.entity_type, closing.action, closing.to_state) == (
        "council_session",
        "close",
        "closed",
    )
    assert verify(session).ok


def test_a_ballot_left_open_in_a_closed_session_can_still_be_counted(session, world, council):
    """A session closed before closing was refused with open ballots: its ballot can be counted."""
    secretary = world.actor("secretary")
    dossier = nomination(session, world, council)
    keyed.open_ballot(session, council.id, dossier.id, secretary)
    ballots.cast_vote(session, council.id, dossier.id, world.actor("member1"), "approve")
    council.status = "closed"  # as such data was left, not through close_session
    session.flush()
    refused(
        lambda: ballots.cast_vote(
            session, council.id, dossier.id, world.actor("member2"), "approve"
        ),
        "session_closed",
    )
    assert keyed.close_ballot(session, council.id, dossier.id, secretary).votes_for == 1
    # Applying needs an open session: the dossier waits for the next one.
    assert_refused(
        session,
        dossier.id,
        lambda: ballots.apply_result(session, council.id, dossier.id, secretary),
        "session_closed",
    )


def test_threshold_on_members_present(session, world, council):
    """Lao động tiên tiến: 50% of those who may vote (present and not recused)."""
    secretary = world.actor("secretary")
    passing = nomination(session, world, council)
    keyed.open_ballot(session, council.id, passing.id, secretary)
    vote_all(
        session,
        world,
        council,
        passing,
        {
            "member1": "approve",
            "member2": "approve",
            "member3": "approve",
            "member4": "reject",
            "member5": "abstain",
        },
    )
    result = keyed.close_ballot(session, council.id, passing.id, secretary)
    assert (result.base, result.required, result.passes) == (5, 3, True)
    event = ballots.apply_result(session, council.id, passing.id, secretary, now=NOW)
    assert (event.action, session.get(Dossier, passing.id).state) == ("council_approve", "approved")
    item = session.scalars(select(CouncilItem).where(CouncilItem.dossier_id == passing.id)).one()
    assert (item.votes_for, item.votes_against, item.votes_abstain, item.outcome) == (
        3,
        1,
        1,
        "approved",
    )
    assert json.loads(event.changes)["votes"] == [3, 1, 1]

    failing = nomination(session, world, council)
    keyed.open_ballot(session, council.id, failing.id, secretary)
    vote_all(
        session,
        world,
        council,
        failing,
        {"member1": "approve", "member2": "approve", "member3": "reject", "member4": "abstain"},
    )
    assert not keyed.close_ballot(session, council.id, failing.id, secretary).passes
    ballot = ballots.find(session, council.id, failing.id)
    # The engine itself refuses an approval the ballot does not carry, typed numbers or not.
    assert_refused(
        session,
        failing.id,
        lambda: fire(
            session,
            failing.id,
            "council_approve",
            secretary,
            inputs={"session_id": council.id, "ballot_id": ballot.id, "votes_for": 5},
        ),
        "threshold_not_met",
    )
    event = ballots.apply_result(session, council.id, failing.id, secretary, now=NOW)
    assert event.action == "council_reject" and session.get(Dossier, failing.id).state == "rejected"
    assert event.reason == "Kết quả bỏ phiếu kín: 2/5 phiếu đồng ý, chưa đạt tỷ lệ 1/2 (cần 3)."


def test_threshold_on_all_members_with_written_opinions(session, world):
    """Chiến sĩ thi đua cơ sở: 90% of all five members; the absent one's written opinion counts."""
    council = make_council_session(session, world, present=4)
    secretary = world.actor("secretary")
    four = {m: "approve" for m in MEMBERS[:4]}
    without = nomination(session, world, council, award="cstdcs")
    keyed.open_ballot(session, council.id, without.id, secretary)
    vote_all(session, world, council, without, four)
    result = keyed.close_ballot(session, council.id, without.id, secretary)
    assert (result.votes_for, result.base, result.required, result.passes) == (4, 5, 5, False)

    written = nomination(session, world, council, award="cstdcs")
    keyed.open_ballot(session, council.id, written.id, secretary)
    vote_all(session, world, council, written, four)
    refused(
        lambda: keyed.close_ballot(session, council.id, written.id, secretary, written_for=2),
        "written_invalid",
    )  # only one member is absent
    result = keyed.close_ballot(session, council.id, written.id, secretary, written_for=1)
    assert (result.votes_for, result.written_for, result.voted, result.passes) == (5, 1, 4, True)
    ballots.apply_result(session, council.id, written.id, secretary, now=NOW)
    assert session.get(Dossier, written.id).state == "approved"


def test_written_opinions_do_not_count_on_a_present_base(session, world):
    council = make_council_session(session, world, present=4)
    dossier = nomination(session, world, council)  # Lao động tiên tiến: base = present
    secretary = world.actor("secretary")
    keyed.open_ballot(session, council.id, dossier.id, secretary)
    refused(
        lambda: keyed.close_ballot(session, council.id, dossier.id, secretary, written_for=1),
        "written_invalid",
    )


def test_no_ballot_without_quorum(session, world):
    council = make_council_session(session, world, present=3)  # 67% of 5 needs 4
    dossier = nomination(session, world, make_council_session(session, world))
    error = refused(
        lambda: keyed.open_ballot(session, council.id, dossier.id, world.actor("secretary")),
        "quorum_not_met",
    )
    assert "có mặt 3/5, cần ít nhất 4" in error.messages("vi")[0]
    assert ballots.find(session, council.id, dossier.id) is None
    # A lower configured quorum lets the same session vote.
    council.quorum = "3/5"
    session.flush()
    assert (
        keyed.open_ballot(session, council.id, dossier.id, world.actor("secretary")).eligible == 3
    )


def test_only_agenda_nominations_and_one_ballot_each(session, world, council):
    secretary = world.actor("secretary")
    report = make_dossier(session, world, "report", "council_review", council=council)
    refused(
        lambda: keyed.open_ballot(session, council.id, report.id, secretary), "ballot_not_agenda"
    )
    approved = make_dossier(session, world, "nomination", "approved", council=council)
    refused(
        lambda: keyed.open_ballot(session, council.id, approved.id, secretary),
        "ballot_not_agenda",
    )
    dossier = nomination(session, world, council)
    keyed.open_ballot(session, council.id, dossier.id, secretary)
    refused(
        lambda: keyed.open_ballot(session, council.id, dossier.id, secretary),
        "ballot_already_open",
    )


def test_paper_tally_still_works_and_cannot_override_a_ballot(session, world, council):
    secretary = world.actor("secretary")
    paper = nomination(session, world, council)
    fire(
        session,
        paper.id,
        "council_approve",
        secretary,
        inputs=inputs_for("council_approve", council),
    )
    assert session.get(Dossier, paper.id).state == "approved"

    dossier = nomination(session, world, council)
    ballot = keyed.open_ballot(session, council.id, dossier.id, secretary)
    vote_all(
        session,
        world,
        council,
        dossier,
        {"member1": "reject", "member2": "reject", "member3": "reject"},
    )
    keyed.close_ballot(session, council.id, dossier.id, secretary)
    assert_refused(
        session,
        dossier.id,
        lambda: fire(
            session,
            dossier.id,
            "council_approve",
            secretary,
            inputs=inputs_for("council_approve", council),
        ),
        "ballot_exists",
    )
    assert_refused(
        session,
        dossier.id,
        lambda: fire(
            session,
            dossier.id,
            "council_approve",
            secretary,
            inputs={"session_id": council.id, "ballot_id": ballot.id + 999},
        ),
        "ballot_not_found",
    )


@pytest.mark.parametrize("trigger", ["council_reject", "council_defer"])
def test_a_ballot_cannot_be_bypassed_by_a_decision_without_counts(session, world, council, trigger):
    """Rejecting or deferring with a reason only (no counts, no ballot named) while the dossier
    has a ballot in the session, open or closed, is refused: the ballot's result decides."""
    secretary = world.actor("secretary")
    dossier = nomination(session, world, council)
    keyed.open_ballot(session, council.id, dossier.id, secretary)
    bare = {"session_id": council.id, "reason": "Không đồng ý"}
    assert_refused(
        session,
        dossier.id,
        lambda: fire(session, dossier.id, trigger, secretary, inputs=bare),
        "ballot_exists",
    )
    keyed.close_ballot(session, council.id, dossier.id, secretary)
    assert_refused(
        session,
        dossier.id,
        lambda: fire(session, dossier.id, trigger, secretary, inputs=bare),
        "ballot_exists",
    )


def test_a_passing_ballot_cannot_be_recorded_as_a_rejection(session, world, council):
    secretary = world.actor("secretary")
    dossier = nomination(session, world, council)
    ballot = keyed.open_ballot(session, council.id, dossier.id, secretary)
    vote_all(session, world, council, dossier, {m: "approve" for m in MEMBERS})
    keyed.close_ballot(session, council.id, dossier.id, secretary)
    assert_refused(
        session,
        dossier.id,
        lambda: fire(
            session,
            dossier.id,
            "council_reject",
            secretary,
            inputs={"session_id": council.id, "ballot_id": ballot.id, "reason": "Không đồng ý"},
        ),
        "ballot_passed",
    )


def test_the_audit_holds_opening_and_totals_only(session, world, council):
    secretary = world.actor("secretary")
    dossier = nomination(session, world, council)
    ballot = keyed.open_ballot(session, council.id, dossier.id, secretary, now=NOW)
    before = session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1))
    vote_all(
        session,
        world,
        council,
        dossier,
        {"member1": "approve", "member2": "reject", "member3": "abstain"},
    )
    session.flush()
    after = session.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1))
    assert after == before  # a vote writes no audit event
    keyed.close_ballot(session, council.id, dossier.id, secretary, now=NOW)
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity_type == "ballot", AuditEvent.entity_id == ballot.id)
        .order_by(AuditEvent.seq)
    ).all()
    assert [(e.action, e.actor_id, e.visibility) for e in events] == [
        ("open", world.users["secretary"].id, "internal"),
        ("close", world.users["secretary"].id, "internal"),
    ]
    assert json.loads(events[1].changes) == {
        "session_id": council.id,
        "dossier_id": dossier.id,
        "list_id": ballot.list_id,
        "eligible": 5,
        "votes": [1, 1, 1],
        "written": [0, 0],
        "threshold": "1/2",
        "threshold_base": "present",
        "threshold_source": None,
        "threshold_from": None,
        "base": 5,
        "needed": 3,
        "passes": False,
    }
    assert verify(session).ok


# --- secrecy -----------------------------------------------------------------------------

CHOICE_WORDS = set(CHOICES) | {"for", "against", "đồng ý", "không đồng ý", "không biểu quyết"}


def _user_columns(table) -> list[str]:
    """Columns that hold a user's id: foreign keys to user_account, and the audit's actor."""
    names = [
        c.name
        for c in table.columns
        if any(fk.column.table.name == "user_account" for fk in c.foreign_keys)
    ]
    if table.name == "user_account":
        names.append("id")
    if table.name == "audit_event":
        names.append("actor_id")
    return names


def _carries_a_choice(table, row) -> bool:
    """A row says how someone voted if a column is named after a choice and is set, or a text
    value names a choice."""
    for column, value in row._mapping.items():
        if value is None:
            continue
        if column in CHOICES or column.startswith("votes_"):
            return True
        if isinstance(value, str) and any(w in value.lower() for w in CHOICES):
            return True
    return False


USER_KEYS = ("user_id", "user_ids", "present", "absent", "recused", "voters", "actor_id")


def _users_in_json(value) -> set[int]:
    """User ids named in a JSON document (audit changes, notification parameters)."""
    found: set[int] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in USER_KEYS:
                found |= {
                    v for v in (inner if isinstance(inner, list) else [inner]) if isinstance(v, int)
                }
            found |= _users_in_json(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= _users_in_json(inner)
    return found


def _json_users(mapping) -> set[int]:
    found: set[int] = set()
    for column in ("changes", "params_json"):
        if mapping.get(column):
            found |= _users_in_json(json.loads(mapping[column]))
    return found


def linking_rows(session, voter_ids: set[int]) -> list[tuple[str, dict]]:
    """Every row of every table holding a voter's id and a choice together."""
    found = []
    for table in Base.metadata.sorted_tables:
        user_columns = _user_columns(table)
        for row in session.execute(select(table)):
            mapping = row._mapping
            ids = {mapping[c] for c in user_columns} | _json_users(mapping)
            if ids & voter_ids and _carries_a_choice(table, row):
                found.append((table.name, dict(mapping)))
    return found


def test_no_database_row_and_no_log_line_links_a_voter_to_a_vote(session, world, council, caplog):
    """Three members vote three different ways: no table, at any moment, ties one to a choice."""
    secretary = world.actor("secretary")
    dossier = nomination(session, world, council)
    voters = {"member1": "approve", "member2": "reject", "member3": "abstain"}
    voter_ids = {world.users[m].id for m in voters}
    ballot = keyed.open_ballot(session, council.id, dossier.id, secretary)
    # The design: the roll has no choice, the card no voter, neither a time.
    assert {c.name for c in BallotVoter.__table__.columns} == {
        "ballot_id",
        "user_id",
        "voted",
        "recusal",
    }
    assert {c.name for c in BallotCard.__table__.columns} == {"id", "list_id", "ciphertexts"}
    assert not [
        c
        for c in BallotCard.__table__.columns
        for fk in c.foreign_keys
        if fk.column.table.name == "user_account"
    ]
    caplog.set_level(logging.DEBUG)
    for name, choice in voters.items():
        ballots.cast_vote(session, council.id, dossier.id, world.actor(name), choice)
        session.flush()
        assert linking_rows(session, voter_ids) == [], "while the ballot is open"
    for record in caplog.records:
        message = record.getMessage().lower()
        assert not any(w in message for w in CHOICE_WORDS), message
    keyed.close_ballot(session, council.id, dossier.id, secretary)
    ballots.apply_result(session, council.id, dossier.id, secretary)
    session.flush()
    assert linking_rows(session, voter_ids) == [], "after closing and applying"
    assert session.execute(
        select(BallotVoter.user_id, BallotVoter.voted)
        .where(BallotVoter.ballot_id == ballot.id)
        .order_by(BallotVoter.user_id)
    ).all() == [(world.users[m].id, m in voters) for m in MEMBERS]


def test_the_link_finder_would_find_a_per_voter_record(session, world, council):
    """The check above is not vacuous: a row with a voter and a choice is reported."""
    dossier = nomination(session, world, council)
    from workflow.core import audit

    audit.append(
        session,
        entity_type="ballot",
        entity_id=1,
        action="vote",
        actor_id=world.users["member1"].id,
        actor_role="council_member",
        changes={"choice": "approve"},
    )
    session.flush()
    assert [t for t, _ in linking_rows(session, {world.users["member1"].id})] == ["audit_event"]
    assert dossier.id  # the dossier was made by the engine, its events hold no choice
