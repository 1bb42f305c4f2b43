"""Shared checks of the workflow tests: snapshots and "refused and nothing changed"."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AuditEvent, AuditHead, Dossier
from workflow import NotFound, TransitionRefused, WorkflowError


class Snapshot(NamedTuple):
    """What a refusal must leave alone: the dossier's state and version, and the log."""

    state: str
    version: int
    events: int
    head: tuple[int, str]


_EVENTS = select(func.count()).select_from(AuditEvent).scalar_subquery()


def snapshot(session: Session, dossier_id: int) -> Snapshot:
    """Read from the database in one query (a pending in-memory change is flushed first, and
    shows)."""
    row = session.execute(
        select(Dossier.state, Dossier.version, _EVENTS, AuditHead.seq, AuditHead.hash)
        .join_from(Dossier, AuditHead, AuditHead.id == 1)
        .where(Dossier.id == dossier_id)
    ).one()
    return Snapshot(row[0], row[1], row[2], (row[3], row[4]))


def assert_refused(
    session: Session,
    dossier_id: int,
    call: Callable[[], object],
    code: str | None = None,
    errors: tuple[type[WorkflowError], ...] = (TransitionRefused, NotFound),
) -> WorkflowError:
    """``call`` raises one of ``errors`` (with violation ``code`` if given); nothing changed."""
    before = snapshot(session, dossier_id)
    with pytest.raises(errors) as info:
        call()
    if code is not None:
        assert code in [v.code for v in info.value.violations], info.value.violations
    assert snapshot(session, dossier_id) == before
    # The object in the session was not left half-moved either.
    assert session.get(Dossier, dossier_id).state == before.state
    return info.value


def new_events(session: Session, after_seq: int) -> list[AuditEvent]:
    """Events appended after ``after_seq``, oldest first."""
    return list(
        session.scalars(
            select(AuditEvent).where(AuditEvent.seq > after_seq).order_by(AuditEvent.seq)
        )
    )
