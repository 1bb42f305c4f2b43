"""The audit events of the Council secretary's own records: sessions, ballots and decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from workflow.core import audit
from workflow.core.actors import Actor, Role


def record_event(
    session: Session,
    entity_type: str,
    record: Any,
    actor: Actor,
    action: str,
    now: dt.datetime,
    *,
    from_state: str | None = None,
    to_state: str | None = None,
    changes: Mapping[str, Any] | None = None,
) -> None:
    """Append the event of ``action`` on ``record`` (a row with an ``id``), done by ``actor``
    as the Council's secretary, in the caller's transaction."""
    audit.append(
        session,
        entity_type=entity_type,
        entity_id=record.id,
        action=action,
        actor_id=actor.user_id,
        actor_role=Role.COUNCIL_SECRETARY.value,
        from_state=from_state,
        to_state=to_state,
        changes=changes,
        now=now,
    )


def record_events(
    session: Session,
    entity_type: str,
    actor: Actor,
    action: str,
    now: dt.datetime,
    events: Sequence[tuple[int, str | None, str | None, Mapping[str, Any]]],
) -> None:
    """The events of ``action`` on many records at once ((id, from state, to state, changes)
    each), chained in the given order with one head lock: a list's rows at its close."""
    audit.append_many(
        session,
        [
            {
                "entity_type": entity_type,
                "entity_id": record_id,
                "action": action,
                "actor_id": actor.user_id,
                "actor_role": Role.COUNCIL_SECRETARY.value,
                "from_state": from_state,
                "to_state": to_state,
                "changes": changes,
                "now": now,
            }
            for record_id, from_state, to_state, changes in events
        ],
    )
