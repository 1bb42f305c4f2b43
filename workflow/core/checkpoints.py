"""Signed checkpoints of the audit tree, and the proofs that go with them.

A checkpoint is a C2SP signed note (c2sp.org/signed-note, c2sp.org/tlog-checkpoint): the body
is the origin, the tree size, the base64 root hash and a ``time`` extension line; then a blank
line and ``— <name> <base64(key id ‖ Ed25519 signature)>``, the key id being the first four
bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key). Anyone holding one can later ask for a
consistency proof: the operator can no longer rewrite what came before it unnoticed.

The private key lives outside the database (a file the caller names, created once, 0600):
a backup or a copy of the database can never sign.

A checkpoint is not itself an audit event: it is the signed, published record of the log,
and an event per checkpoint would make each one stale the moment it was signed.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from models import AuditCheckpoint, AuditEvent
from models.clock import utcnow
from models.private_files import FILE_MODE, private_dir
from workflow.core import merkle
from workflow.core.audit import current_head, leaf_hash
from workflow.core.messages import Messages, render

ED25519 = b"\x01"  # the signed-note signature type of Ed25519
DASH = "\u2014"  # "—", which opens every signature line

CHECKPOINT_MESSAGES = Messages(
    {
        "included": (
            "Sự kiện số {seq} nằm trong điểm kiểm chứng có {size} sự kiện, ký lúc {time}; "
            "bằng chứng đã được kiểm tra và khớp.",
            "Event {seq} is in the checkpoint of {size} events signed at {time}; the proof was "
            "checked and holds.",
        ),
        "not_a_number": (
            "“{value}” không phải là một số thứ tự (số nguyên dương).",
            "“{value}” is not a sequence number (a positive whole number).",
        ),
        "unknown_event": (
            "Nhật ký không có sự kiện số {seq}.",
            "The log has no event {seq}.",
        ),
        "internal_event": (
            "Sự kiện số {seq} là sự kiện nội bộ: nội dung và bằng chứng của nó không công khai.",
            "Event {seq} is internal: its content and proof are not public.",
        ),
        "no_checkpoint": (
            "Chưa có điểm kiểm chứng nào được ký.",
            "No checkpoint has been signed yet.",
        ),
        "after_checkpoint": (
            "Sự kiện số {seq} được ghi sau điểm kiểm chứng mới nhất ({size} sự kiện); "
            "hãy chờ điểm kiểm chứng kế tiếp.",
            "Event {seq} was written after the latest checkpoint ({size} events); wait for "
            "the next one.",
        ),
        "proof_failed": (
            "Bằng chứng không khớp với mã gốc đã ký: nhật ký hoặc cây Merkle đã bị sửa.",
            "The proof does not match the signed root: the log or its Merkle tree was altered.",
        ),
        "sizes_order": (
            "Kích thước đầu ({old}) phải nhỏ hơn hoặc bằng kích thước sau ({new}).",
            "The first size ({old}) must not be larger than the second ({new}).",
        ),
        "no_checkpoint_of_size": (
            "Không có điểm kiểm chứng nào có {size} sự kiện.",
            "No checkpoint has {size} events.",
        ),
        "consistent": (
            "Điểm kiểm chứng {old} sự kiện là phần đầu của điểm kiểm chứng {new} sự kiện: "
            "lịch sử giữa hai lần ký không bị viết lại.",
            "The checkpoint of {old} events is a prefix of the checkpoint of {new} events: "
            "history was not rewritten between them.",
        ),
        "inconsistent": (
            "Điểm kiểm chứng {old} sự kiện và điểm kiểm chứng {new} sự kiện không khớp nhau: "
            "lịch sử đã bị viết lại.",
            "The checkpoints of {old} and {new} events do not agree: history was rewritten.",
        ),
        "malformed": (
            "Đây không phải là một điểm kiểm chứng đúng định dạng ({detail}).",
            "This is not a well-formed checkpoint ({detail}).",
        ),
        "other_key": (
            "Điểm kiểm chứng không có chữ ký của khóa “{key}”: nó do khóa khác ký, "
            "hoặc không được ký.",
            "The checkpoint carries no signature of the key “{key}”: another key signed it, "
            "or none did.",
        ),
        "bad_signature": (
            "Chữ ký không hợp lệ: điểm kiểm chứng đã bị sửa sau khi ký, hoặc bị giả mạo.",
            "The signature is invalid: the checkpoint was altered after signing, or forged.",
        ),
        "bigger_than_log": (
            "Điểm kiểm chứng nói nhật ký có {size} sự kiện, nhưng nhật ký hôm nay chỉ có {now}: "
            "nhật ký đã bị cắt bớt, hoặc điểm kiểm chứng không phải của nhật ký này.",
            "The checkpoint says the log had {size} events, but today it has only {now}: the "
            "log was cut short, or the checkpoint is not of this log.",
        ),
        "kept_holds": (
            "Điểm kiểm chứng bạn giữ ({size} sự kiện, ký lúc {time}) khớp với nhật ký hôm nay "
            "({now} sự kiện): lịch sử trước nó không bị viết lại.",
            "The checkpoint you kept ({size} events, signed at {time}) agrees with today's log "
            "({now} events): the history before it was not rewritten.",
        ),
        "kept_rewritten": (
            "Điểm kiểm chứng bạn giữ ({size} sự kiện, ký lúc {time}) không khớp với nhật ký hôm "
            "nay: lịch sử đã bị viết lại sau khi điểm kiểm chứng được ký.",
            "The checkpoint you kept ({size} events, signed at {time}) does not agree with "
            "today's log: history was rewritten after it was signed.",
        ),
        "signed": ("Chữ ký hợp lệ.", "The signature is valid."),
        "tree_holds": (
            "Cây Merkle dựng lại từ nhật ký khớp với điểm kiểm chứng đã ký mới nhất ({size} sự "
            "kiện, ký lúc {time}).",
            "The Merkle tree rebuilt from the log matches the latest signed checkpoint ({size} "
            "events, signed at {time}).",
        ),
        "tree_rewritten": (
            "Nhật ký không còn khớp với điểm kiểm chứng đã ký mới nhất ({size} sự kiện, ký lúc "
            "{time}): lịch sử đã bị viết lại sau khi ký, hoặc điểm kiểm chứng đã bị sửa.",
            "The log no longer matches the latest signed checkpoint ({size} events, signed at "
            "{time}): history was rewritten after it was signed, or the checkpoint was altered.",
        ),
        "tree_disagrees": (
            "Cây Merkle của nhật ký không còn khớp với điểm kiểm chứng {size} sự kiện đã ký: "
            "không ký điểm mới. Hãy chạy “vinhdanh audit verify”.",
            "The log's Merkle tree no longer agrees with the signed checkpoint of {size} "
            "events: no new one is signed. Run “vinhdanh audit verify”.",
        ),
    }
)


@dataclass(frozen=True)
class Verdict:
    """The answer to a question about the log, in words: ``ok`` and why."""

    ok: bool
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, locale: str = "vi") -> str:
        """The verdict in ``locale`` ("vi" or "en")."""
        return render(self.code, self.params, locale, CHECKPOINT_MESSAGES.texts[self.code])

    def as_json(self) -> dict[str, Any]:
        """The verdict as every JSON answer starts: ok, and why in both languages."""
        return {"ok": self.ok, "verdict": self.message("vi"), "verdict_en": self.message("en")}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def key_id(name: str, public_key: bytes) -> bytes:
    """The signed-note key id: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public_key).digest()[:4]


def _raw(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass(frozen=True)
class VerifierKey:
    """A public key as signed notes name it: ``name+hex(key id)+base64(0x01 ‖ key)``."""

    name: str
    public_key: bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public_key)

    def __str__(self) -> str:
        return f"{self.name}+{self.key_id.hex()}+{_b64(ED25519 + self.public_key)}"

    @classmethod
    def parse(cls, text: str) -> VerifierKey:
        """Read ``name+keyid+key``; ValueError when it is not one, or its id does not match."""
        # Names never hold "+" (signed-note); base64 may, so split from the left.
        name, _, rest = text.strip().partition("+")
        hex_id, _, rest = rest.partition("+")
        try:
            data = _unb64(rest)
            wanted = bytes.fromhex(hex_id)
        except (ValueError, binascii.Error):
            raise ValueError("not a verifier key") from None
        if not name or len(data) != 33 or data[:1] != ED25519:
            raise ValueError("not an Ed25519 verifier key")
        key = cls(name, data[1:])
        if key.key_id != wanted:
            raise ValueError("the key id does not match the key")
        return key


@dataclass(frozen=True)
class Signer:
    """The log's signing key and the name its signatures carry (the origin)."""

    name: str
    private_key: Ed25519PrivateKey

    @property
    def verifier_key(self) -> VerifierKey:
        return VerifierKey(self.name, _raw(self.private_key.public_key()))

    def sign(self, body: str) -> str:
        """The signed note: ``body``, a blank line, the signature line."""
        signature = self.private_key.sign(body.encode("utf-8"))
        return f"{body}\n{DASH} {self.name} {_b64(self.verifier_key.key_id + signature)}\n"


def load_key(path: Path | str, create: bool = False) -> Ed25519PrivateKey | None:
    """The Ed25519 key in PEM at ``path``; created there (0600, exclusively) when ``create``
    and absent, else None when absent."""
    path = Path(path)
    if not path.exists():
        if not create:
            return None
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        private_dir(path.parent)
        try:  # O_EXCL: a second process creating it at the same moment keeps the first key
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        except FileExistsError:
            return load_key(path)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        return key
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 key")
    return key


# --- the note ------------------------------------------------------------------------------


def checkpoint_body(origin: str, size: int, root: bytes, signed_at: dt.datetime) -> str:
    """The checkpoint's body lines, each ending in a newline."""
    moment = signed_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{origin}\n{size}\n{_b64(root)}\ntime {moment}\n"


@dataclass(frozen=True)
class Checkpoint:
    """What a checkpoint's body says."""

    origin: str
    size: int
    root: bytes
    time: str | None


def read_note(text: str, key: VerifierKey) -> tuple[Checkpoint | None, Verdict]:
    """Parse a checkpoint and check its signature by ``key``: the checkpoint when it holds."""
    body, sep, signatures = text.partition("\n\n")
    if not sep or not text.endswith("\n"):
        return None, Verdict(False, "malformed", {"detail": "no blank line before a signature"})
    body += "\n"
    lines = body.splitlines()
    if len(lines) < 3:
        return None, Verdict(False, "malformed", {"detail": "fewer than three lines"})
    origin, size_text, root_text = lines[:3]
    time = next((line[5:] for line in lines[3:] if line.startswith("time ")), None)
    try:
        root = _unb64(root_text)
    except (ValueError, binascii.Error):
        root = b""
    if not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
        return None, Verdict(False, "malformed", {"detail": "the size is not a number"})
    if len(root) != 32:
        return None, Verdict(False, "malformed", {"detail": "the root is not a SHA-256 hash"})
    checkpoint = Checkpoint(origin, int(size_text), root, time)
    for line in signatures.splitlines():
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != DASH or parts[1] != key.name:
            continue
        try:
            blob = _unb64(parts[2])
        except (ValueError, binascii.Error):
            continue
        if blob[:4] != key.key_id:
            continue
        try:
            Ed25519PublicKey.from_public_bytes(key.public_key).verify(
                blob[4:], body.encode("utf-8")
            )
        except InvalidSignature:
            return None, Verdict(False, "bad_signature")
        return checkpoint, Verdict(True, "signed")
    return None, Verdict(False, "other_key", {"key": key.name})


# --- signing and storing -------------------------------------------------------------------


@dataclass(frozen=True)
class Signed:
    """The outcome of :func:`sign_checkpoint`: the checkpoint row, or why none was made."""

    checkpoint: AuditCheckpoint | None
    verdict: Verdict | None = None


def sign_checkpoint(session: Session, signer: Signer, now: dt.datetime | None = None) -> Signed:
    """Extend the tree to the log's head and sign its root, unless the latest checkpoint has
    this size already (nothing to add), or the tree no longer extends the latest checkpoint
    (then the log was rewritten: no signature may cover that)."""
    extended = merkle.extend(session)
    latest = latest_checkpoint(session)
    if latest is not None and latest.tree_size == extended.size:
        return Signed(None)
    store = merkle.StoredTree(session)
    root = merkle.root_hash(store, extended.size)
    if latest is not None:
        proof = merkle.consistency_proof(store, latest.tree_size, extended.size)
        if not merkle.verify_consistency(
            latest.tree_size, extended.size, bytes.fromhex(latest.root_hash), root, proof
        ):
            return Signed(None, Verdict(False, "tree_disagrees", {"size": latest.tree_size}))
    now = now or utcnow()
    body = checkpoint_body(signer.name, extended.size, root, now)
    row = AuditCheckpoint(
        tree_size=extended.size,
        root_hash=root.hex(),
        signed_at=now,
        verifier_key=str(signer.verifier_key),
        note=signer.sign(body),
    )
    session.add(row)
    session.flush()
    return Signed(row)


def latest_checkpoint(session: Session) -> AuditCheckpoint | None:
    return session.scalar(
        select(AuditCheckpoint).order_by(AuditCheckpoint.tree_size.desc()).limit(1)
    )


def checkpoint_of_size(session: Session, size: int) -> AuditCheckpoint | None:
    return session.scalar(select(AuditCheckpoint).where(AuditCheckpoint.tree_size == size))


def list_checkpoints() -> Select:
    """Every checkpoint, newest first: a select for the caller to page through."""
    return select(AuditCheckpoint).order_by(AuditCheckpoint.tree_size.desc())


def _time(checkpoint: AuditCheckpoint) -> str:
    return checkpoint.signed_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _signed_root(checkpoint: AuditCheckpoint) -> bytes | None:
    """The root the row's note carries, when its signature holds under the row's own key."""
    try:
        key = VerifierKey.parse(checkpoint.verifier_key)
    except ValueError:
        return None
    note, verdict = read_note(checkpoint.note, key)
    if note is None or note.size != checkpoint.tree_size:
        return None
    return note.root


# --- proofs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class InclusionAnswer:
    """An inclusion proof of one public event against the latest checkpoint, or why not."""

    verdict: Verdict
    event: AuditEvent | None = None
    checkpoint: AuditCheckpoint | None = None
    proof: tuple[bytes, ...] = ()

    def as_json(self) -> dict[str, Any]:
        data = self.verdict.as_json()
        if self.verdict.ok and self.event and self.checkpoint:
            data |= {
                "seq": self.event.seq,
                "leaf_index": self.event.seq - 1,
                "tree_size": self.checkpoint.tree_size,
                "canonical": self.event.canonical,
                "leaf_hash": self.event.leaf_hash,
                "proof": [p.hex() for p in self.proof],
                "root_hash": self.checkpoint.root_hash,
                "checkpoint": self.checkpoint.note,
            }
        return data


def inclusion(session: Session, seq: int) -> InclusionAnswer:
    """The proof that public event ``seq`` is in the latest checkpoint, checked before it is
    given; ``included_in_checkpoint`` is its verdict alone."""
    event = session.get(AuditEvent, seq) if 0 < seq < 1 << 62 else None
    if event is None:
        return InclusionAnswer(Verdict(False, "unknown_event", {"seq": seq}))
    if event.visibility != "public":
        return InclusionAnswer(Verdict(False, "internal_event", {"seq": seq}))
    latest = latest_checkpoint(session)
    if latest is None:
        return InclusionAnswer(Verdict(False, "no_checkpoint"), event)
    if seq > latest.tree_size:
        size = latest.tree_size
        return InclusionAnswer(Verdict(False, "after_checkpoint", {"seq": seq, "size": size}))
    root = _signed_root(latest)
    try:
        proof = merkle.inclusion_proof(merkle.StoredTree(session), seq - 1, latest.tree_size)
    except merkle.TreeIncomplete:
        proof = []
    leaf = bytes.fromhex(event.leaf_hash)
    if (
        root is None
        or leaf_hash(event.canonical) != event.leaf_hash
        or not merkle.verify_inclusion(seq - 1, latest.tree_size, leaf, proof, root)
    ):
        return InclusionAnswer(Verdict(False, "proof_failed"), event, latest)
    params = {"seq": seq, "size": latest.tree_size, "time": _time(latest)}
    return InclusionAnswer(Verdict(True, "included", params), event, latest, tuple(proof))


def included_in_checkpoint(session: Session, seq: int) -> Verdict:
    """Whether public event ``seq`` is in the latest signed checkpoint, with the proof checked
    against the signed root: ``ok`` and the words to show (``verdict.message(locale)``);
    ``params`` holds ``size`` and ``time`` when it is."""
    return inclusion(session, seq).verdict


@dataclass(frozen=True)
class ConsistencyAnswer:
    """A consistency proof between two checkpoints, or why not."""

    verdict: Verdict
    old: AuditCheckpoint | None = None
    new: AuditCheckpoint | None = None
    proof: tuple[bytes, ...] = ()

    def as_json(self) -> dict[str, Any]:
        data = self.verdict.as_json()
        if self.old and self.new and self.verdict.ok:
            data |= {
                "from": self.old.tree_size,
                "to": self.new.tree_size,
                "from_root_hash": self.old.root_hash,
                "to_root_hash": self.new.root_hash,
                "proof": [p.hex() for p in self.proof],
                "from_checkpoint": self.old.note,
                "to_checkpoint": self.new.note,
            }
        return data


def consistency(session: Session, old: int, new: int) -> ConsistencyAnswer:
    """The proof that the checkpoint of ``old`` events is a prefix of that of ``new``."""
    if old > new:
        return ConsistencyAnswer(Verdict(False, "sizes_order", {"old": old, "new": new}))
    rows = []
    for size in (old, new):
        row = checkpoint_of_size(session, size) if size < 1 << 62 else None
        if row is None:
            return ConsistencyAnswer(Verdict(False, "no_checkpoint_of_size", {"size": size}))
        rows.append(row)
    first, second = rows
    roots = _signed_root(first), _signed_root(second)
    try:
        proof = merkle.consistency_proof(merkle.StoredTree(session), old, new)
    except merkle.TreeIncomplete:
        proof = [b""]
    holds = (
        roots[0] is not None
        and roots[1] is not None
        and merkle.verify_consistency(old, new, roots[0], roots[1], proof)
    )
    code = "consistent" if holds else "inconsistent"
    verdict = Verdict(holds, code, {"old": old, "new": new})
    return ConsistencyAnswer(verdict, first, second, tuple(proof))


def check_kept(session: Session, text: str, key: VerifierKey) -> Verdict:
    """Check a checkpoint someone kept against today's log, with a consistency proof from its
    size to the log's: the log is not read in full."""
    note, verdict = read_note(text, key)
    if note is None:
        return verdict
    params = {"size": note.size, "time": note.time or "?"}
    now = current_head(session)[0]
    if note.size > now:
        return Verdict(False, "bigger_than_log", params | {"now": now})
    extended = merkle.extend(session)
    store = merkle.StoredTree(session)
    root = merkle.root_hash(store, extended.size)
    try:
        proof = merkle.consistency_proof(store, note.size, extended.size)
    except merkle.TreeIncomplete:
        proof = [b""]
    holds = note.size == 0 or merkle.verify_consistency(
        note.size, extended.size, note.root, root, proof
    )
    return Verdict(holds, "kept_holds" if holds else "kept_rewritten", params | {"now": now})


def check_tree(session: Session) -> Verdict | None:
    """Rebuild the tree's root from every leaf up to the latest checkpoint and compare it with
    the signed root: a chain rewritten consistently (every hash recomputed) passes the chain's
    own check, never this one without the key. None when no checkpoint exists."""
    latest = latest_checkpoint(session)
    if latest is None:
        return None
    leaves = session.connection().execute(
        select(AuditEvent.leaf_hash)
        .where(AuditEvent.seq <= latest.tree_size)
        .order_by(AuditEvent.seq)
        .execution_options(yield_per=10_000)
    )
    size, root = merkle.root_of_leaves(bytes.fromhex(h) for (h,) in leaves)
    params = {"size": latest.tree_size, "time": _time(latest)}
    holds = size == latest.tree_size and root == _signed_root(latest)
    return Verdict(holds, "tree_holds" if holds else "tree_rewritten", params)
