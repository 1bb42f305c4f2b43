"""Hypothesis picks an event, a field and a mutation; ``verify()`` must name the right event.

The log is built once per backend test; each example changes it inside a savepoint that is
rolled back, with the append-only triggers dropped (as an attacker with database access would).
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from sqlalchemy import select, text, update

from models import AuditEvent
from tests.fixtures.audit_tools import (
    build_log,
    drop_triggers,
    forge_next,
    restore_triggers,
    rewrite,
    row,
)
from workflow.core.audit import canonical_json, verify

TABLE = AuditEvent.__table__
HEX = "0123456789abcdef"
words = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=30)
ident = st.integers(1, 2**31 - 1)
FIELDS = [
    "canonical",
    "actor_id",
    "actor_role",
    "unit_id",
    "entity_id",
    "entity_type",
    "action",
    "from_state",
    "to_state",
    "reason",
    "changes",
    "visibility",
    "occurred_at",
    "leaf_hash",
    "prev_hash",
    "hash",
]


def _nfc(value):
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def _changed(draw, column: str, old):
    """A value for ``column`` that differs from ``old`` in what the verifier compares."""
    if column in ("actor_id", "unit_id", "entity_id"):
        new = draw(ident)
    elif column in ("leaf_hash", "prev_hash", "hash"):
        new = draw(st.text(HEX, min_size=64, max_size=64))
    elif column == "canonical":
        at = draw(st.integers(0, len(old)))
        new = old[:at] + draw(st.sampled_from(' x{}",:0')) + old[at:]
    elif column == "changes":
        new = canonical_json(
            {**json.loads(old), draw(st.text(HEX, min_size=1, max_size=8)): draw(words)}
        )
    elif column == "visibility":
        new = "public" if old == "internal" else "internal"
    elif column == "occurred_at":
        new = old + dt.timedelta(microseconds=draw(st.integers(1, 10**12)))
    else:  # short strings: role, kind, action, states (VARCHAR(32) and more), reason
        new = draw(st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=32))
    if _nfc(new) == _nfc(old):
        new = (old + 1) if isinstance(old, int) else f"{old}x"
    return new


def _mutate(session, draw, count: int) -> int:
    """Apply one random mutation; the seq ``verify()`` must name."""
    kind = draw(st.sampled_from(["set", "delete", "swap", "rehash", "insert"]))
    seq = draw(st.integers(1, count))
    if kind == "set":
        column = draw(st.sampled_from(FIELDS))
        old = session.execute(TABLE.select().where(TABLE.c.seq == seq)).one()._mapping[column]
        new = _changed(draw, column, old)
        # A unique column's value held by another event (the first event's all-zero prev_hash,
        # say) is refused by the constraint: no tampering to find.
        assume(
            not (
                TABLE.c[column].unique
                and session.scalar(select(TABLE.c.seq).filter_by(**{column: new}))
            )
        )
        session.execute(update(TABLE).where(TABLE.c.seq == seq).values({column: new}))
        return seq
    if kind == "delete":
        session.execute(text("DELETE FROM audit_event WHERE seq = :s"), {"s": seq})
        return seq
    if kind == "swap":
        other = draw(st.integers(1, count).filter(lambda s: s != seq))
        low, high = sorted((seq, other))
        for old, new in ((low, -1), (high, low), (-1, high)):
            session.execute(
                text("UPDATE audit_event SET seq = :n WHERE seq = :o"), {"n": new, "o": old}
            )
        return low
    if kind == "rehash":
        rewrite(session, seq, row(session, seq)["prev_hash"], reason=draw(words))
        return seq + 1 if seq < count else seq
    return forge_next(session, template_seq=seq)[0]


@pytest.mark.db
def test_any_single_tampering_is_named(session, world):
    count = build_log(session, world)
    drop_triggers(session)

    tried = []

    @given(st.data())
    def check(data):
        tried.append(1)
        savepoint = session.begin_nested()
        try:
            expected = _mutate(session, data.draw, count)
            result = verify(session)
            # ``problem`` is the chain's own finding (the triggers are missing all along).
            assert not result.ok and result.problem, "tampering went unnoticed"
            assert result.bad_seq == expected, result
        finally:
            savepoint.rollback()

    check()
    restore_triggers(session)
    assert tried and verify(session).ok
