"""The checkpoint signing key is never in a backup: the archive holds the database and the
content-addressed evidence only, and the key is neither (it lives beside them, outside the
database), so a stolen backup cannot sign a checkpoint."""

from __future__ import annotations

import tarfile

import pytest

from tests.fixtures.audit_tools import add_events
from tests.fixtures.web import app_db
from web import create_app
from web.support.checkpoints import signer
from workflow.backup import create_backup
from workflow.core.checkpoints import sign_checkpoint


@pytest.mark.db
def test_a_backup_never_holds_the_checkpoint_key(fresh_url, tmp_path):
    instance = tmp_path / "instance"
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": fresh_url,
            "SECRET_KEY": "test-secret",
            "UPLOAD_DIR": str(instance / "uploads"),
            "CHECKPOINT_KEY_FILE": str(instance / "checkpoint-ed25519.pem"),
        }
    )
    try:
        with app.app_context():
            found = signer(app, create=True)
            with app_db(app) as session:
                add_events(session, 5)
                assert sign_checkpoint(session, found).checkpoint is not None
        # Even a key copied into the evidence folder by mistake is not taken.
        (instance / "uploads").mkdir(parents=True, exist_ok=True)
        pem = (instance / "checkpoint-ed25519.pem").read_bytes()
        (instance / "uploads" / "checkpoint-ed25519.pem").write_bytes(pem)
        archive = tmp_path / "backup.tar.gz"
        create_backup(fresh_url, instance / "uploads", archive)
    finally:
        app.extensions["vinhdanh.engine"].dispose()
    secret = pem.split(b"-----")[2].strip()  # the base64 body of the private key
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        assert not [n for n in names if "checkpoint" in n or n.endswith(".pem")]
        for member in tar.getmembers():
            data = tar.extractfile(member).read() if member.isfile() else b""
            assert secret not in data, member.name
