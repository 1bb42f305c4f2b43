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
