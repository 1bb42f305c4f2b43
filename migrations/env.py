"""Alembic environment: the URL comes from the same resolver as the app's."""

from __future__ import annotations

from alembic import context

import models
from models import Base, make_engine

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.attributes.get("url") or models.database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.attributes.get("url") or models.database_url())
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _sqlite_foreign_keys(connection, on: bool) -> None:
    # Straight to the driver: through SQLAlchemy it would open a transaction, inside which
    # SQLite ignores this pragma.
    connection.connection.dbapi_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def _run(connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch table rebuilds drop and rename tables; SQLite must not enforce FKs meanwhile.
        _sqlite_foreign_keys(connection, False)
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    if sqlite:
        _sqlite_foreign_keys(connection, True)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
