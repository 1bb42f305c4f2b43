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
    """Apply migrations up to ``revision``."""
    from alembic import command

    command.upgrade(config(url), revision)
