"""Engine setup: SQLite pragmas, read sessions that do not block writers, configuration."""

import pytest
from sqlalchemy import select, text

from models import Unit, make_read_sessionmaker, make_sessionmaker


def test_sqlite_pragmas(db_templates):
    from models import make_engine

    engine = make_engine(db_templates.copy("sqlite"))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    engine.dispose()


@pytest.mark.db
def test_a_reader_does_not_block_a_writer(fresh_engine):
    """A page that only reads holds no write lock, even in the middle of its transaction."""
    read, write = make_read_sessionmaker(fresh_engine), make_sessionmaker(fresh_engine)
    with read() as reader:
        assert reader.scalars(select(Unit)).all() == []
        with write() as writer:
            writer.add(Unit(code="X", name="Trường X", kind="primary"))
            writer.commit()
        # The reader's snapshot may or may not see it; it must simply not have blocked.
        reader.rollback()
        assert [u.code for u in reader.scalars(select(Unit))] == ["X"]


def test_write_session_takes_the_write_lock_at_once_on_sqlite(db_templates):
    """BEGIN IMMEDIATE: a second writer waits (here: fails fast) instead of deadlocking later."""
    import sqlite3

    from models import make_engine

    url = db_templates.copy("sqlite")
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        session.execute(text("SELECT 1"))
        other = sqlite3.connect(engine.url.database, timeout=0.1, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    with make_read_sessionmaker(engine)() as reader:
        reader.execute(text("SELECT 1"))
        other = sqlite3.connect(engine.url.database, timeout=0.1, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # a reader leaves the write lock free
        other.execute("ROLLBACK")
        other.close()
    engine.dispose()


@pytest.mark.db
def test_only_read_tells_a_transaction_that_sent_nothing_but_reads(fresh_engine):
    """``only_read``: what a commit would end exactly as a rollback would (``web.db``)."""
    from sqlalchemy import update

    from models import only_read

    with make_sessionmaker(fresh_engine)() as session:
        assert not only_read(session)  # no transaction
        session.scalars(select(Unit)).all()
        session.execute(text("WITH RECURSIVE n(i) AS (SELECT 1) SELECT i FROM n"))
        assert only_read(session)
        session.add(Unit(code="X", name="Trường X", kind="primary"))
        assert not only_read(session)  # a change to flush
        session.flush()
        assert not only_read(session)  # an INSERT sent
        session.commit()
        session.scalars(select(Unit)).all()
        assert only_read(session)  # a new transaction after the commit
        session.execute(update(Unit).values(name="Trường Y"))
        assert not only_read(session)
        session.rollback()
        unit = session.scalars(select(Unit)).one()
        unit.name = "Trường Z"
        assert not only_read(session)  # dirty
        session.rollback()
        session.execute(text("WITH old AS (SELECT id FROM unit) DELETE FROM unit WHERE id = 0"))
        assert not only_read(session)


@pytest.mark.db
def test_a_read_session_refuses_to_write_and_keeps_nothing_half_done(fresh_engine):
    """A page's session (``make_read_sessionmaker``) never writes: the statement is refused
    before it is sent, so a GET can change nothing, with or without a transaction around it."""
    from models.db import ReadSessionWrite

    with make_read_sessionmaker(fresh_engine)() as reader:
        assert reader.scalars(select(Unit)).all() == []
        reader.add(Unit(code="X", name="Trường X", kind="primary"))
        with pytest.raises(ReadSessionWrite):
            reader.flush()
        reader.rollback()
        with pytest.raises(ReadSessionWrite):
            reader.execute(text("DELETE FROM unit"))
    with make_sessionmaker(fresh_engine)() as writer:
        assert writer.scalars(select(Unit)).all() == []


@pytest.mark.db
def test_a_page_on_postgresql_sends_no_begin_and_no_commit(fresh_engine):
    """Under READ COMMITTED each statement reads its own snapshot in a transaction or not: a
    read session runs in autocommit on PostgreSQL, two round trips fewer a page."""
    if fresh_engine.dialect.name != "postgresql":
        pytest.skip("SQLite's readers need BEGIN for a snapshot of their own")
    with make_read_sessionmaker(fresh_engine)() as reader:
        reader.scalars(select(Unit)).all()
        raw = reader.connection().connection.dbapi_connection
        assert raw.autocommit and raw.info.transaction_status.name == "IDLE"
        reader.commit()
    with make_sessionmaker(fresh_engine)() as writer:
        writer.scalars(select(Unit)).all()
        raw = writer.connection().connection.dbapi_connection
        assert not raw.autocommit and raw.info.transaction_status.name == "INTRANS"


@pytest.mark.db
def test_a_read_session_may_explain_a_statement_but_not_run_it(fresh_engine):
    """The public search asks PostgreSQL's planner for estimates (EXPLAIN): a read; EXPLAIN
    ANALYZE runs the statement, so a read session refuses it."""
    from models.db import ReadSessionWrite

    plan = "EXPLAIN (FORMAT JSON)" if fresh_engine.dialect.name == "postgresql" else "EXPLAIN"
    with make_read_sessionmaker(fresh_engine)() as reader:
        assert reader.execute(text(f"{plan} SELECT 1")).all()
        with pytest.raises(ReadSessionWrite):
            reader.execute(text("EXPLAIN ANALYZE DELETE FROM unit"))
