"""What the server writes to disk is readable by the server's user only (0600, dirs 0700)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from models import make_engine
from tests.fixtures.people import make_dossier
from web.config import from_environment
from workflow.dossiers.evidence import stored_path


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture()
def lax_umask() -> Iterator[None]:
    """The common default umask, under which plain creation gives 0644 files and 0755 dirs."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_the_sqlite_database_and_its_wal_and_shm_are_private(tmp_path, lax_umask):
    path = tmp_path / "instance" / "vinhdanh.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
            connection.execute(text("INSERT INTO t VALUES (1)"))
        with engine.connect() as connection:  # WAL and SHM exist while a connection is open
            connection.execute(text("SELECT x FROM t")).all()
            files = [path, path.with_name("vinhdanh.db-wal"), path.with_name("vinhdanh.db-shm")]
            assert all(f.exists() for f in files)
            assert {f.name: _mode(f) for f in files} == {f.name: 0o600 for f in files}
        assert _mode(path.parent) == 0o700
    finally:
        engine.dispose()


def test_the_instance_folder_and_the_secret_key_are_private(tmp_path, monkeypatch, lax_umask):
    instance = tmp_path / "new" / "instance"
    monkeypatch.setenv("VINHDANH_INSTANCE_DIR", str(instance))
    monkeypatch.delenv("VINHDANH_SECRET_KEY", raising=False)
    from_environment()
    assert _mode(instance) == 0o700
    assert _mode(instance / "secret_key") == 0o600


@pytest.mark.db
def test_evidence_files_and_their_folders_are_private(session, world, lax_umask):
    dossier = make_dossier(session, world, evidence_files=2)
    assert len(dossier.attachments) == 2
    for attachment in dossier.attachments:
        path = stored_path(world.upload_dir, attachment.sha256)
        assert _mode(path) == 0o600
        assert _mode(path.parent) == 0o700
    assert _mode(world.upload_dir) == 0o700
    assert not list(world.upload_dir.rglob("*.part"))
