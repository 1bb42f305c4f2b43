"""The ``vinhdanh`` commands that keep the data safe: the audit log's triggers, backups."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from models.audit import DROP_TRIGGERS, TRIGGER_NAMES
from tests.fixtures.people import build_world, make_dossier
from web import create_app
from web.cli import main


def _app(url: str, uploads: Path):
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "SECRET_KEY": "test-secret",
            "UPLOAD_DIR": str(uploads),
            "RATELIMIT_ENABLED": False,
        }
    )


def _with_events(app) -> None:
    session = app.extensions["vinhdanh.write"]()
    world = build_world(session, Path(app.config["UPLOAD_DIR"]))
    make_dossier(session, world, state="published")
    session.commit()
    session.close()


@pytest.mark.db
def test_audit_verify_fails_without_the_triggers_until_db_upgrade(fresh_url, backend, tmp_path):
    app = _app(fresh_url, tmp_path / "uploads")
    runner = app.test_cli_runner()
    try:
        _with_events(app)
        assert runner.invoke(main, ["audit", "verify"]).exit_code == 0
        with app.extensions["vinhdanh.engine"].begin() as connection:
            for statement in DROP_TRIGGERS[backend]:
                connection.execute(text(statement))
        broken = runner.invoke(main, ["audit", "verify"])
        assert broken.exit_code == 1
        assert "Nhật ký toàn vẹn" not in broken.output
        assert "nhật ký thiếu trigger chống sửa, xóa" in broken.output
        assert "append-only triggers are missing" in broken.output
        assert all(name in broken.output for name in TRIGGER_NAMES[backend])

        upgraded = runner.invoke(main, ["db", "upgrade"])
        assert upgraded.exit_code == 0, upgraded.output
        intact = runner.invoke(main, ["audit", "verify"])
        assert intact.exit_code == 0 and "Nhật ký toàn vẹn" in intact.output
        engine = app.extensions["vinhdanh.engine"]
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text("DELETE FROM audit_event"))
    finally:
        app.extensions["vinhdanh.engine"].dispose()


@pytest.mark.db
def test_audit_verify_counts_a_disabled_trigger_as_missing(fresh_url, backend, tmp_path):
    if backend != "postgresql":
        pytest.skip("SQLite cannot disable a trigger")
    app = _app(fresh_url, tmp_path / "uploads")
    try:
        with app.extensions["vinhdanh.engine"].begin() as connection:
            connection.execute(
                text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change")
            )
        result = app.test_cli_runner().invoke(main, ["audit", "verify"])
        assert result.exit_code == 1 and "audit_event_no_change" in result.output
        assert "audit_event_no_truncate" not in result.output
    finally:
        app.extensions["vinhdanh.engine"].dispose()
