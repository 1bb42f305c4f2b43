"""Members are listed in protocol order (Chủ tịch, Phó Chủ tịch, Ủy viên, Thư ký; then by name)
wherever they are listed: the members a new session is opened with, its attendance, the ballot
roll; by the terms running on the day the session is held."""

from __future__ import annotations

import datetime as dt

import pytest

from models import CouncilMembership
from tests.fixtures.people import make_council_session, make_dossier
from workflow.council import ballot as ballots
from workflow.council import sessions as councils

pytestmark = pytest.mark.db

# member1 Bùi Văn Long, member2 Đỗ Thị Mai, member3 Ngô Quang Nam, member4 Đinh Thị Oanh,
# member5 Lý Văn Phúc (no term: counted as Ủy viên).
TERMS = {"member1": "secretary", "member2": "member", "member3": "vice_chair", "member4": "chair"}
ORDER = ["Đinh Thị Oanh", "Ngô Quang Nam", "Đỗ Thị Mai", "Lý Văn Phúc", "Bùi Văn Long"]


def _seat(session, world, starts: dt.date = dt.date(2026, 1, 1)) -> None:
    for username, position in TERMS.items():
        session.add(
            CouncilMembership(user_id=world.users[username].id, position=position, starts_on=starts)
        )
    session.flush()


def test_a_new_session_lists_its_members_in_protocol_order(session, world):
    _seat(session, world)
    assert [u.full_name for u in councils.council_members(session)] == ORDER


def test_attendance_and_the_ballot_roll_are_in_protocol_order(session, world):
    _seat(session, world)
    council = make_council_session(session, world)
    names = {a.user_id: a.user.full_name for a in council.attendance}
    members = councils.attendance_in_order(session, council)
    assert [a.user.full_name for a in members] == ORDER
    assert councils.positions_at(session, council)[world.users["member4"].id] == "chair"
    dossier = make_dossier(
        session,
        world,
        "nomination",
        "council_review",
        council=council,
        award_type_id=world.awards["ldtt"].id,
    )
    roll = ballots.roll(session, council, dossier, None)
    assert [names[user_id] for user_id, _ in roll] == ORDER


def test_terms_not_running_on_the_session_day_do_not_count(session, world):
    _seat(session, world, starts=dt.date(2027, 1, 1))
    council = make_council_session(session, world)
    members = councils.attendance_in_order(session, council)
    # Everyone counts as Ủy viên, so by given name (the Vietnamese sort key).
    assert [a.user.full_name for a in members] == [
        "Bùi Văn Long",
        "Đỗ Thị Mai",
        "Ngô Quang Nam",
        "Đinh Thị Oanh",
        "Lý Văn Phúc",
    ]
