"""A batch of audit events chains exactly as the same events appended one by one."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import AuditEvent
from tests.fixtures.people import NOW
from workflow.core import audit

EVENTS = [
    {
        "entity_type": "ballot",
        "entity_id": i,
        "action": "close",
        "actor_id": None,
        "actor_role": "council_secretary",
        "from_state": "open",
        "to_state": "closed",
        "changes": {"votes": [i, 1, 0], "tên": "Ngô Quang Nam"},
        "now": NOW,
    }
    for i in range(1, 4)
]


def _chain(session, after: int) -> list[tuple[int, str, str, str]]:
    rows = session.execute(
        select(AuditEvent.seq, AuditEvent.canonical, AuditEvent.prev_hash, AuditEvent.hash)
        .where(AuditEvent.seq > after)
        .order_by(AuditEvent.seq)
    )
    return [tuple(r) for r in rows]


@pytest.mark.db
def test_batch_matches_appends_one_by_one_and_verifies(session):
    start = audit.current_head(session)
    returned = audit.append_many(session, EVENTS)
    batch = _chain(session, start[0])
    assert [e.seq for e in returned] == [start[0] + 1, start[0] + 2, start[0] + 3]
    assert batch[0][2] == start[1]
    assert audit.current_head(session) == (batch[-1][0], batch[-1][3])
    assert audit.verify(session).ok
    session.rollback()

    for event in EVENTS:
        audit.append(session, **event)
    assert _chain(session, start[0]) == batch
    assert audit.verify(session).ok


@pytest.mark.db
def test_empty_batch_writes_nothing(session):
    head = audit.current_head(session)
    assert audit.append_many(session, []) == []
    assert audit.current_head(session) == head
