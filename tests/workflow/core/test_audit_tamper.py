"""Tampering with the audit log by raw SQL (its triggers dropped first) is caught by
``verify()``, which names the first bad event; and the documented limits of a hash chain.

Each test runs inside the rolled-back test transaction, triggers included.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select, text, update

from models import AuditEvent
from tests.fixtures.audit_tools import (
    build_log,
    drop_triggers,
    forge_next,
    restore_triggers,
    rewrite,
    row,
    set_columns,
    set_head,
)
from workflow.core import audit
from workflow.core.audit import chain_hash, current_head, leaf_hash, verify


@pytest.fixture()
def log(session, world) -> int:
    """The number of events of an intact log, with the append-only triggers dropped."""
    count = build_log(session, world)
    assert count >= 20 and verify(session).ok
    drop_triggers(session)
    return count


def _broken_at(session, seq: int, words: str = "") -> None:
    result = verify(session)
    assert not result.ok and result.bad_seq == seq, result
    assert words in result.problem
    assert result.head_seq == seq - 1  # the part before it still verifies


@pytest.mark.db
def test_changed_canonical(session, log):
    middle = log // 2
    doc = json.loads(row(session, middle)["canonical"])
    doc["reason"] = "Lý do đã bị sửa"
    set_columns(session, middle, canonical=json.dumps(doc, ensure_ascii=False))
    _broken_at(session, middle, "leaf hash")


@pytest.mark.db
@pytest.mark.parametrize(
    "column,value",
    [
        ("actor_id", 999),
        ("to_state", "published"),
        ("reason", "Lý do khác"),
        ("actor_role", "admin"),
        ("changes", '{"sent_at":null}'),
        ("unit_id", 999),
        ("entity_type", "forged"),
        ("entity_id", 999_999),
        ("action", "forged"),
        ("from_state", "forged"),
    ],
)
def test_changed_column(session, log, column, value):
    middle = log // 2 + 1
    assert row(session, middle)[column] != value
    set_columns(session, middle, **{column: value})
    _broken_at(session, middle, "columns differ")


@pytest.mark.db
def test_changed_visibility(session, log):
    middle = log // 2 + 1
    old = row(session, middle)["visibility"]
    set_columns(session, middle, visibility="public" if old == "internal" else "internal")
    _broken_at(session, middle, "columns differ")


@pytest.mark.db
@pytest.mark.parametrize(
    "changes",
    [
        '{},"smuggled":1',  # a key the columns do not have, carried by the changes column
        '{"sent_at":null},"changes":{}',  # "changes" twice: a decoder keeps the last one
        '{"sent_at":null',  # not JSON at all
    ],
)
def test_changes_column_that_is_not_one_value(session, log, changes):
    """A forger who rewrites the last event and the head so that its canonical text is its
    columns' text, with a ``changes`` column that is not the writer's one JSON value: the text
    matches, the content does not."""
    last = row(session, log)
    canonical = last["canonical"].replace(
        f'"changes":{last["changes"]},', f'"changes":{changes},', 1
    )
    assert canonical != last["canonical"]
    leaf = leaf_hash(canonical)
    digest = chain_hash(last["prev_hash"], leaf)
    set_columns(session, log, changes=changes, canonical=canonical, leaf_hash=leaf, hash=digest)
    set_head(session, log, digest)
    _broken_at(session, log, "columns differ")


@pytest.mark.db
def test_the_writers_events_pass_the_quick_check(session, log, monkeypatch):
    """Every event the app writes is vouched for by the rebuilt canonical text: the full
    comparison is never needed for an intact log (it is what makes verify fast)."""

    def full_check(*args):
        raise AssertionError(f"event {args[0].seq} needed the full comparison")

    monkeypatch.setattr(audit, "_check_one", full_check)
    assert verify(session).count == log


@pytest.mark.db
def test_changed_time(session, log):
    table = AuditEvent.__table__  # typed, so each backend stores the time its own way
    session.execute(
        update(table)
        .where(table.c.seq == 3)
        .values(occurred_at=dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC))
    )
    _broken_at(session, 3, "columns differ")


@pytest.mark.db
def test_deleted_middle_event(session, log):
    session.execute(text("DELETE FROM audit_event WHERE seq = :s"), {"s": 7})
    _broken_at(session, 7, "event 7 is missing")


@pytest.mark.db
def test_inserted_forged_event(session, log):
    seq, _ = forge_next(session, template_seq=5)
    result = verify(session)
    assert not result.ok and result.bad_seq == seq == log + 1
    assert "stored head" in result.problem


@pytest.mark.db
def test_inserted_garbage_event(session, log):
    head_seq, head_hash = current_head(session)
    values = {**row(session, 4), "seq": head_seq + 1, "prev_hash": head_hash, "hash": "f" * 64}
    session.execute(
        text(
            f"INSERT INTO audit_event ({', '.join(values)}) "
            f"VALUES ({', '.join(':' + c for c in values)})"
        ),
        values,
    )
    set_head(session, head_seq + 1, "f" * 64)
    _broken_at(session, head_seq + 1)


@pytest.mark.db
def test_swapped_sequence_numbers(session, log):
    session.execute(text("UPDATE audit_event SET seq = -1 WHERE seq = 4"))
    session.execute(text("UPDATE audit_event SET seq = 4 WHERE seq = 9"))
    session.execute(text("UPDATE audit_event SET seq = 9 WHERE seq = -1"))
    _broken_at(session, 4, "previous hash")


@pytest.mark.db
def test_rehashing_one_event_breaks_the_next_link(session, log):
    middle = log // 2
    rewrite(session, middle, row(session, middle)["prev_hash"], reason="Lý do viết lại")
    _broken_at(session, middle + 1, "previous hash")


@pytest.mark.db
def test_rehashing_the_last_event_breaks_the_stored_head(session, log):
    rewrite(session, log, row(session, log)["prev_hash"], reason="Lý do viết lại")
    result = verify(session)
    assert not result.ok and result.bad_seq == log and "stored head" in result.problem


@pytest.mark.db
def test_truncated_tail_without_resetting_the_head(session, log):
    session.execute(text("DELETE FROM audit_event WHERE seq > :s"), {"s": log - 2})
    result = verify(session)
    assert not result.ok and result.bad_seq == log - 1


@pytest.mark.db
def test_deleted_head_row(session, log):
    session.execute(text("DELETE FROM audit_head"))
    result = verify(session)
    assert not result.ok and "head" in result.problem


# --- The limits of a hash chain, and how a published head covers them ----------------------


@pytest.mark.db
def test_limit_truncated_tail_with_head_reset(session, log):
    """Cutting the tail and moving the stored head back leaves a consistent, shorter chain:
    only a head noted earlier (e.g. from the public page) shows the loss."""
    published = current_head(session)
    keep = log - 3
    session.execute(text("DELETE FROM audit_event WHERE seq > :s"), {"s": keep})
    set_head(session, keep, row(session, keep)["hash"])
    restore_triggers(session)
    assert verify(session).ok
    result = verify(session, expect_head=published)
    assert not result.ok and result.bad_seq == keep + 1 and "expected head" in result.problem


@pytest.mark.db
def test_limit_rewriting_everything(session, log):
    """Whoever rewrites and re-hashes every event after a change makes a chain that verifies
    on its own; it no longer ends at the head that was published."""
    published = current_head(session)
    middle = log // 2
    prev = row(session, middle)["prev_hash"]
    prev = rewrite(session, middle, prev, reason="Lịch sử bị viết lại")
    for seq in range(middle + 1, log + 1):
        prev = rewrite(session, seq, prev)
    set_head(session, log, prev)
    restore_triggers(session)
    assert verify(session).ok
    result = verify(session, expect_head=published)
    assert not result.ok and result.bad_seq == log and result.head_hash != published[1]


@pytest.mark.db
def test_verify_sees_the_database_not_the_session(session, world):
    """Tampering by another connection while this session holds the events is still seen."""
    count = build_log(session, world)
    loaded = session.scalars(select(AuditEvent)).all()  # now in the identity map
    assert len(loaded) == count
    drop_triggers(session)
    set_columns(session, 2, reason="Sửa sau lưng phiên làm việc")
    _broken_at(session, 2, "columns differ")
