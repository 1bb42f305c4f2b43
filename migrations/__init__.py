"""Alembic migrations; ``config()`` builds the Alembic configuration without an ini file."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config

HERE = Path(__file__).resolve().parent


def config(url: str | None = None) -> Config:
    """An Alembic ``Config`` for this project; ``url`` defaults to VINHDANH_DATABASE_URL."""
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    if url:
        cfg.attributes["url"] = url
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Apply migrations up to ``revision``, then put back the audit log's append-only triggers
    if someone dropped them (a migration that already ran never runs again to do it)."""
    from alembic import command
    from sqlalchemy import inspect

    from models import make_engine
    from models.audit import AuditEvent, missing_append_only_triggers, restore_append_only

    command.upgrade(config(url), revision)
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            if inspect(connection).has_table(AuditEvent.__tablename__) and (
                missing_append_only_triggers(connection)
            ):
                restore_append_only(connection)
    finally:
        engine.dispose()
