"""The hash-chained audit log: canonical form, append and verify.

leaf = SHA256(0x00 ‖ canonical), hash = SHA256(0x01 ‖ prev_hash ‖ leaf), as RFC 6962
separates leaves from nodes. ``canonical`` is stored as hashed, and verification checks
both the hashes and that the columns say what ``canonical`` says.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Optional

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from models import GENESIS_HASH, AuditEvent, AuditHead

FORMAT_VERSION = 1


def _normalise(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, Mapping):
        return {str(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normalise(v) for v in value]
    if isinstance(value, dt.datetime):
        return format_time(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int)):
        return value
    raise TypeError(f"cannot put {type(value).__name__} in an audit event")  # floats included


def canonical_json(obj: Mapping[str, Any]) -> str:
    """Sorted keys, no spaces, UTF-8, NFC strings, no floats: the exact bytes that are hashed."""
    return json.dumps(_normalise(obj), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def format_time(moment: dt.datetime) -> str:
    """UTC, microseconds, 'Z'."""
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def leaf_hash(canonical: str) -> str:
    return hashlib.sha256(b"\x00" + canonical.encode("utf-8")).hexdigest()


def chain_hash(prev_hash: str, leaf: str) -> str:
    return hashlib.sha256(b"\x01" + bytes.fromhex(prev_hash) + bytes.fromhex(leaf)).hexdigest()


# Audit columns and the canonical keys that carry them.
_FIELDS = (("seq", "seq"), ("at", "occurred_at"), ("actor_id", "actor_id"),
           ("actor_role", "actor_role"), ("unit_id", "unit_id"), ("entity_type", "entity_type"),
           ("entity_id", "entity_id"), ("action", "action"), ("from", "from_state"),
           ("to", "to_state"), ("reason", "reason"), ("visibility", "visibility"))


def _document(event: AuditEvent) -> dict[str, Any]:
    doc = {key: getattr(event, column) for key, column in _FIELDS}
    doc["at"] = format_time(event.occurred_at)
    doc["changes"] = json.loads(event.changes)
    doc["v"] = FORMAT_VERSION
    return doc


def append(session: Session, *, entity_type: str, entity_id: int, action: str,
           actor_id: Optional[int], actor_role: Optional[str], unit_id: Optional[int] = None,
           from_state: Optional[str] = None, to_state: Optional[str] = None,
           reason: Optional[str] = None, changes: Optional[Mapping[str, Any]] = None,
           public: bool = False, now: Optional[dt.datetime] = None) -> AuditEvent:
    """Append one event in the caller's transaction, under the head lock. Never commits.

    The head is read and moved with Core statements on the session's connection, so a
    batch of appends in one transaction always sees its own latest head.
    """
    connection = session.connection()
    head = connection.execute(
        select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1).with_for_update()).one()
    event = AuditEvent(
        seq=head.seq + 1, occurred_at=now or dt.datetime.now(dt.timezone.utc),
        actor_id=actor_id, actor_role=actor_role, unit_id=unit_id, entity_type=entity_type,
        entity_id=entity_id, action=action, from_state=from_state, to_state=to_state,
        reason=unicodedata.normalize("NFC", reason) if reason else None,
        changes=canonical_json(changes or {}), visibility="public" if public else "internal")
    event.canonical = canonical_json(_document(event))
    event.leaf_hash = leaf_hash(event.canonical)
    event.prev_hash = head.hash
    event.hash = chain_hash(head.hash, event.leaf_hash)
    connection.execute(AuditHead.__table__.update().where(AuditHead.id == 1)
                       .values(seq=event.seq, hash=event.hash))
    session.add(event)
    return event


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of :func:`verify`: the head, how many events, and the first problem."""

    ok: bool
    count: int
    head_seq: int
    head_hash: str
    bad_seq: Optional[int] = None
    problem: Optional[str] = None


def check_events(events: Iterable[Any], expect_head: Optional[tuple[int, str]] = None,
                 stored_head: Optional[tuple[int, str]] = None) -> VerifyResult:
    """Verify a stream of events (ORM rows or objects with the same attributes) in seq order."""
    prev_hash, expected_seq, count = GENESIS_HASH, 1, 0
    for event in events:
        problem = _check_one(event, expected_seq, prev_hash)
        if problem:
            return VerifyResult(False, count, expected_seq - 1, prev_hash, problem[0], problem[1])
        prev_hash, expected_seq, count = event.hash, expected_seq + 1, count + 1
    head = (expected_seq - 1, prev_hash)
    if stored_head is not None and tuple(stored_head) != head:
        return VerifyResult(False, count, *head, bad_seq=head[0] + 1 if stored_head[0] > head[0] else head[0],
                            problem=f"the stored head {stored_head[0]}:{stored_head[1][:12]}… "
                                    f"does not match the last event {head[0]}:{head[1][:12]}…")
    if expect_head is not None and tuple(expect_head) != head:
        seq, digest = expect_head
        return VerifyResult(False, count, *head, bad_seq=min(seq, head[0] + 1),
                            problem=f"expected head {seq}:{digest[:12]}… but the log ends at "
                                    f"{head[0]}:{head[1][:12]}…")
    return VerifyResult(True, count, *head)


def _check_one(event: Any, expected_seq: int, prev_hash: str) -> Optional[tuple[int, str]]:
    if event.seq != expected_seq:
        return expected_seq, f"event {expected_seq} is missing (next is {event.seq})"
    if event.prev_hash != prev_hash:
        return event.seq, "its previous hash does not match the event before it"
    if leaf_hash(event.canonical) != event.leaf_hash:
        return event.seq, "its content does not match its leaf hash"
    if chain_hash(event.prev_hash, event.leaf_hash) != event.hash:
        return event.seq, "its hash does not match its leaf and previous hash"
    try:
        recorded = json.loads(event.canonical)
        matches = recorded == json.loads(canonical_json(_document(event)))
    except (ValueError, TypeError):
        matches = False
    if not matches:
        return event.seq, "its columns differ from the content that was hashed"
    return None


def verify(session: Session, expect_head: Optional[tuple[int, str]] = None) -> VerifyResult:
    """Recompute the whole chain from the database and compare it with the stored head."""
    head = session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).one_or_none()
    events = session.execute(select(AuditEvent).order_by(AuditEvent.seq)
                             .execution_options(yield_per=1000)).scalars()
    return check_events(events, expect_head, tuple(head) if head else None)


def current_head(session: Session) -> tuple[int, str]:
    """(seq, hash) of the chain's head, as published on the public page."""
    return tuple(session.execute(text("SELECT seq, hash FROM audit_head WHERE id = 1")).one())  # type: ignore[return-value]


def history(session: Session, entity_type: str, entity_id: int) -> list[AuditEvent]:
    """The events of one record, oldest first."""
    return list(session.scalars(select(AuditEvent).where(
        AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.seq)))
