"""``vinhdanh audit checkpoint`` and ``vinhdanh audit verify --checkpoint``: the key made
once, checkpoints signed and stored, a kept checkpoint checked by consistency proof, and
each bad checkpoint named in words."""

from __future__ import annotations

import os
import stat

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text

from models.audit import DROP_TRIGGERS
from models.clock import utcnow
from tests.fixtures.audit_tools import (
    add_events,
    drop_triggers,
    restore_triggers,
    rewrite,
    row,
    set_head,
)
from tests.fixtures.web import app_db
from web.cli import main
from web.support.checkpoints import signer
from workflow.core.audit import current_head
from workflow.core.checkpoints import Signer, checkpoint_body


@pytest.fixture()
def keyed(app, tmp_path):
    app.config["CHECKPOINT_KEY_FILE"] = str(tmp_path / "instance" / "checkpoint.pem")
    app.config["CHECKPOINT_ORIGIN"] = "vinhdanh.test/audit"
    with app.app_context(), app_db(app) as session:
        add_events(session, 10)
    return tmp_path / "instance" / "checkpoint.pem"


def _kept(runner, tmp_path, name="kept.txt"):
    result = runner.invoke(main, ["audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    note = result.output.split("Đã ký điểm kiểm chứng")[0]
    path = tmp_path / name
    path.write_text(note, encoding="utf-8")
    return path, note


def test_checkpoint_makes_the_key_once_and_signs(app, runner, keyed, tmp_path):
    path, note = _kept(runner, tmp_path)
    assert note.startswith("vinhdanh.test/audit\n10\n") and "\n\n— vinhdanh.test/audit " in note
    assert stat.S_IMODE(os.stat(keyed).st_mode) == 0o600
    first_key = keyed.read_bytes()
    again = runner.invoke(main, ["audit", "checkpoint"])
    assert again.exit_code == 0 and "không ký thêm" in again.output
    with app.app_context(), app_db(app) as session:
        add_events(session, 2)
    _kept(runner, tmp_path, "second.txt")
    assert keyed.read_bytes() == first_key


def test_a_kept_checkpoint_holds_against_a_grown_log(app, runner, keyed, tmp_path):
    path, _ = _kept(runner, tmp_path)
    with app.app_context(), app_db(app) as session:
        add_events(session, 5)
    result = runner.invoke(main, ["audit", "verify", "--checkpoint", str(path)])
    assert result.exit_code == 0, result.output
    assert "khớp với nhật ký hôm nay (15 sự kiện)" in result.output


def test_bad_checkpoints_are_named(app, runner, keyed, tmp_path):
    path, note = _kept(runner, tmp_path)
    altered = tmp_path / "altered.txt"
    altered.write_text(note.replace("\n10\n", "\n9\n", 1), encoding="utf-8")
    result = runner.invoke(main, ["audit", "verify", "--checkpoint", str(altered)])
    assert result.exit_code == 1 and "Chữ ký không hợp lệ" in result.output

    other = Signer("vinhdanh.test/audit", Ed25519PrivateKey.generate())
    body = note.split("\n\n")[0] + "\n"
    foreign = tmp_path / "foreign.txt"
    foreign.write_text(other.sign(body), encoding="utf-8")
    result = runner.invoke(main, ["audit", "verify", "--checkpoint", str(foreign)])
    assert result.exit_code == 1 and "do khóa khác ký" in result.output
    # Checked with the other key given on purpose, its own note holds.
    key_file = tmp_path / "other-key.txt"
    key_file.write_text(str(other.verifier_key), encoding="utf-8")
    args = ["audit", "verify", "--checkpoint", str(foreign), "--key", str(key_file)]
    assert runner.invoke(main, args).exit_code == 0

    garbage = tmp_path / "garbage.txt"
    garbage.write_text("không phải điểm kiểm chứng", encoding="utf-8")
    result = runner.invoke(main, ["audit", "verify", "--checkpoint", str(garbage)])
    assert result.exit_code == 1 and "không phải là một điểm kiểm chứng" in result.output


def test_a_rewritten_history_fails_the_kept_checkpoint(app, runner, keyed, tmp_path):
    path, note = _kept(runner, tmp_path)
    # The forger rewrites event 3's leaf and rebuilds the tree from the rewritten leaves.
    with app.extensions["vinhdanh.engine"].begin() as connection:
        for statement in DROP_TRIGGERS["sqlite"]:
            connection.execute(text(statement))
        connection.execute(text(f"UPDATE audit_event SET leaf_hash = '{'ab' * 32}' WHERE seq = 3"))
        connection.execute(text("DELETE FROM audit_tree_node"))
        connection.execute(text("DELETE FROM audit_checkpoint"))
    result = runner.invoke(main, ["audit", "verify", "--checkpoint", str(path)])
    assert result.exit_code == 1
    assert "lịch sử đã bị viết lại sau khi điểm kiểm chứng được ký" in result.output


def test_a_checkpoint_bigger_than_the_log(app, runner, keyed, tmp_path):
    _kept(runner, tmp_path)
    with app.app_context():
        found = signer(app)
    forged = tmp_path / "future.txt"
    note = found.sign(checkpoint_body(found.name, 40, bytes(32), utcnow()))
    forged.write_text(note, encoding="utf-8")
    result = runner.invoke(main, ["audit", "verify", "--checkpoint", str(forged)])
    assert result.exit_code == 1 and "nhật ký hôm nay chỉ có 10" in result.output


def test_verify_without_a_key_asks_for_one(app, runner, keyed, tmp_path):
    kept = tmp_path / "x.txt"
    kept.write_text("x\n", encoding="utf-8")
    result = runner.invoke(main, ["audit", "verify", "--checkpoint", str(kept)])
    assert result.exit_code == 2 and "--key" in result.output


def test_a_consistent_rewrite_passes_the_chain_but_not_the_signed_tree(
    app, runner, keyed, tmp_path
):
    _kept(runner, tmp_path)
    assert (
        "khớp với điểm kiểm chứng đã ký mới nhất" in runner.invoke(main, ["audit", "verify"]).output
    )
    # The forger with database access but not the key re-hashes the whole chain after event 3.
    with app.app_context(), app_db(app) as session:
        drop_triggers(session)
        head = current_head(session)[0]
        prev = rewrite(session, 3, row(session, 3)["prev_hash"], reason="Lịch sử bị viết lại")
        for seq in range(4, head + 1):
            prev = rewrite(session, seq, prev)
        set_head(session, head, prev)
        restore_triggers(session)
    result = runner.invoke(main, ["audit", "verify"])
    assert result.exit_code == 1
    assert "BROKEN at event" not in result.output  # the chain alone holds
    assert "lịch sử đã bị viết lại sau khi ký" in result.output
