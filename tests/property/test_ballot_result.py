"""For any Council (members, who is present, a nominee among them), any votes, written
opinions and threshold, the result stored when a ballot closes is the one computed then, and
neither it nor the decision applying it moves when the award's threshold is edited afterwards.

Runs on an in-memory SQLite database built once; each example is rolled back."""

from __future__ import annotations

import tempfile
from fractions import Fraction
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from models import AwardType, Base, CouncilAttendance, CouncilSession, make_engine
from tests.fixtures import ballot_keys as keyed
from tests.fixtures.people import MEMBERS, NOW, build_world, make_dossier
from workflow.core.shares import needed, share_text
from workflow.council import ballot as ballots

SHARES = [Fraction(1, 2), Fraction(2, 3), Fraction(3, 4), Fraction(4, 5), Fraction(9, 10)]
BASES = ("present", "all_members")


class _Shared:
    engine = None

    @classmethod
    def get(cls) -> type[_Shared]:
        if cls.engine is None:
            engine = make_engine("sqlite://", poolclass=StaticPool)
            Base.metadata.create_all(engine)
            with Session(engine, expire_on_commit=False) as session:
                cls.world = build_world(session, Path(tempfile.mkdtemp(prefix="vinhdanh-prop-")))
                session.commit()
            cls.engine = engine
        return cls


@st.composite
def meetings(draw):
    members = draw(st.integers(1, len(MEMBERS)))
    present = draw(st.lists(st.booleans(), min_size=members, max_size=members))
    nominee = draw(st.none() | st.integers(0, members - 1))
    choices = draw(
        st.lists(
            st.sampled_from(("approve", "reject", "abstain", None)),
            min_size=members,
            max_size=members,
        )
    )
    written = draw(st.tuples(st.integers(0, members), st.integers(0, members)))
    return members, present, nominee, choices, written


def _expected(members, present, nominee, choices, written, share, base_kind):
    roll = [i for i in range(members) if present[i] and i != nominee]
    all_members = base_kind == "all_members"
    base = members if all_members else len(roll)
    need = needed(base, share)
    approvals = sum(choices[i] == "approve" for i in roll) + (written[0] if all_members else 0)
    return base, need, approvals >= need


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    meeting=meetings(),
    share=st.sampled_from(SHARES),
    base_kind=st.sampled_from(BASES),
    later_share=st.sampled_from(SHARES),
    later_base=st.sampled_from(BASES),
)
def test_the_stored_result_is_the_one_computed_at_the_close(
    meeting, share, base_kind, later_share, later_base
):
    members, present, nominee, choices, written = meeting
    assume(any(present[i] and i != nominee for i in range(members)))
    shared = _Shared.get()
    world = shared.world
    connection = shared.engine.connect()
    outer = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        absent = sum(1 for i in range(members) if not present[i] and i != nominee)
        if base_kind != "all_members" or written[0] + written[1] > absent:
            written = (0, 0)
        _check(session, world, meeting[:4] + (written,), share, base_kind, later_share, later_base)
    finally:
        session.close()
        outer.rollback()
        connection.close()


def _check(session, world, meeting, share, base_kind, later_share, later_base):
    members, present, nominee, choices, written = meeting
    award = session.get_one(AwardType, world.awards["ldtt"].id)
    award.vote_threshold, award.threshold_base = share_text(share), base_kind
    council = CouncilSession(
        title="Phiên họp", held_on=NOW.date(), opened_by=world.users["secretary"].id, quorum="1/5"
    )
    for i in range(members):
        council.attendance.append(
            CouncilAttendance(user_id=world.users[MEMBERS[i]].id, present=present[i])
        )
    session.add(council)
    session.flush()
    fields = {} if nominee is None else {"nominee_user_id": world.users[MEMBERS[nominee]].id}
    dossier = make_dossier(session, world, "nomination", "council_review", **fields)
    secretary = world.actor("secretary")
    keyed.open_ballot(session, council.id, dossier.id, secretary, now=NOW)
    for i in range(members):
        if present[i] and i != nominee and choices[i]:
            ballots.cast_vote(session, council.id, dossier.id, world.actor(MEMBERS[i]), choices[i])
    closed = keyed.close_ballot(
        session,
        council.id,
        dossier.id,
        secretary,
        written_for=written[0],
        written_against=written[1],
        now=NOW,
    )
    base, need, passes = _expected(members, present, nominee, choices, written, share, base_kind)
    assert (closed.base, closed.required, closed.share, closed.passes) == (
        base,
        need,
        share,
        passes,
    )
    award.vote_threshold, award.threshold_base = share_text(later_share), later_base
    session.flush()
    ballot = ballots.find(session, council.id, dossier.id)
    assert ballots.tally(session, ballot) == closed
    event = ballots.apply_result(session, council.id, dossier.id, secretary, now=NOW)
    assert event.action == ("council_approve" if passes else "council_reject")
