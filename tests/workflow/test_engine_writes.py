"""The engine writes a transition with Core statements: what they write must be exactly what
an ORM flush would have written, and the session must be left as clean as after a flush."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, select

from models import AuditEvent, Dossier, Report
from tests.fixtures.people import NOW, make_dossier
from workflow import fire

LATER = NOW + dt.timedelta(hours=2)


def _stored(session, table, dossier_id, *columns):
    """Column values as stored (Core, bypassing the identity map)."""
    return session.execute(
        select(*(table.c[c] for c in columns)).where(table.c.id == dossier_id)
    ).one()


@pytest.mark.db
def test_transition_columns_reach_the_database_and_the_object_is_clean(session, world):
    dossier = make_dossier(session, world, state="unit_review")
    version = dossier.version
    fire(session, dossier.id, "unit_approve", world.actor("head_a"), now=LATER)
    stored = _stored(
        session, Dossier.__table__, dossier.id, "state", "version", "sent_at", "updated_at"
    )
    assert (stored.state, stored.version) == ("office_review", version + 1)
    assert (
        stored.sent_at.replace(tzinfo=None)
        == stored.updated_at.replace(tzinfo=None)
        == LATER.replace(tzinfo=None)
    )
    assert (dossier.state, dossier.version) == ("office_review", version + 1)
    state = inspect(dossier)
    assert not state.modified and dossier not in session.dirty  # nothing left for a flush


@pytest.mark.db
def test_a_column_of_the_kind_table_is_written_too(session, world):
    """A report's classification lives in the ``report`` table, not in ``dossier``."""
    report = make_dossier(session, world, kind="report", state="classified")
    assert isinstance(report, Report) and report.classification
    stored = _stored(session, Report.__table__, report.id, "classification")
    assert stored.classification == report.classification
    session.expire_all()
    assert session.get(Dossier, report.id).classification == stored.classification


@pytest.mark.db
def test_the_returned_event_is_a_copy_of_the_stored_row(session, world):
    dossier = make_dossier(session, world, state="draft")
    event = fire(session, dossier.id, "submit", world.actor("staff_a"), now=LATER)
    assert inspect(event).transient  # not in the session: a rolled-back savepoint leaves no ghost
    stored = session.execute(select(AuditEvent.__table__).where(AuditEvent.seq == event.seq)).one()
    assert (stored.hash, stored.canonical, stored.to_state) == (
        event.hash,
        event.canonical,
        "unit_review",
    )


@pytest.mark.db
def test_a_state_change_after_an_audited_flush_still_needs_its_own_event(session, world):
    """The Core append covers the change flushed with it, not a later bare state change."""
    from models import AuditRequired

    dossier = make_dossier(session, world, state="draft")
    fire(session, dossier.id, "submit", world.actor("staff_a"), now=LATER)
    session.flush()
    with pytest.raises(AuditRequired), session.begin_nested():
        dossier.state = "published"
        session.flush()


@pytest.mark.db
def test_a_rolled_back_savepoint_shows_the_old_state_again(session, world):
    """As after an ORM flush: the object is expired by the rollback and reloads what is stored."""
    dossier = make_dossier(session, world, state="draft")
    version = dossier.version
    with pytest.raises(RuntimeError), session.begin_nested():
        fire(session, dossier.id, "submit", world.actor("staff_a"), now=LATER)
        raise RuntimeError("the caller gives up")
    assert (dossier.state, dossier.version) == ("draft", version)
    # The same transition can then be fired again: the rolled-back event left no trace.
    event = fire(session, dossier.id, "submit", world.actor("staff_a"), now=LATER)
    assert (dossier.state, event.to_state) == ("unit_review", "unit_review")
