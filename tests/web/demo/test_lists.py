"""The demo's list proposals: lists of several schools in every state, rows with every result,
and one issued decision of more than a hundred rows that recorded the awards."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from models import AuditEvent, AwardRecord, Nomination, Proposal
from models.decisions import Decision
from web.demo.lists import DECISION

pytestmark = pytest.mark.db


def test_lists_in_every_state_and_rows_with_every_result(demo):
    factory, _, lines = demo
    with factory() as session:
        lists = session.scalars(select(Proposal)).all()
        rows = session.scalars(select(Nomination).where(Nomination.proposal_id.is_not(None))).all()
        by_state = Counter(p.state for p in lists)
        assert set(by_state) == {"draft", "unit_review", "received", "withdrawn"}
        assert len({p.unit_id for p in lists if p.state == "received"}) >= 4
        assert Counter(r.state for r in rows) == {
            "published": 107,
            "council_review": 10,
            "unit_review": 10,
            "draft": 8,
            "withdrawn": 6,
            "declined": 2,
            "rejected": 2,
            "returned": 1,
        }
        # Each received list of November shows a row of every Office result on its page.
        numbers = {p.id: p.document_number for p in lists}
        november = {r.state for r in rows if numbers[r.proposal_id] == "96/TTr-THPTCB"}
        assert november == {"council_review", "returned", "declined"}
        for row in rows:
            if row.state in ("returned", "declined"):
                assert len(row.return_reason) > 40, row.id
            # Rows name the register: the imported staff list, or (Chiến sĩ thi đua cơ sở)
            # teachers whose Lao động tiên tiến of the year is in the history.
            assert (row.person_id or row.collective_id) is not None
        # A row the Office returned was corrected on its own page and went through alone.
        fixed = session.scalars(
            select(AuditEvent.entity_id).where(AuditEvent.action == "resubmit")
        ).all()
        fixed_rows = [r for r in rows if r.id in set(fixed)]
        assert [r.state for r in fixed_rows] == ["published"]
        actions = session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.entity_type == "dossier", AuditEvent.entity_id == fixed_rows[0].id)
            .order_by(AuditEvent.seq)
        ).all()
        assert "office_return" in actions
        assert actions[-5:] == [
            "resubmit",
            "unit_approve",
            "office_approve",
            "council_approve",
            "publish",
        ]
        session.rollback()
    assert any(line.startswith("Tờ trình kèm danh sách") for line in lines)


def test_the_issued_decision_of_the_rows_the_council_passed(demo):
    factory, _, _ = demo
    number, day = DECISION
    with factory() as session:
        decision = session.scalars(select(Decision).where(Decision.number == number)).one()
        assert decision.status == "issued" and decision.decided_on.isoformat() == day
        ids = [item.dossier_id for item in decision.items]
        assert len(ids) >= 100
        rows = session.scalars(select(Nomination).where(Nomination.id.in_(ids))).all()
        assert {r.state for r in rows} == {"published"}
        assert all(r.proposal_id is not None and r.decision_number == number for r in rows)
        assert len({r.unit_id for r in rows}) >= 5
        awards = Counter(r.award_type.code for r in rows)
        assert awards["LDTT"] >= 90 and awards["CSTDCS"] == 5 and awards["TTLDTT"] == 2
        records = session.scalars(select(AwardRecord).where(AwardRecord.dossier_id.in_(ids))).all()
        assert len(records) == len(ids)
        assert all(r.decision_number == number and r.year == 2026 for r in records)
        assert sum(r.collective_id is not None for r in records) == 2
        session.rollback()
