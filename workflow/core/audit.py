"""The hash-chained audit log: canonical form, append and verify.

leaf = SHA256(0x00 ‖ canonical), hash = SHA256(0x01 ‖ prev_hash ‖ leaf), as RFC 6962
separates leaves from nodes. ``canonical`` is stored as hashed, and verification checks
both the hashes and that the columns say what ``canonical`` says.

Appended events wait in the session until its commit, which chains and writes them under the
head's lock (see :func:`append_many`): the head, the one row every writer needs, is held for
the instant before COMMIT. Seqs follow commit order; ``occurred_at`` is the action's time, so
it need not grow with ``seq``, and nothing here assumes it does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import operator
import re
import unicodedata
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Engine, bindparam, select
from sqlalchemy.engine import Connection
from sqlalchemy.event import listens_for
from sqlalchemy.orm import Session, SessionTransaction

from models import GENESIS_HASH, AuditEvent, AuditHead
from models.audit import mark_audited, missing_append_only_triggers
from models.clock import utcnow

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
    if moment.utcoffset() == _ZERO:  # every stored time: isoformat is ten times strftime's speed
        return moment.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_ZERO = dt.timedelta(0)


def leaf_hash(canonical: str) -> str:
    return hashlib.sha256(b"\x00" + canonical.encode("utf-8")).hexdigest()


def chain_hash(prev_hash: str, leaf: str) -> str:
    return hashlib.sha256(b"\x01" + bytes.fromhex(prev_hash) + bytes.fromhex(leaf)).hexdigest()


# Audit columns and the canonical keys that carry them.
EVENT_FIELDS = (
    ("seq", "seq"),
    ("at", "occurred_at"),
    ("actor_id", "actor_id"),
    ("actor_role", "actor_role"),
    ("unit_id", "unit_id"),
    ("entity_type", "entity_type"),
    ("entity_id", "entity_id"),
    ("action", "action"),
    ("from", "from_state"),
    ("to", "to_state"),
    ("reason", "reason"),
    ("visibility", "visibility"),
)


def _document(event: Any) -> dict[str, Any]:
    return _document_of(
        {column: getattr(event, column) for _, column in EVENT_FIELDS} | {"changes": event.changes}
    )


def _document_of(row: Mapping[str, Any]) -> dict[str, Any]:
    """The hashed document of an event given as its column values."""
    doc = {key: row[column] for key, column in EVENT_FIELDS}
    doc["at"] = format_time(row["occurred_at"])
    doc["changes"] = json.loads(row["changes"])
    doc["v"] = FORMAT_VERSION
    return doc


# Built once: every transition runs them.
# The head row: (seq, hash) of the chain and of the last event the public pages could show.
_READ_HEAD = select(AuditHead.seq, AuditHead.hash, AuditHead.shown_seq, AuditHead.shown_hash).where(
    AuditHead.id == 1
)
_LOCK_HEAD = _READ_HEAD.with_for_update()

_MOVE_HEAD = (
    AuditHead.__table__.update()
    .where(AuditHead.id == 1)
    .values(
        seq=bindparam("new_seq"),
        hash=bindparam("new_hash"),
        shown_seq=bindparam("shown_seq"),
        shown_hash=bindparam("shown_hash"),
    )
)


def shows_outside(entity_type: str, public: bool) -> bool:
    """Whether an event can change what the public pages show: a public event, or any event
    not about a dossier (a unit renamed, a decision issued). A dossier's internal step cannot:
    the public sees a dossier only through its public events."""
    return public or entity_type != "dossier"


def append(
    session: Session,
    *,
    entity_type: str,
    entity_id: int,
    action: str,
    actor_id: int | None,
    actor_role: str | None,
    unit_id: int | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    reason: str | None = None,
    changes: Mapping[str, Any] | None = None,
    public: bool = False,
    now: dt.datetime | None = None,
) -> AppendedEvent:
    """Record one event in the caller's transaction, to be chained and written at its
    commit (see :func:`append_many`). Never commits."""
    return append_many(
        session,
        [
            {
                "entity_type": entity_type,
                "entity_id": entity_id,
                "action": action,
                "actor_id": actor_id,
                "actor_role": actor_role,
                "unit_id": unit_id,
                "from_state": from_state,
                "to_state": to_state,
                "reason": reason,
                "changes": changes,
                "public": public,
                "now": now,
            }
        ],
    )[0]


def append_many(session: Session, events: Sequence[Mapping[str, Any]]) -> list[AppendedEvent]:
    """Record several events in order, each given as :func:`append`'s keyword arguments.

    Nothing is written yet: the events wait in the session, and the transaction's commit
    locks the head, chains every waiting event in the order appended, inserts them in one
    executemany and moves the head, after the session's own flush. So the head row, which
    every writer in the city needs, is locked for the instant before COMMIT, not for the rest
    of the request's transaction. A read of an audit table in the same
    transaction (the head, the log, the tree) writes the waiting events first, and so does
    reading an event's ``seq`` or hashes: the transaction sees its own events, as if written
    at once. A savepoint rolled back drops the events appended in it, a rollback all of them.
    """
    if not events:
        return []
    waiting = _waiting(session)
    appended = []
    for event in events:
        reason = event.get("reason")
        appended.append(
            AppendedEvent(
                waiting,
                occurred_at=event.get("now") or utcnow(),
                actor_id=event["actor_id"],
                actor_role=event["actor_role"],
                unit_id=event.get("unit_id"),
                entity_type=event["entity_type"],
                entity_id=event["entity_id"],
                action=event["action"],
                from_state=event.get("from_state"),
                to_state=event.get("to_state"),
                reason=unicodedata.normalize("NFC", reason) if reason else None,
                changes=canonical_json(event.get("changes") or {}),
                visibility="public" if event.get("public") else "internal",
            )
        )
        # The flush guard lets the entity's state move with its event, written or not.
        mark_audited(session, event["entity_type"], event["entity_id"], event.get("to_state"))
    waiting.events += appended
    return appended


_CHAIN_FIELDS = ("seq", "canonical", "leaf_hash", "prev_hash", "hash")
# The columns an appended event knows before it is chained.
_EVENT_COLUMNS = tuple(c.name for c in AuditEvent.__table__.columns if c.name not in _CHAIN_FIELDS)


class AppendedEvent:
    """An event appended in a transaction: its columns, as :class:`AuditEvent` names them.

    ``seq``, ``canonical`` and the hashes are known once the event is written: reading one
    while the event is waiting writes the transaction's waiting events (so the head is locked
    from then to the commit); after a rollback they are None. Not an ORM object, never in the
    session: ``session.get(AuditEvent, event.seq)`` loads the stored row.
    """

    __slots__ = ("_waiting", *_EVENT_COLUMNS, "written")

    def __init__(self, waiting: _Waiting | None, **columns: Any) -> None:
        self._waiting = waiting
        for name, value in columns.items():
            setattr(self, name, value)
        self.written: dict[str, Any] | None = None

    def _chain(self, name: str) -> Any:
        if self.written is None and self._waiting is not None:
            self._waiting.write()
        return None if self.written is None else self.written[name]

    seq = property(lambda self: self._chain("seq"))
    canonical = property(lambda self: self._chain("canonical"))
    leaf_hash = property(lambda self: self._chain("leaf_hash"))
    prev_hash = property(lambda self: self._chain("prev_hash"))
    hash = property(lambda self: self._chain("hash"))

    def __repr__(self) -> str:
        seq = "waiting" if self.written is None else self.written["seq"]
        return f"<AppendedEvent {seq} {self.entity_type} {self.entity_id} {self.action}>"


class _Waiting:
    """A session's events appended and not yet written, for one transaction.

    ``events`` holds every event appended in the transaction, the first ``count_written``
    of them in the database. ``marks``: savepoint → (len(events), count_written) when it
    began; a savepoint rolled back returns both to its mark (what the database kept of the
    events written inside it is gone with it: they wait again, to be chained anew).
    """

    __slots__ = ("connection", "events", "count_written", "marks")

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.events: list[AppendedEvent] = []
        self.count_written = 0
        self.marks: dict[SessionTransaction, tuple[int, int]] = {}

    def pending(self) -> bool:
        return self.count_written < len(self.events)

    def write(self) -> None:
        """Lock the head, chain and insert the waiting events, move the head."""
        todo = self.events[self.count_written :]
        if not todo:
            return
        # Counted first: the statements below must not find these events waiting.
        self.count_written = len(self.events)
        connection = self.connection
        head = connection.execute(_LOCK_HEAD).one()
        seq, prev, rows = head.seq, head.hash, []
        shown = (head.shown_seq, head.shown_hash)
        for event in todo:
            seq += 1
            row = {name: getattr(event, name) for name in _EVENT_COLUMNS}
            row["seq"] = seq
            row["canonical"] = canonical_json(_document_of(row))
            row["leaf_hash"] = leaf_hash(row["canonical"])
            row["prev_hash"] = prev
            row["hash"] = prev = chain_hash(prev, row["leaf_hash"])
            if shows_outside(event.entity_type, event.visibility == "public"):
                shown = (seq, prev)
            rows.append(row)
        connection.execute(_INSERT_EVENT, rows)
        connection.execute(
            _MOVE_HEAD,
            {"new_seq": seq, "new_hash": prev, "shown_seq": shown[0], "shown_hash": shown[1]},
        )
        for event, row in zip(todo, rows, strict=True):
            event.written = {name: row[name] for name in _CHAIN_FIELDS}

    def roll_back_to(self, savepoint: SessionTransaction) -> None:
        size, count_written = self.marks.pop(savepoint, (0, 0))
        for event in self.events[count_written:]:
            event.written = None
        for event in self.events[size:]:
            event._waiting = None
        del self.events[size:]
        self.count_written = count_written

    def drop(self) -> None:
        """The transaction ended: what is still waiting was rolled back with it."""
        for event in self.events[self.count_written :]:
            event._waiting = None
        self.events.clear()
        sharing = _OPEN.get(self.connection, [])
        if self in sharing:
            sharing.remove(self)
        if not sharing:
            _OPEN.pop(self.connection, None)


# session.info key: the session's _Waiting, from its first append to its transaction's end.
_WAITING = "vinhdanh_audit_waiting"
# Connection → the _Waiting of each session in a transaction on it (one, but for sessions
# joined to a test's connection): a statement run on the connection, through the session or
# not, sees the events written if it reads the audit.
_OPEN: weakref.WeakKeyDictionary[Connection, list[_Waiting]] = weakref.WeakKeyDictionary()


def _waiting(session: Session) -> _Waiting:
    waiting = session.info.get(_WAITING)
    if waiting is None:
        connection = session.connection()
        waiting = session.info[_WAITING] = _Waiting(connection)
        _OPEN.setdefault(connection, []).append(waiting)
    return waiting


def has_waiting(session: Session) -> bool:
    """Whether the session's transaction holds events its commit would write."""
    waiting = session.info.get(_WAITING)
    return waiting is not None and waiting.pending()


def write_waiting(session: Session) -> None:
    """Write the session's waiting events now (they would be at its commit)."""
    waiting = session.info.get(_WAITING)
    if waiting is not None:
        waiting.write()


@listens_for(Session, "before_commit")
def _write_at_commit(session: Session) -> None:
    waiting = session.info.get(_WAITING)
    if waiting is None or not waiting.pending() or session.in_nested_transaction():
        return  # a savepoint released: its events wait for the commit
    # The session's own rows first, so that the head is not held while they are written.
    session.flush()
    waiting.write()


@listens_for(Engine, "commit")
def _write_before_connection_commit(connection: Connection) -> None:
    # A commit of the connection itself (not through the session) takes the events along.
    for waiting in _OPEN.get(connection, ()):
        waiting.write()


@listens_for(Engine, "before_cursor_execute")
def _write_before_audit_statement(connection: Connection, cursor, statement: str, *args) -> None:
    # Checked on the SQL text, whatever sent it (the session, the connection, a driver string):
    # a statement naming an audit table sees the transaction's events.
    sharing = _OPEN.get(connection)
    if (
        sharing
        and "audit_" in statement  # the quick test: most statements say no here
        and _NAMES_AUDIT.search(statement)
        and any(w.pending() for w in sharing)
    ):
        for waiting in sharing:
            waiting.write()


@listens_for(Session, "after_transaction_create")
def _mark_savepoint(session: Session, transaction: SessionTransaction) -> None:
    waiting = session.info.get(_WAITING)
    if waiting is not None and transaction.nested:
        waiting.marks[transaction] = (len(waiting.events), waiting.count_written)


@listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    waiting = session.info.get(_WAITING)
    if waiting is None:
        return
    # What the database rolled back: the closed transaction's nearest savepoint, or the root.
    rolled_back = previous_transaction
    while not (rolled_back.nested or rolled_back.parent is None):
        rolled_back = rolled_back.parent
    if rolled_back.nested:
        waiting.roll_back_to(rolled_back)


@listens_for(Session, "after_transaction_end")
def _forget_waiting(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None and _WAITING in session.info:
        session.info.pop(_WAITING).drop()


# The audit's tables as SQL names them (``decision.audit_seq`` is not one).
_AUDIT_TABLES = [name for name in AuditEvent.metadata.tables if name.startswith("audit_")]
_NAMES_AUDIT = re.compile(rf"\b(?:{'|'.join(_AUDIT_TABLES)})\b")

_INSERT_EVENT = AuditEvent.__table__.insert()


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of :func:`verify`: the head, how many events, and the first problem."""

    ok: bool
    count: int
    head_seq: int
    head_hash: str
    bad_seq: int | None = None
    problem: str | None = None  # in English
    problem_vi: str | None = None  # the same in Vietnamese
    # Append-only triggers found missing or disabled: the chain may hold, but nothing stops
    # the next rewrite.
    missing_triggers: tuple[str, ...] = ()


def check_events(
    events: Iterable[Any],
    expect_head: tuple[int, str] | None = None,
    stored_head: tuple[int, str] | None = None,
    withheld_ok: bool = False,
) -> VerifyResult:
    """Verify a stream of events (ORM rows or objects with the same attributes) in seq order.

    ``withheld_ok``: an event whose ``canonical`` is None (an internal event in the public
    export) is checked by its links only: seq, previous hash and hash over its leaf hash.
    """
    prev_hash, expected_seq = GENESIS_HASH, 1
    for event in events:
        problem = _check_one(event, expected_seq, prev_hash, withheld_ok)
        if problem:
            return _broken(problem, expected_seq, prev_hash)
        prev_hash, expected_seq = event.hash, expected_seq + 1
    return _concluded(expected_seq - 1, prev_hash, expect_head, stored_head)


def _broken(
    problem: tuple[int, tuple[str, str]], expected_seq: int, prev_hash: str
) -> VerifyResult:
    bad, (vi, en) = problem
    return VerifyResult(False, expected_seq - 1, expected_seq - 1, prev_hash, bad, en, vi)


def _concluded(
    count: int,
    last_hash: str,
    expect_head: tuple[int, str] | None,
    stored_head: tuple[int, str] | None,
) -> VerifyResult:
    """The verdict on ``count`` intact events ending at ``last_hash``, against the heads."""
    head = (count, last_hash)
    if stored_head is not None and tuple(stored_head) != head:
        return VerifyResult(
            False,
            count,
            *head,
            bad_seq=head[0] + 1 if stored_head[0] > head[0] else head[0],
            problem=f"the stored head {stored_head[0]}:{stored_head[1][:12]}… "
            f"does not match the last event {head[0]}:{head[1][:12]}…",
            problem_vi=f"đầu chuỗi đã lưu {stored_head[0]}:{stored_head[1][:12]}… "
            f"không khớp với sự kiện cuối {head[0]}:{head[1][:12]}…",
        )
    if expect_head is not None and tuple(expect_head) != head:
        seq, digest = expect_head
        return VerifyResult(
            False,
            count,
            *head,
            bad_seq=min(seq, head[0] + 1),
            problem=f"expected head {seq}:{digest[:12]}… but the log ends at "
            f"{head[0]}:{head[1][:12]}…",
            problem_vi=f"đầu chuỗi mong đợi {seq}:{digest[:12]}… nhưng nhật ký kết thúc ở "
            f"{head[0]}:{head[1][:12]}…",
        )
    return VerifyResult(True, count, *head)


# What breaks a link of the chain, (Vietnamese, English).
_MISSING = (
    "thiếu sự kiện {seq} (sự kiện tiếp theo là {next})",
    "event {seq} is missing (next is {next})",
)
_PREV = (
    "mã băm liền trước không khớp với sự kiện trước nó",
    "its previous hash does not match the event before it",
)
_LEAF = ("nội dung không khớp với mã băm lá", "its content does not match its leaf hash")
_LINK = (
    "mã băm không khớp với mã băm lá và mã băm liền trước",
    "its hash does not match its leaf and previous hash",
)
_COLUMNS = (
    "các cột khác với nội dung đã được băm",
    "its columns differ from the content that was hashed",
)


def _check_one(
    event: Any, expected_seq: int, prev_hash: str, withheld_ok: bool = False
) -> tuple[int, tuple[str, str]] | None:
    if event.seq != expected_seq:
        vi, en = (w.format(seq=expected_seq, next=event.seq) for w in _MISSING)
        return expected_seq, (vi, en)
    if event.prev_hash != prev_hash:
        return event.seq, _PREV
    if withheld_ok and event.canonical is None:
        return _check_link(event)
    if leaf_hash(event.canonical) != event.leaf_hash:
        return event.seq, _LEAF
    if chain_hash(event.prev_hash, event.leaf_hash) != event.hash:
        return event.seq, _LINK
    try:
        recorded = json.loads(event.canonical)
        matches = _columns_match(event, recorded) or (
            recorded == json.loads(canonical_json(_document(event)))
        )
    except (ValueError, TypeError):
        matches = False
    if not matches:
        return event.seq, _COLUMNS
    return None


# The quick check that an event's columns say what its canonical content says: the content
# decoded once by the C JSON decoder and compared field by field with C-level getters, the time
# compared as an instant. Equal decides a match; anything else goes through the full
# comparison (``_document``), which alone decides a mismatch.
_PLAIN = tuple((k, c) for k, c in EVENT_FIELDS if k != "at")
_READ_COLUMNS = operator.attrgetter(*(c for _, c in _PLAIN))
_READ_RECORDED = operator.itemgetter(*(k for k, _ in _PLAIN))
_RECORDED_KEYS = frozenset([*(k for k, _ in EVENT_FIELDS), "changes", "v"])


def _columns_match(event: Any, recorded: Any) -> bool:
    try:
        return (
            isinstance(recorded, dict)
            and recorded.keys() == _RECORDED_KEYS
            and recorded["v"] == FORMAT_VERSION
            and _READ_RECORDED(recorded) == _READ_COLUMNS(event)
            and dt.datetime.fromisoformat(recorded["at"]) == event.occurred_at
            and recorded["changes"] == json.loads(event.changes)
        )
    except (TypeError, ValueError, AttributeError):
        return False


def _check_link(event: Any) -> tuple[int, tuple[str, str]] | None:
    try:
        linked = chain_hash(event.prev_hash, event.leaf_hash) == event.hash
    except (ValueError, TypeError):
        linked = False
    return None if linked else (event.seq, _LINK)


# Every column of the audit table, in the order :func:`check_rows` unpacks them.
EVENT_ROWS = select(
    *(
        AuditEvent.__table__.c[name]
        for name in (
            "seq",
            "occurred_at",
            "actor_id",
            "actor_role",
            "unit_id",
            "entity_type",
            "entity_id",
            "action",
            "from_state",
            "to_state",
            "reason",
            "changes",
            "visibility",
            "canonical",
            "leaf_hash",
            "prev_hash",
            "hash",
        )
    )
).order_by(AuditEvent.seq)

# The writer's own string encoder (what ``json.dumps(..., ensure_ascii=False)`` calls).
_STRING = json.encoder.encode_basestring
_INTEGER = int.__repr__

# The C scanner of one JSON value: (value, where it ends), or StopIteration.
_ONE_JSON_VALUE = json.JSONDecoder().scan_once
# "2026-12-06T02:00:00.000000Z", as :func:`format_time` writes it.
_TIME_DIGITS = 27


def check_rows(
    rows: Iterable[Any],
    expect_head: tuple[int, str] | None = None,
    stored_head: tuple[int, str] | None = None,
) -> VerifyResult:
    """:func:`check_events` over rows of :data:`EVENT_ROWS`, with the same checks, faster.

    Each event's canonical text is rebuilt from its columns with the writer's serializer and
    compared, as a string, with the stored one: equal means every column says what was
    hashed (the keys, their order and every value are in the text), with no JSON decoded
    but the ``changes`` column (which must be one JSON value, so that it cannot carry other
    keys). Each leaf hash is recomputed from the canonical bytes and each link from the
    previous digest, kept as bytes. Any event that is not equal this way goes through
    :func:`_check_one`, which alone names a problem: an event the quick check cannot vouch
    for (a time, a string or ``changes`` not written in canonical form) is checked in full.
    """
    sha256, string, integer = hashlib.sha256, _STRING, _INTEGER
    instant, one_value = dt.datetime.fromisoformat, _ONE_JSON_VALUE
    prev_hash, prev_digest, expected_seq = GENESIS_HASH, bytes.fromhex(GENESIS_HASH), 1
    for row in rows:
        (
            seq,
            at,
            actor_id,
            actor_role,
            unit_id,
            entity_type,
            entity_id,
            action,
            from_state,
            to_state,
            reason,
            changes,
            visibility,
            canonical,
            leaf_hex,
            prev_hex,
            hash_hex,
        ) = row
        try:
            leaf = sha256(b"\x00" + canonical.encode()).digest()
            link = sha256(b"\x01" + prev_digest + leaf).digest()
            head = (
                f'{{"action":{string(action)}'
                f',"actor_id":{"null" if actor_id is None else integer(actor_id)}'
                f',"actor_role":{"null" if actor_role is None else string(actor_role)},"at":"'
            )
            tail = (
                f'","changes":{changes}'
                f',"entity_id":{integer(entity_id)}'
                f',"entity_type":{string(entity_type)}'
                f',"from":{"null" if from_state is None else string(from_state)}'
                f',"reason":{"null" if reason is None else string(reason)}'
                f',"seq":{integer(seq)}'
                f',"to":{"null" if to_state is None else string(to_state)}'
                f',"unit_id":{"null" if unit_id is None else integer(unit_id)}'
                f',"v":{FORMAT_VERSION},"visibility":{string(visibility)}}}'
            )
            cut = len(head)
            intact = (
                seq == expected_seq
                and prev_hex == prev_hash
                and leaf.hex() == leaf_hex
                and link.hex() == hash_hex
                and len(canonical) == cut + _TIME_DIGITS + len(tail)
                and canonical.startswith(head)
                and canonical.endswith(tail)
                and instant(canonical[cut : cut + _TIME_DIGITS]) == at
                and (changes == "{}" or one_value(changes, 0)[1] == len(changes))
            )
        except (AttributeError, TypeError, ValueError, StopIteration):  # not as the writer wrote
            intact = False
        if intact:
            prev_hash, prev_digest, expected_seq = hash_hex, link, expected_seq + 1
            continue
        problem = _check_one(row, expected_seq, prev_hash)
        if problem:
            return _broken(problem, expected_seq, prev_hash)
        prev_hash, prev_digest, expected_seq = row.hash, bytes.fromhex(row.hash), expected_seq + 1
    return _concluded(expected_seq - 1, prev_hash, expect_head, stored_head)


def verify(session: Session, expect_head: tuple[int, str] | None = None) -> VerifyResult:
    """Recompute the whole chain from the database, compare it with the stored head, and check
    that the append-only triggers are in place."""
    result = _verify_chain(session, expect_head)
    missing = tuple(missing_append_only_triggers(session.connection()))
    if missing:
        return replace(result, ok=False, missing_triggers=missing)
    return result


def _verify_chain(session: Session, expect_head: tuple[int, str] | None) -> VerifyResult:
    head = session.execute(
        select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)
    ).one_or_none()
    # Plain rows, not ORM objects: events already in the session's identity map would come
    # back as they were loaded, hiding a change made in the database since.
    rows = session.connection().execute(EVENT_ROWS.execution_options(yield_per=1000))
    result = check_rows(rows, expect_head, tuple(head) if head else None)
    if head is None and result.ok:  # the genesis row always exists: a missing one was deleted
        return VerifyResult(
            False,
            result.count,
            result.head_seq,
            result.head_hash,
            result.head_seq,
            "the stored head (audit_head) is missing",
        )
    return result


def current_head(session: Session) -> tuple[int, str]:
    """(seq, hash) of the chain's head, as published on the public page."""
    return head_and_shown(session)[:2]


def head_and_shown(session: Session) -> tuple[int, str, int, str]:
    """(seq, hash) of the chain's head and of the last event that can change what the public
    sees (see :func:`shows_outside`), in one read."""
    return tuple(session.execute(_READ_HEAD).one())  # type: ignore[return-value]


_HISTORY = (
    select(AuditEvent)
    .where(
        AuditEvent.entity_type == bindparam("entity_type"),
        AuditEvent.entity_id == bindparam("entity_id"),
    )
    .order_by(AuditEvent.seq)
)


def history(session: Session, entity_type: str, entity_id: int) -> list[AuditEvent]:
    """The events of one record, oldest first."""
    params = {"entity_type": entity_type, "entity_id": entity_id}
    return list(session.scalars(_HISTORY, params))
