"""One database session per request: a write session for POSTs, a read session otherwise.

A read session refuses any statement that writes (``models.db.ReadSessionWrite``): a GET
changes nothing. On SQLite a write session takes the write lock at its first statement (BEGIN
IMMEDIATE); pages that only read must not, or every GET would queue behind every POST. On
PostgreSQL a read session sends no BEGIN and no COMMIT (autocommit; see
``models.make_read_sessionmaker``).

A session whose transaction only read (a page on SQLite; a form's reads after its commit)
ends it with COMMIT, which changes nothing then, rather than ROLLBACK: psycopg forgets every
statement it has prepared on the connection at a ROLLBACK, and PostgreSQL would parse and plan
the form's statements again. A transaction that wrote and was not committed is rolled back as ever.
"""

from __future__ import annotations

import contextlib

from flask import Flask, current_app, g, request
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from models import make_engine, make_read_sessionmaker, make_sessionmaker, only_read
from workflow.core import audit

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_app(app: Flask) -> None:
    """Create the engine and session factories and close the session after each request."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["vinhdanh.engine"] = engine
    app.extensions["vinhdanh.write"] = make_sessionmaker(engine)
    app.extensions["vinhdanh.read"] = make_read_sessionmaker(engine)
    app.teardown_appcontext(close_session)


def get_session() -> Session:
    """The request's session (write for unsafe methods, read for the others)."""
    if "db_session" not in g:
        kind = "vinhdanh.read" if _is_safe_request() else "vinhdanh.write"
        g.db_session = current_app.extensions[kind]()
    return g.db_session


def write_session() -> Session:
    """A write session outside a request (CLI commands run in an app context)."""
    return current_app.extensions["vinhdanh.write"]()


def _is_safe_request() -> bool:
    try:
        return request.method in _SAFE_METHODS
    except RuntimeError:  # no request: CLI or background work
        return False


def close_session(exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is None:
        return
    if exc is None and only_read(session) and not audit.has_waiting(session):
        # A transaction that had failed cannot commit: close() rolls it back.
        with contextlib.suppress(SQLAlchemyError):
            session.commit()
    session.close()
