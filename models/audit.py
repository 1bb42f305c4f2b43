"""The append-only, hash-chained audit log and the guards that keep it append-only.

Hashing and verification live in ``workflow.core.audit``; this module owns the tables, the
database triggers (shared by ``create_all`` and the migrations) and an ORM flush guard.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    DDL,
    BigInteger,
    CheckConstraint,
    Index,
    Integer,
    String,
    Text,
    event,
    inspect,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base

GENESIS_HASH = "0" * 64


class AuditEvent(Base):
    """One event: a transition or a content change. Never updated, never deleted."""

    __tablename__ = "audit_event"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    occurred_at: Mapped[dt.datetime]
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_role: Mapped[str | None] = mapped_column(String(40))
    unit_id: Mapped[int | None] = mapped_column(Integer)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    changes: Mapped[str] = mapped_column(Text, default="{}")
    visibility: Mapped[str] = mapped_column(String(10), default="internal")
    canonical: Mapped[str] = mapped_column(Text)
    leaf_hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)  # a fork is a constraint error
    hash: Mapped[str] = mapped_column(String(64), unique=True)


AuditEvent.__table__.append_constraint(
    CheckConstraint("visibility IN ('public', 'internal')", name="visibility")
)
Index("ix_audit_event_entity", AuditEvent.entity_type, AuditEvent.entity_id)


class AuditHead(Base):
    """The single row holding the chain's head; locking it serialises appends."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    # The last event that can change what the public pages show (a public event, or one not
    # about a dossier: a unit, a decision, a campaign). A dossier's internal steps, most of a
    # deadline day's events, leave it alone, so what the public pages keep per (``shown_seq``,
    # ``shown_hash``: the chain's hash at that event) survives them.
    shown_seq: Mapped[int] = mapped_column(BigInteger, server_default="0")
    shown_hash: Mapped[str] = mapped_column(String(64), server_default=GENESIS_HASH)


class AuditTreeNode(Base):
    """The hash of one complete subtree of the Merkle tree over the events' leaf hashes.

    Node (level, position) covers leaves [position·2^level, (position+1)·2^level), leaf i
    being event seq i+1. Level 0 is not stored: it is ``audit_event.leaf_hash``. Written
    once, when the tree is extended to a checkpoint's size, so that a proof reads O(log n)
    rows instead of rehashing the log. A wrong row cannot forge anything: proofs are checked
    against a signed root, and a proof built from it fails.
    """

    __tablename__ = "audit_tree_node"

    level: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    position: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(String(64))


class AuditCheckpoint(Base):
    """A signed tree head, as published: the signed note's text and what it says."""

    __tablename__ = "audit_checkpoint"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tree_size: Mapped[int] = mapped_column(BigInteger, unique=True)
    root_hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[dt.datetime]
    # The verifier key (name+keyid+base64 key) that signed it, so a later key rotation
    # leaves every older checkpoint checkable.
    verifier_key: Mapped[str] = mapped_column(String(300))
    note: Mapped[str] = mapped_column(Text)


_MESSAGE = "audit_event is append-only"

SQLITE_TRIGGERS = [
    f"CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
    f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END",
    f"CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
    f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END",
]
POSTGRESQL_TRIGGERS = [
    "CREATE OR REPLACE FUNCTION audit_event_refuse() RETURNS trigger AS $$ "
    f"BEGIN RAISE EXCEPTION '{_MESSAGE}'; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse()",
    # Row triggers do not fire on TRUNCATE; only a statement trigger stops it.
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse()",
]
DROP_TRIGGERS = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_event_no_update",
        "DROP TRIGGER IF EXISTS audit_event_no_delete",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_event_no_change ON audit_event",
        "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",
        "DROP FUNCTION IF EXISTS audit_event_refuse()",
    ],
}
# The triggers whose absence (or, on PostgreSQL, disabling) leaves the log open to rewriting.
TRIGGER_NAMES = {
    "sqlite": ("audit_event_no_update", "audit_event_no_delete"),
    "postgresql": ("audit_event_no_change", "audit_event_no_truncate"),
}
_PRESENT_TRIGGERS = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'",
    # tgenabled 'D': disabled with ALTER TABLE … DISABLE TRIGGER, as good as gone.
    "postgresql": "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
    "WHERE c.relname = 'audit_event' AND c.relnamespace = to_regnamespace(current_schema()) "
    "AND NOT t.tgisinternal AND t.tgenabled <> 'D'",
}
GENESIS_SQL = f"INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '{GENESIS_HASH}')"


def append_only_ddl(dialect: str) -> list[str]:
    """The statements that make ``audit_event`` append-only on ``dialect``."""
    return {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS}.get(dialect, [])


def missing_append_only_triggers(connection: Connection) -> list[str]:
    """The names of the append-only triggers that are missing or disabled on ``connection``."""
    dialect = connection.dialect.name
    if dialect not in TRIGGER_NAMES:
        return []
    present = set(connection.exec_driver_sql(_PRESENT_TRIGGERS[dialect]).scalars())
    return [name for name in TRIGGER_NAMES[dialect] if name not in present]


def restore_append_only(connection: Connection) -> None:
    """Create the append-only triggers again (dropped first, so running it twice is harmless)."""
    dialect = connection.dialect.name
    for statement in [*DROP_TRIGGERS.get(dialect, []), *append_only_ddl(dialect)]:
        connection.exec_driver_sql(statement)


for _statement in SQLITE_TRIGGERS:
    event.listen(AuditEvent.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRESQL_TRIGGERS:
    event.listen(
        AuditEvent.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql")
    )
event.listen(AuditHead.__table__, "after_create", DDL(GENESIS_SQL))


class AuditRequired(RuntimeError):
    """A flush would change the audit log, or a dossier's state without an audit event."""


# session.info key: (entity type, id, state it moved to) of the events appended since the last
# flush. Events are written with Core, so the flush guard cannot find them in ``session.new``.
_AUDITED = "vinhdanh_audited"


def mark_audited(session: Session, entity_type: str, entity_id: int, to_state: str | None) -> None:
    """Record that an audit event for the entity was written in this session; the next flush
    may move its state to ``to_state`` (an event without one covers no state change)."""
    if to_state is not None:
        session.info.setdefault(_AUDITED, set()).add((entity_type, entity_id, to_state))


def forget_audited(session: Session, entity_type: str, entity_id: int, to_state: str) -> None:
    """The state change was written already (the engine's Core UPDATE): nothing left to cover."""
    session.info.get(_AUDITED, set()).discard((entity_type, entity_id, to_state))


@event.listens_for(Session, "before_flush")
def _guard_audit(session: Session, flush_context, instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent):
            raise AuditRequired(_MESSAGE)
    audited = session.info.get(_AUDITED, set())
    for obj in session.dirty:
        state_attr = getattr(type(obj), "__audited_state__", None)
        if not state_attr:
            continue
        history = inspect(obj).attrs[state_attr].history
        # Not ``history.deleted``: it is empty when the old state was not loaded (expired).
        if (
            history.has_changes()
            and (obj.__audit_entity__, obj.id, getattr(obj, state_attr)) not in audited
        ):
            raise AuditRequired(f"{obj!r} changed state without an audit event")


@event.listens_for(Session, "after_flush_postexec")
@event.listens_for(Session, "after_soft_rollback")
def _forget_audited(session: Session, *args) -> None:
    # An event covers the state change flushed with it, not a later one; a rolled-back
    # event covers nothing.
    session.info.pop(_AUDITED, None)
