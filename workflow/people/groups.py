"""A unit's collectives: the unit itself (always there) and its groups (tổ, phòng, khối),
added, renamed and deactivated by the unit or the Office (no Flask). Members of a group are
the people whose current group it is. Every change is an audit event of the collective."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Collective, Person
from models.clock import utcnow
from models.people import COLLECTIVE_KINDS
from models.text import fold
from workflow.core import audit
from workflow.core.actors import Actor
from workflow.core.authz import may_keep_register, may_see_register_of, refuse_unless
from workflow.core.errors import EditRefused, NotFound, Violation
from workflow.people.entries import acting_role
from workflow.people.messages import bounded, choice, invalid
from workflow.people.register import current_people, unit_collective

LABELS = {"name": ("Tên tổ, phòng, khối", "Name"), "kind": ("Loại", "Kind")}
GROUP_KINDS = tuple(k for k in COLLECTIVE_KINDS if k != "unit")


def load_collective(session: Session, collective_id: int, actor: Actor | None) -> Collective:
    """A collective ``actor`` may see; NotFound otherwise."""
    found = session.get(Collective, collective_id)
    if found is None or not may_see_register_of(actor, found.unit_id):
        raise NotFound()
    return found


def collectives_of(session: Session, unit_id: int) -> list[tuple[Collective, int]]:
    """The unit's collectives (itself first, then its groups by name), with their number of
    current members."""
    members = (
        current_people()
        .with_only_columns(Person.collective_id, func.count())
        .where(Person.unit_id == unit_id)
        .group_by(Person.collective_id)
    )
    counts: dict[int | None, int] = {group: n for group, n in session.execute(members)}
    rows = session.scalars(select(Collective).where(Collective.unit_id == unit_id)).all()
    rows = sorted(rows, key=lambda c: (c.kind != "unit", not c.active, c.name_key))
    total = sum(counts.values())
    return [(c, total if c.kind == "unit" else counts.get(c.id, 0)) for c in rows]


def members_of(session: Session, collective: Collective) -> list[Person]:
    """The current people of the collective (all the unit's people for the unit itself)."""
    query = current_people().where(Person.unit_id == collective.unit_id)
    if collective.kind != "unit":
        query = query.where(Person.collective_id == collective.id)
    return list(session.scalars(query))


def _values(
    session: Session, unit_id: int, values: Mapping[str, Any], own_id: int | None
) -> dict[str, Any]:
    problems: list[Violation] = []
    name = bounded(values, "name", LABELS["name"], 255, problems, required=True)
    kind = choice(values, "kind", LABELS["kind"], GROUP_KINDS, problems)
    if name:
        taken = session.scalar(
            select(Collective.id).where(
                Collective.unit_id == unit_id, Collective.name_key == fold(name)
            )
        )
        if taken is not None and taken != own_id:
            problems.append(invalid(LABELS["name"], "đơn vị đã có tên này", "already in use"))
    if problems:
        raise EditRefused(problems)
    return {"name": name, "kind": kind}


def _audit(
    session: Session, actor: Actor, group: Collective, action: str, changes: Any, now: dt.datetime
) -> None:
    audit.append(
        session,
        entity_type="collective",
        entity_id=group.id,
        action=action,
        actor_id=actor.user_id,
        actor_role=acting_role(actor, group.unit_id),
        unit_id=group.unit_id,
        changes=changes,
        now=now,
    )


def add_group(
    session: Session,
    actor: Actor,
    unit_id: int,
    values: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> Collective:
    """Add a group to the unit. Audited ("create"). Never commits."""
    now = now or utcnow()
    refuse_unless(may_keep_register(actor, unit_id))
    unit_collective(session, unit_id)
    fields = _values(session, unit_id, values, None)
    group = Collective(unit_id=unit_id, name_key=fold(fields["name"]), **fields)
    session.add(group)
    session.flush()
    _audit(session, actor, group, "create", fields, now)
    return group


def change_group(
    session: Session,
    collective_id: int,
    actor: Actor,
    values: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> Collective:
    """Rename a group, change its kind, or (``active`` "0"/"1") deactivate or reactivate it.
    The unit itself is not changed here. Audited ("edit"). Never commits."""
    now = now or utcnow()
    group = load_collective(session, collective_id, actor)
    refuse_unless(may_keep_register(actor, group.unit_id) and group.kind != "unit")
    fields = _values(session, group.unit_id, values, group.id)
    fields["active"] = str(values.get("active", "1")) != "0"
    changed = {k: [getattr(group, k), v] for k, v in fields.items() if getattr(group, k) != v}
    for name, (_, new) in changed.items():
        setattr(group, name, new)
    group.name_key = fold(group.name)
    if changed:
        session.flush()
        _audit(session, actor, group, "edit", changed, now)
    return group
