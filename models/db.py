"""Engine and session setup, shared by the web app, the CLI, the tests and the benchmarks.

SQLite gets WAL, foreign keys, a busy timeout and ``BEGIN IMMEDIATE`` for write
transactions: a deferred BEGIN loses concurrent audit appends to "database is locked".
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from models.private_files import create_private, private_dir

PROJECT_ROOT = Path(__file__).resolve().parent.parent
READ_ONLY = "vinhdanh_read_only"
PREPARED_MAX = 512
# The connection's flag: its transaction has sent something other than a read.
_WROTE = "vinhdanh_wrote"
_READS = ("SELECT", "BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "PRAGMA", "SHOW")
_WRITES_IN_CTE = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)
# EXPLAIN plans a statement without running it (the search's estimates); with ANALYZE it runs.
_RUNS_WHAT_IT_EXPLAINS = re.compile(r"\bANALY[SZ]E\b", re.IGNORECASE)


def instance_dir() -> Path:
    """Where local state lives (SQLite file, secret key, uploads): ``instance/`` by default."""
    return private_dir(os.environ.get("VINHDANH_INSTANCE_DIR") or PROJECT_ROOT / "instance")


def database_url() -> str:
    """``VINHDANH_DATABASE_URL``, or a SQLite file under ``instance/``."""
    return os.environ.get("VINHDANH_DATABASE_URL") or f"sqlite:///{instance_dir() / 'vinhdanh.db'}"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record) -> None:
        # Let SQLAlchemy emit BEGIN itself instead of pysqlite's legacy transaction control.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # Read pages through a memory map instead of a read() call per page not in
            # SQLite's small cache (2 MB): the public search probes the word table's tree
            # row by row, and each read() was most of a probe's cost.
            cursor.execute("PRAGMA mmap_size=1073741824")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _configure_psycopg(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record) -> None:
        # psycopg prepares a statement at its fifth run on a connection and keeps the 100 it
        # used last; the pages of a deadline day run some 170 different statements, and one
        # dropped is deallocated, then parsed and planned again at its next runs.
        dbapi_connection.prepared_max = PREPARED_MAX


def _watch_writes(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.info[_WROTE] = False

    @event.listens_for(engine, "before_cursor_execute")
    def _on_statement(connection, cursor, statement, parameters, context, executemany) -> None:
        if not _is_read(statement):
            if connection.get_execution_options().get(READ_ONLY, False):
                raise ReadSessionWrite(" ".join(statement.split(None, 3)[:3]))
            connection.info[_WROTE] = True


def _is_read(statement: str) -> bool:
    head = statement.lstrip()[:9].upper()
    if head.startswith("WITH"):
        return not _WRITES_IN_CTE.search(statement)
    if head.startswith("EXPLAIN"):
        return not _RUNS_WHAT_IT_EXPLAINS.search(statement)
    return head.startswith(_READS)


def only_read(session: Session) -> bool:
    """Whether ``session`` is in a transaction that has sent nothing but reads and holds no
    change to flush: one that COMMIT ends exactly as ROLLBACK would."""
    if not session.in_transaction() or session.new or session.dirty or session.deleted:
        return False
    return not session.connection().info.get(_WROTE, True)


def make_engine(url: str | None = None, **kwargs) -> Engine:
    """Create an engine for ``url`` (default: :func:`database_url`) with the house settings."""
    url = url or database_url()
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if database not in (None, "", ":memory:") and not database.startswith("file:"):
            # SQLite would create the file with the umask's mode (often world-readable); made
            # 0600 here first, its -wal and -shm files take the same mode.
            create_private(database)
        _configure_sqlite(engine)
    elif engine.dialect.driver == "psycopg":
        _configure_psycopg(engine)
    _watch_writes(engine)
    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that write. ``expire_on_commit=False`` so pages render after a commit."""
    return sessionmaker(engine, expire_on_commit=False)


class ReadSessionWrite(RuntimeError):
    """A statement that writes, sent through a read session: refused before it is sent."""


def make_read_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions for pages that only read, which refuse any statement that writes
    (``ReadSessionWrite``). On SQLite they do not take the write lock. On PostgreSQL they send
    no BEGIN and no COMMIT: under READ COMMITTED every statement reads its own snapshot, inside
    a transaction or not, so a page's reads see the same either way, two round trips sooner."""
    options: dict[str, object] = {READ_ONLY: True}
    if engine.dialect.name == "postgresql":
        options["isolation_level"] = "AUTOCOMMIT"
    return sessionmaker(engine.execution_options(**options), expire_on_commit=False)
