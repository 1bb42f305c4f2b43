"""Appended events wait in the session and are written at commit: the head is locked only for
the instant before COMMIT, reads in the transaction see the events, savepoints drop theirs."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from models import AuditEvent, AuditHead, Decision, make_sessionmaker
from tests.fixtures.people import NOW, build_world, make_dossier
from workflow import fire
from workflow.core import audit


def _append(session: Session, entity_id: int = 1, **extra) -> audit.AppendedEvent:
    return audit.append(
        session,
        entity_type="campaign",
        entity_id=entity_id,
        action="edit",
        actor_id=None,
        actor_role=None,
        changes={"n": entity_id},
        now=NOW,
        **extra,
    )


def _statements(connection) -> list[str]:
    """The SQL run on ``connection`` from now on (the list grows as statements run)."""
    seen: list[str] = []

    @event.listens_for(connection, "before_cursor_execute")
    def _seen(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(" ".join(statement.split()))

    return seen


def _stored_seqs(session: Session, after: int) -> list[int]:
    return list(session.scalars(select(AuditEvent.seq).where(AuditEvent.seq > after)))


@pytest.mark.db
def test_an_event_is_written_at_commit_after_the_sessions_own_writes(session, world):
    dossier = make_dossier(session, world, state="draft")
    session.commit()
    seq, _ = audit.current_head(session)
    seen = _statements(session.connection())
    event = fire(session, dossier.id, "submit", world.actor("staff_a"), now=NOW)
    dossier.title = "Tên mới của hồ sơ"  # a write the ORM flushes at commit
    assert not [s for s in seen if "audit_" in s]  # nothing of the audit yet: no lock
    session.commit()
    audit_statements = [i for i, s in enumerate(seen) if "audit_" in s]
    # The head locked, the event inserted, the head moved: the last statements before COMMIT
    # (here the release of the test's savepoint), after the ORM's flush of the title.
    assert len(audit_statements) == 3
    assert all(s.startswith("RELEASE SAVEPOINT") for s in seen[audit_statements[-1] + 1 :])
    assert seen[audit_statements[0]].startswith("SELECT audit_head.seq")
    assert seen[audit_statements[1]].startswith("INSERT INTO audit_event")
    assert seen[audit_statements[2]].startswith("UPDATE audit_head")
    assert any(
        s.startswith("UPDATE dossier SET version") and "title" in s
        for s in seen[: audit_statements[0]]
    )
    assert event.seq == seq + 1 and audit.current_head(session) == (seq + 1, event.hash)
    assert audit.verify(session).ok


@pytest.mark.db
def test_reads_in_the_transaction_see_its_waiting_events(session):
    seq, _ = audit.current_head(session)
    reads = [
        lambda: audit.current_head(session)[0],
        lambda: audit.head_and_shown(session)[0],
        lambda: audit.history(session, "campaign", 1)[-1].seq,
        lambda: audit.verify(session).head_seq,
        lambda: session.scalar(select(func.max(AuditEvent.seq))),
        lambda: session.scalar(select(AuditHead.seq)),
        lambda: session.scalar(text("SELECT max(seq) FROM audit_event")),
        lambda: session.connection().execute(audit.EVENT_ROWS).all()[-1].seq,
        lambda: session.connection().exec_driver_sql("SELECT max(seq) FROM audit_event").scalar(),
    ]
    for n, read in enumerate(reads, start=1):
        event = _append(session)
        assert read() == seq + n
        assert event.written is not None and event.seq == seq + n
    assert audit.verify(session).ok


@pytest.mark.db
def test_an_events_seq_or_hash_writes_it_and_those_before(session):
    seq, head = audit.current_head(session)
    first, second = _append(session, 1), _append(session, 2)
    assert second.hash is not None  # read first: both written, in the order appended
    assert (first.seq, second.seq) == (seq + 1, seq + 2)
    assert (first.prev_hash, second.prev_hash) == (head, first.hash)
    stored = session.get(AuditEvent, second.seq)
    assert (stored.canonical, stored.leaf_hash, stored.hash) == (
        second.canonical,
        second.leaf_hash,
        second.hash,
    )
    third = _append(session, 3)  # appended after a write: waits again
    assert third.written is None
    session.commit()
    assert third.seq == seq + 3 and audit.current_head(session) == (seq + 3, third.hash)


@pytest.mark.db
def test_statements_not_about_the_audit_leave_events_waiting(session, world):
    event = _append(session)
    session.execute(select(func.count()).select_from(AuditEvent).where(False))
    assert event.written is not None  # it names the audit table
    waiting = _append(session, 2)
    session.execute(text("SELECT 1"))
    session.scalars(select(AuditHead.id).where(False).subquery().select())
    session.get(type(world.units["a"]), world.units["a"].id)
    assert waiting.written is not None  # the subquery names audit_head
    last = _append(session, 3)
    session.execute(text("SELECT 1"))
    session.execute(select(func.now()))
    session.execute(select(Decision.audit_seq, Decision.audit_hash).where(False))
    assert last.written is None


@pytest.mark.db
def test_a_rolled_back_savepoint_drops_its_events_a_released_one_keeps_them(session):
    seq, head = audit.current_head(session)
    kept = _append(session, 1)
    with session.begin_nested() as savepoint:
        dropped = _append(session, 2)
        savepoint.rollback()
    with session.begin_nested():
        released = _append(session, 3)
        with session.begin_nested() as inner:
            _append(session, 4)
            inner.rollback()
    session.commit()
    assert (kept.seq, released.seq, dropped.seq) == (seq + 1, seq + 2, None)
    assert _stored_seqs(session, seq) == [seq + 1, seq + 2]
    assert [e.entity_id for e in audit.history(session, "campaign", 3)][-1:] == [3]
    assert kept.prev_hash == head and released.prev_hash == kept.hash
    assert audit.verify(session).ok


@pytest.mark.db
def test_a_savepoint_rolled_back_after_a_read_keeps_the_events_before_it(session):
    seq, _ = audit.current_head(session)
    before = _append(session, 1)
    outer = session.begin_nested()
    inside = _append(session, 2)
    inner = session.begin_nested()
    late = _append(session, 3)
    assert audit.current_head(session)[0] == seq + 3  # all three written, inside the savepoints
    inner.commit()
    outer.rollback()  # the database drops the three rows; the first was appended before it
    assert (before.written, inside.seq, late.seq) == (None, None, None)
    assert audit.current_head(session)[0] == seq + 1  # written again, chained anew
    session.commit()
    assert before.seq == seq + 1 and _stored_seqs(session, seq) == [seq + 1]
    assert audit.verify(session).ok


@pytest.mark.db
def test_a_rollback_drops_every_waiting_event(session):
    head = audit.current_head(session)
    events = [_append(session, 1), _append(session, 2)]
    session.rollback()
    assert [e.seq for e in events] == [None, None]
    session.commit()
    assert audit.current_head(session) == head
    after = _append(session, 3)  # a new transaction starts from nothing waiting
    session.commit()
    assert after.seq == head[0] + 1


@pytest.mark.db
def test_a_session_closed_without_commit_writes_nothing(fresh_engine):
    factory = make_sessionmaker(fresh_engine)
    with factory() as session:
        head = audit.current_head(session)
        event = _append(session)
    with factory() as session:
        assert audit.current_head(session) == head and event.seq is None


@pytest.mark.db
def test_a_commit_of_the_connection_itself_writes_the_events(fresh_engine):
    with fresh_engine.connect() as connection:
        session = Session(bind=connection)
        head = audit.current_head(session)
        event = _append(session)
        connection.commit()
        session.close()
    with make_sessionmaker(fresh_engine)() as session:
        assert audit.current_head(session) == (head[0] + 1, event.hash)
        assert audit.verify(session).ok


@pytest.mark.db
@pytest.mark.pg_only
def test_the_head_stays_free_until_the_commit(fresh_engine, tmp_path):
    """Another transaction locks the head while one with a waiting event goes on."""
    if fresh_engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises whole write transactions (BEGIN IMMEDIATE)")
    factory = make_sessionmaker(fresh_engine)
    with factory() as session:
        world = build_world(session, tmp_path / "uploads")
        dossier_id = make_dossier(session, world, state="draft").id
        session.commit()
    with factory() as slow:
        fire(slow, dossier_id, "submit", world.actor("staff_a"), now=NOW)
        done = threading.Event()

        def other() -> None:
            with factory() as session:
                session.execute(text("SET LOCAL lock_timeout = '2s'"))
                _append(session, 7)
                session.commit()
                done.set()

        thread = threading.Thread(target=other)
        thread.start()
        thread.join(timeout=30)
        assert done.is_set()  # it committed while ``slow`` was still open
        slow.commit()
    with factory() as session:
        events = session.execute(
            select(AuditEvent.entity_type, AuditEvent.action).order_by(AuditEvent.seq.desc())
        ).all()[:2]
        assert events == [("dossier", "submit"), ("campaign", "edit")]
        assert audit.verify(session).ok


@pytest.mark.db
def test_two_sessions_on_one_connection_keep_their_own_events(session):
    seq, _ = audit.current_head(session)
    mine = _append(session, 1)
    other = Session(bind=session.get_bind(), join_transaction_mode="create_savepoint")
    theirs = _append(other, 2)
    other.commit()  # its head read writes every event waiting on the connection, in order
    other.close()
    assert (mine.seq, theirs.seq) == (seq + 1, seq + 2)
    later = _append(session, 3)  # the session's own events are still watched for
    assert audit.current_head(session) == (seq + 3, later.hash)
    assert audit.verify(session).ok
