"""The demo's Council: every member seated in a position with a term, through the audited
administration, and its sessions list them in protocol order."""

from __future__ import annotations

from sqlalchemy import func, select

from models import AuditEvent, CouncilMembership, CouncilSession
from workflow.accounts import council_admin
from workflow.council import sessions as councils


def test_the_demo_council_has_positions_and_terms(demo):
    factory, _, _ = demo
    with factory() as session:
        terms = council_admin.memberships(session)
        assert [(t.user.username, t.position) for t in terms[:3]] == [
            ("hoidong1", "chair"),
            ("hoidong2", "vice_chair"),  # Bùi Thị Thu Hà before Lê Văn Khải, by given name
            ("hoidong3", "vice_chair"),
        ]
        assert terms[-1].user.username == "thuky.hd"
        assert all(council_admin.term_status(t) == "active" for t in terms)
        audited = select(func.count()).where(AuditEvent.entity_type == "council_membership")
        assert session.scalar(audited) == session.scalar(
            select(func.count()).select_from(CouncilMembership)
        )
        meeting = session.scalars(select(CouncilSession).limit(1)).one()
        members = councils.attendance_in_order(session, meeting)
        assert members[0].user.username == "hoidong1"
