"""A forger's tools for the tampering tests: raw SQL on the audit table, triggers dropped."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from models.audit import DROP_TRIGGERS
from tests.fixtures.people import make_council_session, make_dossier
from workflow.core.audit import canonical_json, chain_hash, current_head, leaf_hash

# Canonical key of each column a forger may change.
COLUMN_KEYS = {
    "actor_id": "actor_id",
    "actor_role": "actor_role",
    "to_state": "to",
    "from_state": "from",
    "reason": "reason",
    "action": "action",
    "entity_id": "entity_id",
    "unit_id": "unit_id",
}


def build_log(session: Session, world) -> int:
    """A few dossiers of every kind moved around: returns the number of events."""
    council = make_council_session(session, world)
    make_dossier(session, world, state="published", council=council)
    make_dossier(session, world, state="returned", unit="b")
    make_dossier(session, world, kind="report", state="classified", council=council)
    make_dossier(session, world, kind="plan", state="accepted")
    return current_head(session)[0]


def drop_triggers(session: Session) -> None:
    """What a forger with database access does first (rolled back with the test)."""
    for statement in DROP_TRIGGERS[session.get_bind().dialect.name]:
        session.execute(text(statement))


def row(session: Session, seq: int) -> dict[str, Any]:
    return dict(
        session.execute(text("SELECT * FROM audit_event WHERE seq = :s"), {"s": seq})
        .mappings()
        .one()
    )


def set_columns(session: Session, seq: int, **values: Any) -> None:
    assignments = ", ".join(f"{name} = :{name}" for name in values)
    session.execute(
        text(f"UPDATE audit_event SET {assignments} WHERE seq = :seq"), {**values, "seq": seq}
    )


def rewrite(session: Session, seq: int, prev_hash: str, **changes: Any) -> str:
    """Change columns of event ``seq`` and re-hash it consistently on ``prev_hash``; its new
    hash."""
    doc = json.loads(row(session, seq)["canonical"])
    for column, value in changes.items():
        doc[COLUMN_KEYS[column]] = value
    canonical = canonical_json(doc)
    leaf = leaf_hash(canonical)
    digest = chain_hash(prev_hash, leaf)
    # Two steps, so the UNIQUE(prev_hash) never sees two rows with the same value mid-rewrite.
    set_columns(session, seq, prev_hash=f"{seq:064x}", hash=f"{seq + 1:064x}")
    set_columns(
        session,
        seq,
        canonical=canonical,
        leaf_hash=leaf,
        prev_hash=prev_hash,
        hash=digest,
        **changes,
    )
    return digest


def set_head(session: Session, seq: int, digest: str) -> None:
    session.execute(
        text("UPDATE audit_head SET seq = :s, hash = :h WHERE id = 1"), {"s": seq, "h": digest}
    )


def forge_next(session: Session, template_seq: int) -> tuple[int, str]:
    """Append a well-formed event after the head by raw INSERT, leaving the stored head alone."""
    head_seq, head_hash = current_head(session)
    source = row(session, template_seq)
    doc = json.loads(source["canonical"])
    doc.update(seq=head_seq + 1, reason="Sự kiện giả mạo")
    canonical = canonical_json(doc)
    leaf = leaf_hash(canonical)
    values = {
        **source,
        "seq": head_seq + 1,
        "reason": "Sự kiện giả mạo",
        "canonical": canonical,
        "leaf_hash": leaf,
        "prev_hash": head_hash,
        "hash": chain_hash(head_hash, leaf),
    }
    columns = ", ".join(values)
    session.execute(
        text(f"INSERT INTO audit_event ({columns}) VALUES ({', '.join(':' + c for c in values)})"),
        values,
    )
    return head_seq + 1, values["hash"]
