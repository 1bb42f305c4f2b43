"""The engine writes a transition with Core statements: what they write must be exactly what
an ORM flush would have written, and the session must be left as clean as after a flush."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, inspect, select, update

from models import AuditEvent, Dossier, Report
from tests.fixtures.people import NOW, make_dossier
from workflow import fire
from workflow.core.audit import AppendedEvent

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
    dirty_at_flush = []

    def see_flush(session, flush_context, instances):
        dirty_at_flush.append(dossier in session.dirty)

    event.listen(session, "before_flush", see_flush)
    fire(session, dossier.id, "unit_approve", world.actor("head_a"), now=LATER)
    event.remove(session, "before_flush", see_flush)
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
    assert not any(dirty_at_flush)  # and no flush during the transition walked it for nothing


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
    # Not an ORM object, never in the session: a rolled-back savepoint leaves no ghost.
    assert isinstance(event, AppendedEvent) and event not in list(session)
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


@pytest.mark.db
def test_a_savepoint_released_into_one_that_rolls_back_shows_the_old_state_again(session, world):
    """The inner savepoint's writes belong to the outer one once released; its rollback undoes
    them, and the object must show that."""
    dossier = make_dossier(session, world, state="draft")
    version = dossier.version
    with pytest.raises(RuntimeError), session.begin_nested():
        with session.begin_nested():
            fire(session, dossier.id, "submit", world.actor("staff_a"), now=LATER)
        assert dossier.state == "unit_review"
        raise RuntimeError("the caller gives up")
    assert (dossier.state, dossier.version) == ("draft", version)


@pytest.mark.db
def test_a_released_savepoint_and_a_later_rolled_back_one_keep_the_new_state(session, world):
    """Only the writes of the savepoint that rolls back are undone on the object."""
    dossier = make_dossier(session, world, state="draft")
    version = dossier.version
    with session.begin_nested():
        fire(session, dossier.id, "submit", world.actor("staff_a"), now=LATER)
    with pytest.raises(RuntimeError), session.begin_nested():
        raise RuntimeError("an unrelated step gives up")
    assert (dossier.state, dossier.version) == ("unit_review", version + 1)
    stored = _stored(session, Dossier.__table__, dossier.id, "state", "version")
    assert (stored.state, stored.version) == ("unit_review", version + 1)


@pytest.mark.db
def test_a_version_moved_after_the_locked_load_is_refused_as_stale(session, world, monkeypatch):
    """The UPDATE checks the version the engine loaded, as the mapper's ``version_id_col``
    would: if the row moved meanwhile (here by a statement in the same transaction), the
    dossier is not written and the refusal carries the stored version and state."""
    from workflow import StaleVersion
    from workflow.core import engine

    dossier = make_dossier(session, world, state="draft")
    version = dossier.version
    table = Dossier.__table__
    load = engine.load_for_update

    def load_then_move(session, dossier_id, actor):
        found = load(session, dossier_id, actor)
        session.execute(
            update(table).where(table.c.id == dossier_id).values(version=table.c.version + 1)
        )
        return found

    monkeypatch.setattr(engine, "load_for_update", load_then_move)
    savepoint = session.begin_nested()
    with pytest.raises(StaleVersion) as refused:
        fire(session, dossier.id, "submit", world.actor("staff_a"), now=LATER)
    assert refused.value.current_version == version + 1
    assert refused.value.current_state == engine.workflow_of(dossier).state("draft").label_vi
    with session.no_autoflush:  # the refused object is left as it was; the caller rolls back
        stored = _stored(session, table, dossier.id, "state", "version")
    assert (stored.state, stored.version) == ("draft", version + 1)
    savepoint.rollback()
    assert (dossier.state, dossier.version) == ("draft", version)
