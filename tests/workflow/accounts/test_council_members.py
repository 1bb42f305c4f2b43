"""The Council's membership: only administrators, one Chủ tịch at a time, one account's terms
never overlap, ended never deleted, every change audited, a stale form refused."""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, CouncilMembership
from tests.fixtures.people import build_world
from workflow.accounts import council_admin
from workflow.accounts.admin import AdminRefused, stamp
from workflow.core.errors import StaleVersion

pytestmark = pytest.mark.db


def _term(world, username: str, position: str, starts: str, ends: str = "") -> dict:
    return {
        "user_id": str(world.users[username].id),
        "position": position,
        "starts_on": starts,
        "ends_on": ends,
    }


def _events(session) -> list[AuditEvent]:
    stmt = select(AuditEvent).where(AuditEvent.entity_type == "council_membership")
    return list(session.scalars(stmt.order_by(AuditEvent.seq)))


def test_only_an_administrator_manages_the_members(session, world):
    for username in ("secretary", "member1", "reviewer"):
        with pytest.raises(AdminRefused) as refused:
            council_admin.add_member(
                session, world.actor(username), _term(world, "member1", "member", "01/01/2026")
            )
        assert refused.value.is_permission
    assert session.scalars(select(CouncilMembership)).all() == []


def test_a_member_is_added_with_dd_mm_yyyy_days_and_audited(session, world):
    term = council_admin.add_member(
        session, world.actor("admin"), _term(world, "member1", "vice_chair", "01/01/2026")
    )
    assert (term.position, term.starts_on.isoformat(), term.ends_on) == (
        "vice_chair",
        "2026-01-01",
        None,
    )
    assert council_admin.term_status(term) == "active"
    event = _events(session)[0]
    assert (event.action, json.loads(event.changes)["position"]) == ("create", "vice_chair")


def test_bad_days_and_a_stranger_are_named_field_by_field(session, world):
    values = {**_term(world, "staff_a", "president", "31/02/2026", "01/01/2020")}
    with pytest.raises(AdminRefused) as refused:
        council_admin.add_member(session, world.actor("admin"), values)
    text = " ".join(refused.value.messages("vi"))
    assert "Tài khoản" in text and "Chức danh" in text and "ngày/tháng/năm" in text
    backwards = _term(world, "member1", "member", "01/02/2026", "01/01/2026")
    with pytest.raises(AdminRefused) as refused:
        council_admin.add_member(session, world.actor("admin"), backwards)
    assert "không được trước ngày bắt đầu" in refused.value.messages("vi")[0]
    assert _events(session) == []


def test_at_most_one_chair_at_a_time(session, world):
    admin = world.actor("admin")
    council_admin.add_member(session, admin, _term(world, "member1", "chair", "01/01/2026"))
    with pytest.raises(AdminRefused) as refused:
        council_admin.add_member(session, admin, _term(world, "member2", "chair", "01/06/2026"))
    assert "Bùi Văn Long" in refused.value.messages("vi")[0]
    # A chair after the first one's term has ended is fine.
    old = session.scalars(select(CouncilMembership)).one()
    council_admin.end_term(session, admin, old.id, "31/05/2026")
    council_admin.add_member(session, admin, _term(world, "member2", "chair", "01/06/2026"))
    assert len(session.scalars(select(CouncilMembership)).all()) == 2


def test_one_accounts_terms_never_overlap(session, world):
    admin = world.actor("admin")
    council_admin.add_member(
        session, admin, _term(world, "member1", "member", "01/01/2025", "31/12/2025")
    )
    with pytest.raises(AdminRefused) as refused:
        council_admin.add_member(
            session, admin, _term(world, "member1", "vice_chair", "31/12/2025")
        )
    assert "trùng với một nhiệm kỳ khác" in refused.value.messages("vi")[0]
    council_admin.add_member(session, admin, _term(world, "member1", "vice_chair", "01/01/2026"))


def test_ending_a_term_keeps_the_member_and_is_audited(session, world):
    admin = world.actor("admin")
    term = council_admin.add_member(session, admin, _term(world, "member3", "member", "01/01/2026"))
    with pytest.raises(AdminRefused):
        council_admin.end_term(session, admin, term.id, "31/12/2025")
    assert council_admin.end_term(session, admin, term.id, "05/12/2026")
    assert council_admin.term_status(term) == "ended"
    assert term in council_admin.memberships(session)
    event = _events(session)[-1]
    assert (event.action, json.loads(event.changes)) == (
        "end_term",
        {"ends_on": [None, "2026-12-05"]},
    )


def test_of_two_admins_editing_at_once_exactly_one_wins(session, world):
    admin = world.actor("admin")
    term = council_admin.add_member(session, admin, _term(world, "member1", "member", "01/01/2026"))
    drawn = stamp(council_admin.snapshot(term))
    values = {"position": "vice_chair", "starts_on": "01/01/2026"}
    assert council_admin.update_member(session, admin, term.id, values, expected_stamp=drawn)
    with pytest.raises(StaleVersion):
        council_admin.update_member(
            session, admin, term.id, {**values, "position": "secretary"}, expected_stamp=drawn
        )
    with pytest.raises(StaleVersion):
        council_admin.end_term(session, admin, term.id, expected_stamp=drawn)
    assert (term.position, term.ends_on) == ("vice_chair", None)
    assert [e.action for e in _events(session)] == ["create", "update"]


def test_members_are_in_protocol_order(session, world):
    admin = world.actor("admin")
    for username, position in (
        ("member1", "secretary"),
        ("member2", "member"),
        ("member3", "vice_chair"),
        ("member4", "chair"),
        ("member5", "member"),
    ):
        council_admin.add_member(session, admin, _term(world, username, position, "01/01/2026"))
    names = [t.user.full_name for t in council_admin.memberships(session)]
    assert names == ["Đinh Thị Oanh", "Ngô Quang Nam", "Đỗ Thị Mai", "Lý Văn Phúc", "Bùi Văn Long"]


@pytest.mark.db
def test_two_admins_seating_a_chair_at_once_exactly_one_wins(fresh_engine, tmp_path):
    with Session(fresh_engine) as setup:
        world = build_world(setup, tmp_path)
        chair = _term(world, "member1", "chair", "01/01/2026")
        another = _term(world, "member2", "chair", "01/02/2026")
        setup.commit()
    admin = world.actor("admin")
    first, second = Session(fresh_engine), Session(fresh_engine)
    try:
        council_admin.add_member(first, admin, chair)
        outcome: dict[str, object] = {}

        def seat_another() -> None:
            try:  # waits for the first change, then finds the chair taken
                council_admin.add_member(second, admin, another)
                second.commit()
                outcome["done"] = True
            except AdminRefused as refused:
                second.rollback()
                outcome["refused"] = refused.messages("vi")

        thread = threading.Thread(target=seat_another)
        thread.start()
        thread.join(1)  # the second admin reaches the rules while the first is not committed
        first.commit()
        thread.join(60)
        assert not thread.is_alive()
        assert "refused" in outcome
    finally:
        first.close()
        second.close()
    with Session(fresh_engine) as check:
        terms = check.scalars(select(CouncilMembership)).all()
        assert [t.user.username for t in terms] == ["member1"]
