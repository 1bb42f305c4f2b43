"""List proposals: the list moves its rows, each row keeps its own result, and a decision
publishes the rows the Council passed (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from models import AuditEvent, AwardRecord, Nomination
from tests.fixtures.people import (
    NOW,
    inputs_for,
    make_council_session,
    make_dossier,
    new_person,
)
from tests.fixtures.snapshots import assert_refused
from workflow import NotFound, TransitionRefused, fire
from workflow.core.audit import verify
from workflow.core.errors import EditRefused
from workflow.dossiers import bulk
from workflow.dossiers import content as dossiers
from workflow.proposals.rows import RowEntry, add_rows, remove_row
from workflow.publication import decisions

pytestmark = pytest.mark.db


def _list(session, world, rows: int = 3, unit: str = "a"):
    proposal = make_dossier(session, world, kind="proposal", unit=unit)
    if rows > 1:
        add_rows(
            session,
            world.actor(f"staff_{unit}"),
            proposal.id,
            _more(world, session, unit, rows - 1),
        )
    return proposal, _rows(session, proposal.id)


def _more(world, session, unit: str, count: int) -> list[RowEntry]:
    return [
        RowEntry(
            world.awards["ldtt"].id,
            "Hoàn thành tốt nhiệm vụ.",
            person_id=new_person(session, world.units[unit].id, f"Cô giáo {i}").id,
        )
        for i in range(count)
    ]


def _rows(session, proposal_id) -> list[Nomination]:
    return list(
        session.scalars(
            select(Nomination).where(Nomination.proposal_id == proposal_id).order_by(Nomination.id)
        )
    )


def _states(session, proposal_id) -> list[str]:
    session.expire_all()
    return [r.state for r in _rows(session, proposal_id)]


def _send(session, world, proposal):
    fire(session, proposal.id, "submit", world.actor("staff_a"), now=NOW)
    fire(session, proposal.id, "unit_approve", world.actor("head_a"), now=NOW)


def test_the_list_moves_every_row_with_it_each_audited(session, world):
    proposal, rows = _list(session, world, rows=3)
    assert _states(session, proposal.id) == ["draft"] * 3
    before = session.scalar(select(func.count()).select_from(AuditEvent))
    _send(session, world, proposal)
    assert proposal.state == "received" and proposal.sent_at is not None
    assert _states(session, proposal.id) == ["office_review"] * 3
    # Two list events and two per row.
    assert session.scalar(select(func.count()).select_from(AuditEvent)) - before == 2 + 2 * 3
    for row in rows:
        actions = session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.entity_type == "dossier", AuditEvent.entity_id == row.id)
            .order_by(AuditEvent.seq)
        ).all()
        assert actions == ["create", "submit", "unit_approve"]
    assert verify(session).ok


def test_a_row_refused_stops_the_list_and_names_the_row(session, world):
    proposal, rows = _list(session, world, rows=2)
    dossiers.edit(session, rows[1].id, world.actor("staff_a"), {"achievements": "   "})
    with pytest.raises(TransitionRefused) as refused:
        fire(session, proposal.id, "submit", world.actor("staff_a"), now=NOW)
    assert rows[1].nominee_name in " ".join(refused.value.messages("vi"))
    assert _states(session, proposal.id) == ["draft", "draft"]
    session.refresh(proposal)
    assert proposal.state == "draft"


def test_the_list_needs_its_letter_minutes_and_rows(session, world):
    proposal = make_dossier(session, world, kind="proposal")
    empty = dossiers.create(
        session,
        world.actor("staff_a"),
        "proposal",
        world.units["a"].id,
        {
            "title": "Tờ trình trống",
            "campaign_id": world.campaign.id,
            "summary": "x",
            "unit_vote": "10/10",
        },
        now=NOW,
    )
    with pytest.raises(TransitionRefused) as refused:
        fire(session, empty.id, "submit", world.actor("staff_a"), now=NOW)
    text = " ".join(refused.value.messages("vi"))
    assert "chưa có dòng" in text and "Tờ trình đề nghị khen thưởng" in text
    fire(session, proposal.id, "submit", world.actor("staff_a"), now=NOW)  # the full one goes


def test_returning_one_row_does_not_return_the_list_and_it_comes_back_alone(session, world):
    proposal, rows = _list(session, world, rows=3)
    _send(session, world, proposal)
    reviewer = world.actor("reviewer")
    fire(session, rows[0].id, "office_return", reviewer, inputs={"reason": "Thiếu minh chứng"})
    fire(session, rows[1].id, "office_approve", reviewer, inputs={}, now=NOW)
    fire(
        session,
        rows[2].id,
        "office_decline",
        reviewer,
        inputs={"reason": "Không đủ thời gian công tác"},
    )
    assert _states(session, proposal.id) == ["returned", "council_review", "declined"]
    assert proposal.state == "received"
    assert rows[0].return_reason == "Thiếu minh chứng"
    # The unit fixes the returned row and sends it again, alone.
    staff, head = world.actor("staff_a"), world.actor("head_a")
    dossiers.edit(session, rows[0].id, staff, {"achievements": "Đã bổ sung minh chứng."})
    fire(session, rows[0].id, "resubmit", staff, now=NOW)
    fire(session, rows[0].id, "unit_approve", head, now=NOW)
    fire(session, rows[0].id, "office_approve", reviewer, inputs={}, now=NOW)
    assert _states(session, proposal.id) == ["council_review", "council_review", "declined"]


def test_the_council_decides_rows_with_one_tally_and_a_decision_publishes_them(session, world):
    proposal, rows = _list(session, world, rows=3)
    _send(session, world, proposal)
    result = bulk.run(
        session, world.actor("reviewer"), bulk.BulkRequest(bulk.ACCEPT, tuple(r.id for r in rows))
    )
    assert not result.refused
    council = make_council_session(session, world)
    tally = {k: str(v) for k, v in inputs_for("council_approve", council).items() if k != "reason"}
    ids = tuple(r.id for r in rows[:2])
    passed = bulk.run(
        session,
        world.actor("secretary"),
        bulk.BulkRequest("council_approve", ids, trigger="council_approve", shared=tally),
    )
    assert not passed.refused
    fire(
        session,
        rows[2].id,
        "council_reject",
        world.actor("secretary"),
        inputs={**inputs_for("council_reject", council)},
        now=NOW,
    )
    assert _states(session, proposal.id) == ["approved", "approved", "rejected"]
    decision = decisions.create(
        session,
        world.actor("secretary"),
        number="12/QĐ-SGDĐT",
        decided_on=dt.date(2026, 6, 5),
        signer="Nguyễn Văn Giám",
        title="Về việc tặng danh hiệu “Lao động tiên tiến” năm 2026",
        legal_bases="Căn cứ Luật Thi đua, khen thưởng;",
        dossier_ids=list(ids),
        now=NOW,
    )
    decisions.issue(session, decision.id, world.actor("secretary"), now=NOW)
    assert _states(session, proposal.id) == ["published", "published", "rejected"]
    records = session.scalars(
        select(AwardRecord).where(AwardRecord.dossier_id.in_(ids)).order_by(AwardRecord.dossier_id)
    ).all()
    assert [r.person_id for r in records] == [rows[0].person_id, rows[1].person_id]
    assert all(r.decision_number == "12/QĐ-SGDĐT" for r in records)
    assert verify(session).ok


def test_a_person_twice_in_a_list_or_already_proposed_elsewhere_is_refused(session, world):
    proposal, rows = _list(session, world, rows=1)
    staff = world.actor("staff_a")
    award = world.awards["ldtt"].id
    again = RowEntry(award, "Lần hai.", person_id=rows[0].person_id)
    with pytest.raises(EditRefused) as refused:
        add_rows(session, staff, proposal.id, [again], now=NOW)
    assert "đã có hồ sơ" in " ".join(refused.value.messages("vi"))
    # A block with one good and one bad line adds nothing.
    before = len(_rows(session, proposal.id))
    fresh = new_person(session, world.units["a"].id, "Lê Văn Mới").id
    with pytest.raises(EditRefused) as refused:
        add_rows(
            session,
            staff,
            proposal.id,
            [
                RowEntry(award, "Tốt.", person_id=fresh, line=1),
                RowEntry(award, "Lại.", person_id=rows[0].person_id, line=2),
            ],
            now=NOW,
        )
    assert "Dòng 2" in " ".join(refused.value.messages("vi"))
    assert len(_rows(session, proposal.id)) == before


def test_rows_are_added_and_removed_only_while_the_list_is_a_draft(session, world):
    proposal, rows = _list(session, world, rows=2)
    staff = world.actor("staff_a")
    remove_row(session, staff, rows[1].id, proposal_id=proposal.id, now=NOW)
    assert len(_rows(session, proposal.id)) == 1
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "remove_row")).one()
    assert event.entity_id == proposal.id
    _send(session, world, proposal)
    with pytest.raises(EditRefused):
        remove_row(session, staff, rows[0].id, proposal_id=proposal.id, now=NOW)
    with pytest.raises(EditRefused):
        add_rows(session, staff, proposal.id, _more(world, session, "a", 1), now=NOW)


def test_another_unit_cannot_touch_the_list(session, world):
    proposal, rows = _list(session, world, rows=1)
    other = world.actor("staff_b")
    assert_refused(
        session,
        proposal.id,
        lambda: add_rows(session, other, proposal.id, _more(world, session, "b", 1), now=NOW),
        errors=(EditRefused, NotFound),
    )
    assert len(_rows(session, proposal.id)) == 1


def test_the_head_then_the_office_hear_of_the_list_once_not_of_every_row(session, world):
    from models import Notification

    proposal, rows = _list(session, world, rows=3)

    def told(name: str) -> list[int]:
        return session.scalars(
            select(Notification.dossier_id).where(Notification.user_id == world.users[name].id)
        ).all()

    fire(session, proposal.id, "submit", world.actor("staff_a"), now=NOW)
    assert told("head_a") == [proposal.id]
    fire(session, proposal.id, "unit_approve", world.actor("head_a"), now=NOW)
    assert told("reviewer") == [proposal.id]


def test_a_row_of_a_list_not_yet_sent_has_no_step_of_its_own(session, world):
    from workflow import available

    proposal, rows = _list(session, world, rows=1)
    staff = world.actor("staff_a")
    assert not [t for t, _ in available(session, rows[0], staff) if t.trigger == "submit"]
    with pytest.raises(TransitionRefused) as refused:
        fire(session, rows[0].id, "submit", staff, now=NOW)
    assert refused.value.violations[0].code == "moves_with_list"
    _send(session, world, proposal)
    fire(session, rows[0].id, "office_return", world.actor("reviewer"), inputs={"reason": "Sửa"})
    # Once the list is sent, a returned row is sent again on its own.
    fire(session, rows[0].id, "resubmit", staff, now=NOW)


def test_a_person_already_proposed_by_another_unit_is_refused_naming_that_dossier(session, world):
    earlier = make_dossier(session, world, "nomination", unit="a", nominee_name="Hoàng Thị Mai")
    person = session.get(Nomination, earlier.id).person
    person.unit_id = world.units["b"].id  # she moved to school b after school a proposed her
    session.flush()
    proposal = make_dossier(session, world, kind="proposal", unit="b")
    with pytest.raises(EditRefused) as refused:
        add_rows(
            session,
            world.actor("staff_b"),
            proposal.id,
            [RowEntry(world.awards["ldtt"].id, "Tốt.", person_id=person.id)],
            now=NOW,
        )
    assert f"số {earlier.id}" in " ".join(refused.value.messages("vi"))
