"""The audit table is append-only (ORM guard and database triggers), and a dossier's state
cannot change without an audit event."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from models import AuditEvent, AuditRequired, Dossier
from tests.fixtures.people import NOW, make_dossier
from tests.fixtures.snapshots import snapshot
from workflow import fire
from workflow.core.audit import current_head, verify


@pytest.fixture()
def dossier(session, world):
    return make_dossier(session, world, state="office_review")


def _db_row(session, seq):
    return session.execute(select(AuditEvent.__table__).where(AuditEvent.seq == seq)).one()


@pytest.mark.db
def test_orm_update_of_an_event_is_refused(session, dossier):
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).first()
    original = _db_row(session, event.seq)
    with pytest.raises(AuditRequired), session.begin_nested():
        event.reason = "Sửa nhật ký"
        session.flush()
    assert _db_row(session, event.seq) == original
    assert event.reason == original.reason  # expired by the savepoint's rollback, reloaded


@pytest.mark.db
def test_orm_delete_of_an_event_is_refused(session, dossier):
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    before = snapshot(session, dossier.id)
    with pytest.raises(AuditRequired), session.begin_nested():
        session.delete(event)
        session.flush()
    assert snapshot(session, dossier.id) == before and verify(session).ok


def _refused_by_database(session, statement) -> None:
    before = session.execute(select(AuditEvent.__table__).order_by(AuditEvent.seq)).all()
    with pytest.raises(DBAPIError) as info, session.begin_nested():
        session.execute(statement)
    assert "append-only" in str(info.value)
    assert session.execute(select(AuditEvent.__table__).order_by(AuditEvent.seq)).all() == before


@pytest.mark.db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET reason = 'Sửa' WHERE seq = 2",
        "UPDATE audit_event SET seq = seq + 100",
        "DELETE FROM audit_event WHERE seq = 3",
        "DELETE FROM audit_event",  # SQLite's truncate optimisation is off when triggers exist
    ],
)
def test_raw_update_and_delete_are_refused(session, dossier, statement):
    _refused_by_database(session, text(statement))


@pytest.mark.db
def test_orm_bulk_statements_are_refused_by_the_database(session, dossier):
    _refused_by_database(session, update(AuditEvent).where(AuditEvent.seq == 1).values(actor_id=99))
    _refused_by_database(session, delete(AuditEvent).where(AuditEvent.seq == 1))


@pytest.mark.db
def test_truncate_is_refused_on_postgresql(session, dossier, backend):
    if backend != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only")
    _refused_by_database(session, text("TRUNCATE audit_event"))


@pytest.mark.db
def test_setting_the_state_directly_is_refused(session, dossier):
    before = snapshot(session, dossier.id)
    with pytest.raises(AuditRequired), session.begin_nested():
        dossier.state = "council_review"
        session.flush()
    assert snapshot(session, dossier.id) == before


@pytest.mark.db
def test_setting_the_state_of_an_unloaded_dossier_is_refused(session, dossier):
    """The guard also holds when the old state was not loaded (e.g. expired after a commit)."""
    before = snapshot(session, dossier.id)
    with pytest.raises(AuditRequired), session.begin_nested():
        session.expire(dossier)
        dossier.state = "council_review"
        session.flush()
    assert snapshot(session, dossier.id) == before


@pytest.mark.db
def test_state_change_by_the_engine_passes_the_guard(session, dossier, world):
    event = fire(session, dossier.id, "office_approve", world.actor("reviewer"), now=NOW)
    assert (event.seq, event.hash) == current_head(session)
    assert session.scalar(select(Dossier.state).where(Dossier.id == dossier.id)) == "council_review"


@pytest.mark.db
def test_other_dossier_columns_may_change_without_an_event(session, dossier):
    """The guard is about the state; content edits go through workflow.dossiers (audited there)."""
    dossier.updated_at = NOW
    session.flush()
