"""The register's entries: the unit's own collective, and probable duplicates (no Flask).

Merged entries (``Person.merged_into_id``) are kept for their history's sake but are never
offered, listed or matched again: ``current_people`` leaves them out.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from models import Collective, Person, Unit
from models.text import fold, nfc


def current_people() -> Select[tuple[Person]]:
    """People of the register that were not merged into another entry."""
    return select(Person).where(Person.merged_into_id.is_(None))


def unit_collective(session: Session, unit_id: int) -> Collective:
    """The collective that is the unit itself, created the first time it is asked for."""
    found = session.scalar(
        select(Collective).where(Collective.unit_id == unit_id, Collective.kind == "unit")
    )
    if found is None:
        unit = session.get_one(Unit, unit_id)
        found = Collective(unit_id=unit_id, name=unit.name, name_key=fold(unit.name), kind="unit")
        session.add(found)
        session.flush()
    return found


def probable_duplicates(
    session: Session,
    full_name: str,
    date_of_birth: dt.date | None,
    identity_number: str | None,
    exclude_id: int | None = None,
) -> list[Person]:
    """Entries that are probably the same person: the same identity number, or the same name
    and date of birth (in any unit)."""
    same = []
    if identity_number and nfc(identity_number):
        same.append(Person.identity_number == nfc(identity_number))
    if date_of_birth is not None:
        same.append(and_(Person.name_key == fold(full_name), Person.date_of_birth == date_of_birth))
    if not same:
        return []
    query = current_people().where(or_(*same)).order_by(Person.id)
    if exclude_id is not None:
        query = query.where(Person.id != exclude_id)
    return list(session.scalars(query))
