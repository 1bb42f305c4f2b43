"""Signed checkpoints over the stored Merkle tree: signing, the note format, proofs served
from the stored nodes, and every bad checkpoint named by its verdict."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import stat

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select, update

from models import AuditEvent, AuditTreeNode
from models.clock import utcnow
from tests.fixtures.audit_tools import add_events
from workflow.core import checkpoints, merkle
from workflow.core.checkpoints import Signer, VerifierKey

ORIGIN = "vinhdanh.test/audit"


@pytest.fixture()
def signer() -> Signer:
    return Signer(ORIGIN, Ed25519PrivateKey.generate())


def test_the_key_is_made_once_private_and_then_kept(tmp_path):
    path = tmp_path / "instance" / "checkpoint.pem"
    assert checkpoints.load_key(path) is None
    made = checkpoints.load_key(path, create=True)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    again = checkpoints.load_key(path, create=True)
    raw = checkpoints.VerifierKey
    assert str(raw(ORIGIN, made.public_key().public_bytes_raw())) == str(
        raw(ORIGIN, again.public_key().public_bytes_raw())
    )


def test_the_note_follows_signed_note_and_tlog_checkpoint(signer):
    root = hashlib.sha256(b"root").digest()
    body = checkpoints.checkpoint_body(ORIGIN, 7, root, dt.datetime(2026, 12, 6, 2, tzinfo=dt.UTC))
    note = signer.sign(body)
    lines = note.split("\n")
    assert lines[:4] == [ORIGIN, "7", base64.b64encode(root).decode(), "time 2026-12-06T02:00:00Z"]
    assert lines[4] == "" and lines[5].startswith(f"— {ORIGIN} ") and lines[6] == ""
    blob = base64.b64decode(lines[5].split(" ")[2])
    public = signer.verifier_key.public_key
    assert blob[:4] == hashlib.sha256(ORIGIN.encode() + b"\n\x01" + public).digest()[:4]
    assert len(blob) == 4 + 64
    signer.private_key.public_key().verify(blob[4:], body.encode())
    key = VerifierKey.parse(str(signer.verifier_key))
    assert key == signer.verifier_key
    parsed, verdict = checkpoints.read_note(note, key)
    assert verdict.ok and parsed.size == 7 and parsed.root == root


def test_forged_altered_and_foreign_checkpoints_are_named(signer):
    note = signer.sign(checkpoints.checkpoint_body(ORIGIN, 7, bytes(32), utcnow()))
    key = signer.verifier_key
    altered = note.replace("\n7\n", "\n8\n", 1)
    assert checkpoints.read_note(altered, key)[1].code == "bad_signature"
    other = Signer(ORIGIN, Ed25519PrivateKey.generate())
    foreign = other.sign(checkpoints.checkpoint_body(ORIGIN, 7, bytes(32), utcnow()))
    verdict = checkpoints.read_note(foreign, key)[1]
    assert verdict.code == "other_key" and "khóa khác" in verdict.message("vi")
    assert checkpoints.read_note("xin chào", key)[1].code == "malformed"
    assert checkpoints.read_note(note.split("\n\n")[0] + "\n\n", key)[1].code == "other_key"
    with pytest.raises(ValueError):
        VerifierKey.parse(str(key).replace("+", "+00", 1))


@pytest.mark.db
def test_the_stored_tree_matches_the_tree_built_in_memory(session, signer):
    add_events(session, 37)
    leaves = [
        bytes.fromhex(h)
        for h in session.scalars(select(AuditEvent.leaf_hash).order_by(AuditEvent.seq))
    ]
    memory = merkle.MemoryTree(leaves)
    first = merkle.extend(session, 20)
    assert first.size == 20
    merkle.extend(session, 20)  # nothing left to write: no duplicate node
    assert merkle.extend(session).size == len(leaves)
    stored = merkle.StoredTree(session)
    for size in (1, 2, 20, 21, 32, len(leaves)):
        assert merkle.root_hash(stored, size) == merkle.root_hash(memory, size)
        assert merkle.consistency_proof(stored, 3, size if size >= 3 else 3) == (
            merkle.consistency_proof(memory, 3, size if size >= 3 else 3)
        )
    for index in (0, 19, 36):
        assert merkle.inclusion_proof(stored, index, 37) == merkle.inclusion_proof(
            memory, index, 37
        )


@pytest.mark.db
def test_sign_prove_and_check_a_kept_checkpoint(session, signer):
    add_events(session, 10)
    first = checkpoints.sign_checkpoint(session, signer).checkpoint
    assert first.tree_size == 10
    assert checkpoints.sign_checkpoint(session, signer).checkpoint is None  # nothing new
    add_events(session, 7)
    second = checkpoints.sign_checkpoint(session, signer).checkpoint
    assert second.tree_size == 17

    answer = checkpoints.inclusion(session, 9)
    assert answer.verdict.ok and answer.checkpoint.tree_size == 17
    assert "nằm trong điểm kiểm chứng" in answer.verdict.message("vi")
    data = answer.as_json()
    assert merkle.verify_inclusion(
        8,
        17,
        bytes.fromhex(data["leaf_hash"]),
        [bytes.fromhex(p) for p in data["proof"]],
        bytes.fromhex(data["root_hash"]),
    )
    assert checkpoints.included_in_checkpoint(session, 9).ok
    assert checkpoints.included_in_checkpoint(session, 10).code == "internal_event"
    assert checkpoints.included_in_checkpoint(session, 99).code == "unknown_event"
    add_events(session, 3)
    assert checkpoints.included_in_checkpoint(session, 18).code == "after_checkpoint"

    assert checkpoints.consistency(session, 10, 17).verdict.ok
    assert checkpoints.consistency(session, 17, 10).verdict.code == "sizes_order"
    assert checkpoints.consistency(session, 11, 17).verdict.code == "no_checkpoint_of_size"

    key = signer.verifier_key
    kept = checkpoints.check_kept(session, first.note, key)
    assert kept.ok and kept.code == "kept_holds" and kept.params["now"] == 20
    too_big = signer.sign(checkpoints.checkpoint_body(ORIGIN, 99, bytes(32), first.signed_at))
    assert checkpoints.check_kept(session, too_big, key).code == "bigger_than_log"
    # Signed by the right key but of another history: same size, another root.
    other_root = signer.sign(checkpoints.checkpoint_body(ORIGIN, 10, bytes(32), first.signed_at))
    assert checkpoints.check_kept(session, other_root, key).code == "kept_rewritten"


@pytest.mark.db
def test_a_tampered_tree_fails_the_proofs_and_stops_signing(session, signer):
    add_events(session, 12)
    checkpoints.sign_checkpoint(session, signer)
    session.execute(
        update(AuditTreeNode)
        .where(AuditTreeNode.level == 3, AuditTreeNode.position == 0)
        .values(hash="ab" * 32)
    )
    assert checkpoints.included_in_checkpoint(session, 9).code == "proof_failed"
    add_events(session, 3)
    signed = checkpoints.sign_checkpoint(session, signer)
    assert signed.checkpoint is None and signed.verdict.code == "tree_disagrees"
