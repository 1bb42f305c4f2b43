"""Whom a nomination or a hold may name: the current people and the active groups of units,
from the register, in the order forms list them (no Flask)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models import Collective, Person
from models.text import person_sort_key, vi_sort_key
from workflow.people.register import current_people


def people_to_choose(session: Session, unit_ids: Collection[int] | None = None) -> list[Person]:
    """The current people of ``unit_ids`` (of every unit when None), by unit then given name;
    each with its unit and group loaded."""
    query = current_people().options(selectinload(Person.unit), selectinload(Person.collective))
    query = query.where(
        Person.unit_id.in_(unit_ids) if unit_ids is not None else Person.unit_id.is_not(None)
    )
    return sorted(
        session.scalars(query),
        key=lambda p: (vi_sort_key(p.unit.name), person_sort_key(p.full_name), p.id),
    )


def groups_to_choose(session: Session, unit_ids: Collection[int]) -> list[Collective]:
    """The active collectives of ``unit_ids``: each unit itself first, then its groups."""
    rows = session.scalars(
        select(Collective)
        .options(selectinload(Collective.unit))
        .where(Collective.unit_id.in_(unit_ids), Collective.active.is_(True))
    )
    return sorted(
        rows,
        key=lambda c: (vi_sort_key(c.unit.name), c.kind != "unit", vi_sort_key(c.name), c.id),
    )
