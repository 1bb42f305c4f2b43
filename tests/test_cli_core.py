"""The ``vinhdanh`` command's core subcommands, run through Flask's CLI runner."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from models import make_engine
from models.audit import DROP_TRIGGERS
from tests.fixtures.people import make_dossier
from web import create_app
from web.cli import main
from workflow.core.audit import current_head
from workflow.core.registry import WORKFLOWS


@pytest.fixture()
def logged(app, app_world):
    """The app's database with a few dossiers moved through the engine (events committed)."""
    with app.app_context():
        session = app.extensions["vinhdanh.write"]()
        make_dossier(session, app_world, state="published")
        make_dossier(session, app_world, kind="plan", state="accepted")
        session.commit()
        head = current_head(session)
        session.close()
    return head


def _sql(app, *statements: str) -> None:
    with app.extensions["vinhdanh.engine"].begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def test_audit_verify_on_an_intact_log(runner, logged):
    seq, digest = logged
    result = runner.invoke(main, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert f"{seq}:{digest}" in result.output
    assert "Nhật ký toàn vẹn" in result.output and f"Sự kiện / events: {seq}" in result.output
    ok = runner.invoke(main, ["audit", "verify", "--expect-head", f"{seq}:{digest}"])
    assert ok.exit_code == 0, ok.output


def test_audit_verify_names_the_tampered_event(app, runner, logged):
    _sql(app, *DROP_TRIGGERS["sqlite"], "UPDATE audit_event SET reason = 'Đã bị sửa' WHERE seq = 4")
    result = runner.invoke(main, ["audit", "verify"])
    assert result.exit_code == 1
    assert "BROKEN at event 4" in result.output and "Nhật ký toàn vẹn" not in result.output
    # Vietnamese first, then English, never English alone after "LỖI".
    assert "LỖI tại sự kiện 4: các cột khác với nội dung đã được băm / BROKEN" in result.output
    assert "Đầu chuỗi / head: 3:" in result.output  # what still holds


def test_audit_verify_names_a_deleted_event(app, runner, logged):
    _sql(app, *DROP_TRIGGERS["sqlite"], "DELETE FROM audit_event WHERE seq = 2")
    result = runner.invoke(main, ["audit", "verify"])
    assert result.exit_code == 1 and "BROKEN at event 2" in result.output
    assert "LỖI tại sự kiện 2: thiếu sự kiện 2 (sự kiện tiếp theo là 3)" in result.output


def test_audit_verify_expect_head_mismatch(runner, logged):
    seq, digest = logged
    other = "0" * 63 + "1"
    for head in (f"{seq}:{other}", f"{seq + 5}:{digest}"):
        result = runner.invoke(main, ["audit", "verify", "--expect-head", head])
        assert result.exit_code == 1, result.output
        assert "expected head" in result.output
    bad = runner.invoke(main, ["audit", "verify", "--expect-head", "không-phải-đầu-chuỗi"])
    assert bad.exit_code == 2 and "SEQ:HASH" in bad.output


@pytest.mark.parametrize("kind", sorted(WORKFLOWS))
def test_workflow_diagram(runner, kind):
    result = runner.invoke(main, ["workflow", "diagram", kind])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "stateDiagram-v2"
    wdef = WORKFLOWS[kind]
    for state in wdef.states:
        assert f'state "{state.label_vi}" as {state.name}' in result.output
    edges = [line.strip() for line in lines if re.match(r"\s+\w+ --> \w+: ", line)]
    expected = {(s, t.dest, t.label_vi) for t in wdef.transitions for s in t.sources}
    assert {
        (e.split()[0], e.split()[2].rstrip(":"), e.split(": ", 1)[1].split(" (")[0]) for e in edges
    } == expected
    english = runner.invoke(main, ["workflow", "diagram", kind, "--lang", "en"])
    assert all(t.label_en in english.output for t in wdef.transitions)


def test_workflow_diagram_refuses_an_unknown_kind(runner):
    result = runner.invoke(main, ["workflow", "diagram", "bogus"])
    assert result.exit_code == 2


def test_db_upgrade_on_a_fresh_url(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'moi.db'}"
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "SECRET_KEY": "test-secret",
            "UPLOAD_DIR": str(tmp_path / "uploads"),
        }
    )
    try:
        runner = app.test_cli_runner()
        for _ in range(2):  # running it again changes nothing
            result = runner.invoke(main, ["db", "upgrade"])
            assert result.exit_code == 0, result.output
            assert "Database upgraded to head" in result.output
        engine = make_engine(url)
        assert {"dossier", "audit_event", "audit_head", "alembic_version"} <= set(
            inspect(engine).get_table_names()
        )
        with engine.connect() as connection:
            assert connection.execute(text("SELECT seq FROM audit_head")).scalar() == 0
        engine.dispose()
        verify = runner.invoke(main, ["audit", "verify"])
        assert verify.exit_code == 0 and "0:" + "0" * 64 in verify.output
    finally:
        app.extensions["vinhdanh.engine"].dispose()
