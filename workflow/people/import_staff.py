"""Staff lists: the people of a unit, their groups and memberships (no Flask)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from models import (
    Collective,
    Membership,
    Person,
    Unit,
)
from models.clock import utcnow
from workflow.core.errors import Violation
from workflow.people import columns as cols
from workflow.people.import_rows import (
    CHANGE_LABELS,
    IMPORT_MESSAGES,
    Context,
    Preview,
    Row,
    chunks,
    fold,
)
from workflow.people.register import unit_collective

_PERSON_FIELDS = ("full_name", "gender", "date_of_birth", "identity_number", "position")


_CONTACT_FIELDS = ("phone", "email")


_LIMITS = {"full_name": 255, "position": 255, "identity_number": 40, "phone": 40, "email": 255}


def _person_values(values: dict, problems: list[Violation]) -> dict[str, Any]:
    out = {
        "full_name": cols.text(values.get("full_name")),
        "gender": cols.gender(values.get("gender"), problems),
        "date_of_birth": cols.parse_date(
            values.get("date_of_birth"), "Ngày sinh (dd/mm/yyyy)", problems
        ),
        "identity_number": cols.identity(values.get("identity_number")) or None,
        "position": cols.text(values.get("position")) or None,
        "phone": cols.text(values.get("phone")) or None,
        "email": cols.text(values.get("email")) or None,
    }
    for key, limit in _LIMITS.items():
        if out[key] and len(out[key]) > limit:
            problems.append(
                cols.ROW_MESSAGES.violation(
                    "too_long", {"column": cols.column("people", key).vi, "max": limit}
                )
            )
    return out


def _group_kind(name: str) -> str:
    first = fold(name).split(" ", 1)[0]
    return {"phong": "office", "khoi": "block"}.get(first, "team")


def check_person(context: Context, found: Preview, row: Row, values: dict) -> None:
    problems = row.problems
    unit = context.row_unit(values, problems)
    data = _person_values(values, problems)
    number, born, key = data["identity_number"], data["date_of_birth"], fold(data["full_name"])
    if not number and not born:
        problems.append(IMPORT_MESSAGES.violation("need_key"))
    if unit is None or problems:
        return
    context.once(_natural_key(unit.id, number, key, born), row.number, problems)
    group = cols.text(values.get("group"))
    data["unit_id"], data["group"] = unit.id, group
    existing = _same_person(context, unit, data, problems)
    if problems:
        return
    if group and (unit.id, fold(group)) not in context.groups:
        found.new_groups.setdefault((unit.id, fold(group)), group)
    if existing is None:
        _note_duplicates(context, unit, data, row)
    else:
        row.changes = _changes(context, existing, data)
        row.action = "update" if row.changes else "unchanged"
        data["person"] = existing
    row.data = data


def _same_person(
    context: Context, unit: Unit, data: dict, problems: list[Violation]
) -> Person | None:
    number, born = data["identity_number"], data["date_of_birth"]
    if number:
        holder = context.by_id.get(number) or context.elsewhere_ids.get(number)
        if holder is not None and holder.unit_id != unit.id:
            problems.append(
                IMPORT_MESSAGES.violation(
                    "id_other_unit",
                    {
                        "number": number,
                        "name": holder.full_name,
                        "unit": context.unit_name(holder.unit_id),
                    },
                )
            )
            return None
        if holder is not None:
            return holder
    same = context.by_born.get((unit.id, fold(data["full_name"]), born)) if born else None
    if same is not None and number and same.identity_number not in (None, number):
        problems.append(
            IMPORT_MESSAGES.violation(
                "id_differs",
                {
                    "name": same.full_name,
                    "born": f"{born:%d/%m/%Y}",
                    "number": same.identity_number,
                },
            )
        )
    return same


def _note_duplicates(context: Context, unit: Unit, data: dict, row: Row) -> None:
    born = data["date_of_birth"]
    for other in context.elsewhere_names[fold(data["full_name"])]:
        if born and other.date_of_birth == born and other.unit_id != unit.id:
            row.notes.append(
                IMPORT_MESSAGES.violation(
                    "probable_duplicate",
                    {
                        "name": other.full_name,
                        "born": f"{born:%d/%m/%Y}",
                        "unit": context.unit_name(other.unit_id),
                    },
                )
            )


def _changes(context: Context, person: Person, data: dict) -> list[tuple[str, str]]:
    """The fields the row changes; an empty cell keeps what the register holds."""
    changed = [
        k for k in _PERSON_FIELDS + _CONTACT_FIELDS if data[k] and data[k] != getattr(person, k)
    ]
    group = context.groups.get((person.unit_id, fold(data["group"])))
    if data["group"] and (group is None or group.id != person.collective_id):
        changed.append("collective_id")
    return [CHANGE_LABELS[k] for k in changed]


def write_people(session: Session, found: Preview) -> None:
    groups = create_groups(session, found)
    fresh = [r.data for r in found.rows if r.action == "create"]
    if fresh:
        # A plain bulk INSERT, then the new ids read back by their stamp: RETURNING many rows
        # costs several times the INSERT itself on PostgreSQL.
        stamp = utcnow()
        session.execute(insert(Person.__table__), [_person_row(d, groups, stamp) for d in fresh])
        ids = _new_ids(session, {d["unit_id"] for d in fresh}, stamp)
        session.execute(
            insert(Membership.__table__),
            [
                {
                    "person_id": ids[
                        _natural_key(
                            d["unit_id"],
                            d["identity_number"],
                            fold(d["full_name"]),
                            d["date_of_birth"],
                        )
                    ],
                    "unit_id": d["unit_id"],
                    "collective_id": groups.get((d["unit_id"], fold(d["group"]))),
                    "position": d["position"],
                }
                for d in fresh
            ],
        )
    for row in found.rows:
        if row.action == "update":
            _update_person(row.data["person"], row.data, groups)


def _natural_key(unit_id: int, number: str | None, name_key: str, born: dt.date | None) -> tuple:
    """How a row of a staff list names a person of its unit (see ``Context.once``)."""
    return (unit_id, number) if number else (unit_id, name_key, born)


def _new_ids(session: Session, units: set[int], stamp: dt.datetime) -> dict[tuple, int]:
    columns = (Person.id, Person.unit_id, Person.identity_number, Person.name_key)
    found = {}
    for chunk in chunks(units):
        query = select(*columns, Person.date_of_birth).where(
            Person.created_at == stamp, Person.unit_id.in_(chunk)
        )
        found |= {_natural_key(*row[1:]): row[0] for row in session.execute(query)}
    return found


def _person_row(
    data: dict, groups: dict[tuple[int, str], int], stamp: dt.datetime
) -> dict[str, Any]:
    number = data["identity_number"]
    return {
        **{k: data[k] for k in _PERSON_FIELDS + _CONTACT_FIELDS},
        "name_key": fold(data["full_name"]),
        "identity_kind": _identity_kind(number),
        "unit_id": data["unit_id"],
        "collective_id": groups.get((data["unit_id"], fold(data["group"]))),
        "version": 1,
        "created_at": stamp,
    }


def _identity_kind(number: str | None) -> str | None:
    if not number:
        return None
    return "national_id" if number.isdigit() and len(number) == 12 else "unit_code"


def _update_person(person: Person, data: dict, groups: dict[tuple[int, str], int]) -> None:
    for key in _PERSON_FIELDS + _CONTACT_FIELDS:
        if data[key] and data[key] != getattr(person, key):
            setattr(person, key, data[key])
    person.name_key = fold(person.full_name)
    person.identity_kind = _identity_kind(person.identity_number) or person.identity_kind
    group = groups.get((person.unit_id, fold(data["group"])))
    if group:
        person.collective_id = group
    current = [m for m in person.memberships if m.ends_on is None and m.unit_id == person.unit_id]
    for membership in current:
        membership.collective_id = group or membership.collective_id
        membership.position = data["position"] or membership.position


def create_groups(session: Session, found: Preview) -> dict[tuple[int, str], int]:
    for unit_id in found.new_unit_collectives:
        unit_collective(session, unit_id)
    for (unit_id, key), name in found.new_groups.items():
        session.add(Collective(unit_id=unit_id, name=name, name_key=key, kind=_group_kind(name)))
    session.flush()
    units = {r.data["unit_id"] for r in found.rows if r.data.get("unit_id")}
    return {
        (c.unit_id, c.name_key): c.id
        for chunk in chunks(units)
        for c in session.scalars(select(Collective).where(Collective.unit_id.in_(chunk)))
    }
