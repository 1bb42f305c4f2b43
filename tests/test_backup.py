"""``vinhdanh backup`` and ``vinhdanh restore``: an archive taken while people keep working
restores into an empty database with every event and every file committed before it began."""

from __future__ import annotations

import io
import json
import tarfile
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from models import Attachment, AuditEvent, make_engine
from tests.fixtures.db import _pg_url
from tests.fixtures.people import PDF, build_world, inputs_for, make_dossier
from web import create_app
from web.cli import main
from workflow import fire
from workflow.core.audit import current_head
from workflow.dossiers import evidence
from workflow.dossiers.evidence import stored_path


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


@pytest.fixture()
def empty_url(backend, db_templates, tmp_path) -> str:
    """A database with no table at all, of the test's own."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'restored' / 'vinhdanh.db'}"
    name = f"vd_restore_{uuid.uuid4().hex[:10]}"
    db_templates._pg_create(name)  # dropped with the other test databases
    return _pg_url(name)


@pytest.fixture()
def source(fresh_url, tmp_path):
    """An app on a database with the cast and a few dossiers (events and files committed)."""
    app = _app(fresh_url, tmp_path / "uploads")
    session = app.extensions["vinhdanh.write"]()
    world = build_world(session, Path(app.config["UPLOAD_DIR"]))
    make_dossier(session, world, state="published")
    make_dossier(session, world, kind="plan", state="accepted")
    session.commit()
    session.close()
    yield app, world
    app.extensions["vinhdanh.engine"].dispose()


def _keep_working(app, world, stop: threading.Event, rounds: list[int]) -> None:
    """Draft, attach a file of its own, submit and approve dossiers until told to stop."""
    factory = app.extensions["vinhdanh.write"]
    staff, head = world.actor("staff_a"), world.actor("head_a")
    while not stop.is_set():
        with factory() as session:
            dossier = make_dossier(session, world, evidence_files=0)
            data = PDF + f"tệp {len(rounds)}".encode()
            evidence.attach(session, dossier.id, staff, "Minh chứng.pdf", data, world.upload_dir)
            session.commit()
            for trigger, person in (("submit", staff), ("unit_approve", head)):
                fire(session, dossier.id, trigger, person, inputs=inputs_for(trigger))
                session.commit()
        rounds.append(dossier.id)


def _events(url: str) -> dict[int, str]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return dict(connection.execute(select(AuditEvent.seq, AuditEvent.hash)).all())
    finally:
        engine.dispose()


def _attachments(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return set(connection.execute(select(Attachment.sha256)).scalars())
    finally:
        engine.dispose()


@pytest.mark.db
@pytest.mark.slow
def test_a_backup_taken_while_working_restores_everything_committed_before(
    source, empty_url, tmp_path
):
    app, world = source
    stop, rounds = threading.Event(), []
    worker = threading.Thread(target=_keep_working, args=(app, world, stop, rounds))
    worker.start()
    try:
        while len(rounds) < 2 and worker.is_alive():
            threading.Event().wait(0.05)
        with app.extensions["vinhdanh.read"]() as session:
            started_at = current_head(session)
        files_before = _attachments(app.config["DATABASE_URL"])
        archive = tmp_path / "sao-luu" / "vinhdanh.tar.gz"
        result = app.test_cli_runner().invoke(main, ["backup", str(archive)])
        rounds_during = len(rounds)
    finally:
        stop.set()
        worker.join()
    assert result.exit_code == 0, result.output
    assert "Đã sao lưu" in result.output and "Backed up" in result.output
    assert archive.stat().st_mode & 0o077 == 0
    assert len(rounds) > 2 and rounds_during >= 2

    target = _app(empty_url, tmp_path / "restored-uploads")
    try:
        restored = target.test_cli_runner().invoke(main, ["restore", str(archive)])
        assert restored.exit_code == 0, restored.output
        assert "Xong" in restored.output and "Done" in restored.output
        verify = target.test_cli_runner().invoke(main, ["audit", "verify"])
        assert verify.exit_code == 0, verify.output
    finally:
        target.extensions["vinhdanh.engine"].dispose()

    original, copy = _events(app.config["DATABASE_URL"]), _events(empty_url)
    seq = started_at[0]
    assert seq > 0 and all(copy.get(n) == original[n] for n in range(1, seq + 1))
    assert original[seq] == started_at[1]
    restored_files = _attachments(empty_url)
    assert files_before <= restored_files
    for sha256 in restored_files:
        path = stored_path(tmp_path / "restored-uploads", sha256)
        assert path.read_bytes() == stored_path(world.upload_dir, sha256).read_bytes()


def _rewrite(archive: Path, target: Path, change) -> None:
    """A copy of ``archive`` with ``change(name, data) -> data`` applied to every member."""
    with tarfile.open(archive) as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            data = change(member.name, old.extractfile(member).read())
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))


@pytest.mark.db
def test_restore_refuses_a_damaged_archive_or_a_database_in_use(
    source, empty_url, fresh_url, tmp_path
):
    app, _ = source
    archive = tmp_path / "vinhdanh.tar.gz"
    assert app.test_cli_runner().invoke(main, ["backup", str(archive)]).exit_code == 0
    again = app.test_cli_runner().invoke(main, ["backup", str(archive)])
    assert again.exit_code == 1 and "đã có" in again.output

    # The source database is not empty: refused before anything is written.
    in_use = app.test_cli_runner().invoke(main, ["restore", str(archive)])
    assert in_use.exit_code == 1
    assert "Cơ sở dữ liệu đích không trống" in in_use.output
    assert "The target database is not empty" in in_use.output

    def flip_a_file(name: str, data: bytes) -> bytes:
        return data + b"!" if name.startswith("uploads/") else data

    def claim_a_later_head(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["audit_head"]["seq"] += 1
        return json.dumps(manifest).encode()

    for change, vi, en in (
        (flip_a_file, "sai mã SHA-256", "does not match"),
        (claim_a_later_head, "Nhật ký sau khi khôi phục không toàn vẹn", "not intact"),
    ):
        damaged = tmp_path / f"{change.__name__}.tar.gz"
        _rewrite(archive, damaged, change)
        target = _app(empty_url, tmp_path / f"{change.__name__}-uploads")
        try:
            result = target.test_cli_runner().invoke(main, ["restore", str(damaged)])
        finally:
            target.extensions["vinhdanh.engine"].dispose()
        assert result.exit_code == 1, result.output
        assert vi in result.output and en in result.output and "Xong" not in result.output
