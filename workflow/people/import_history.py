"""Award history from past decisions: records of people and collectives (no Flask)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from models import (
    AwardRecord,
    AwardType,
    Collective,
    Unit,
)
from models.clock import utcnow
from workflow.core.errors import Violation
from workflow.people import columns as cols
from workflow.people.import_rows import (
    CHUNK,
    IMPORT_MESSAGES,
    Context,
    Preview,
    Row,
    chunks,
    fold,
)
from workflow.people.import_staff import create_groups
from workflow.people.register import unit_collective


def check_history(context: Context, found: Preview, row: Row, values: dict) -> None:
    problems = row.problems
    catalogue = context.catalogue
    unit = context.row_unit(values, problems)
    year = cols.parse_year(values.get("year"), problems) if values.get("year") else None
    award = catalogue.awards.get(fold(cols.text(values.get("award"))))
    if award is None and values.get("award"):
        problems.append(
            IMPORT_MESSAGES.violation("unknown_award", {"value": cols.text(values["award"])})
        )
    issuer = catalogue.issuers.get(fold(cols.text(values.get("issuer"))))
    if issuer is None and values.get("issuer"):
        problems.append(
            IMPORT_MESSAGES.violation("unknown_issuer", {"value": cols.text(values["issuer"])})
        )
    decided = cols.parse_date(values.get("decision_date"), "Ngày quyết định", problems)
    basis = cols.parse_choice(values.get("basis"), cols.BASIS_LABELS, "Loại khen thưởng", problems)
    target = _nominee(context, unit, award, values, problems) if unit else None
    if target is None or problems:
        return
    number = cols.text(values.get("decision_number"))
    context.once(("record", target, award.id, year, number), row.number, problems)
    row.label = target[2]
    row.data = {
        "unit_id": unit.id,
        "target": target,
        "award_type_id": award.id,
        "year": year,
        "decision_number": number,
        "decision_date": decided,
        "issuer_id": issuer.id,
        "basis": basis or "merit",
    }


def _nominee(
    context: Context, unit: Unit, award: AwardType | None, values: dict, problems: list[Violation]
) -> tuple[str, Any, str] | None:
    """("person", id, name) or ("collective", key, name); a unit's own collective may be new."""
    named = cols.text(values.get("full_name")) or cols.text(values.get("identity_number"))
    group = cols.text(values.get("collective"))
    if not named and not group:
        problems.append(IMPORT_MESSAGES.violation("nominee_needed"))
        return None
    collective_award = award is not None and award.nominee_kind == "collective"
    if award is not None and collective_award != (not named):
        code = "award_for_collective" if collective_award else "award_for_person"
        problems.append(IMPORT_MESSAGES.violation(code, {"award": award.name_vi}))
        return None
    if named:
        person = context.find(unit, values, problems)
        return ("person", person.id, person.full_name) if person else None
    if fold(group) == fold(unit.name):
        return ("collective", (unit.id, "unit"), unit.name)
    if (unit.id, fold(group)) in context.groups:
        return ("collective", (unit.id, fold(group)), group)
    problems.append(
        IMPORT_MESSAGES.violation("unknown_collective", {"unit": unit.name, "value": group})
    )
    return None


def _record_key(target: tuple, award_type_id: int, year: int, number: str) -> tuple:
    return (target[0], target[1], award_type_id, year, fold(number))


def plan_history(session: Session, found: Preview) -> None:
    good = [r for r in found.rows if r.data and not r.problems]
    people = {r.data["target"][1] for r in good if r.data["target"][0] == "person"}
    units = {r.data["unit_id"] for r in good}
    collectives = {
        c.id: c
        for chunk in chunks(units)
        for c in session.scalars(select(Collective).where(Collective.unit_id.in_(chunk)))
    }
    held = set()
    for chunk in chunks(people | {-1}):
        query = select(AwardRecord).where(
            or_(
                AwardRecord.person_id.in_(chunk),
                AwardRecord.collective_id.in_(list(collectives)[:CHUNK] or [-1]),
            )
        )
        for r in session.scalars(query):
            held.add(_held_key(r, collectives))
    for row in good:
        d = row.data
        known = _record_key(d["target"], d["award_type_id"], d["year"], d["decision_number"])
        row.action = "unchanged" if known in held else "create"


def _held_key(record: AwardRecord, collectives: dict[int, Collective]) -> tuple:
    if record.person_id:
        target: tuple = ("person", record.person_id)
    else:
        c = collectives.get(record.collective_id)
        key = (c.unit_id, "unit" if c.kind == "unit" else c.name_key) if c else None
        target = ("collective", key)
    return _record_key(target, record.award_type_id, record.year, record.decision_number or "")


def write_history(session: Session, found: Preview) -> None:
    groups = create_groups(session, found)
    own = {
        unit_id: unit_collective(session, unit_id).id
        for unit_id in {r.data["unit_id"] for r in found.rows}
    }
    now = utcnow()
    fresh = []
    for row in found.rows:
        if row.action != "create":
            continue
        d, (what, key, name) = row.data, row.data["target"]
        collective = None
        if what == "collective":
            collective = own[key[0]] if key[1] == "unit" else groups[key]
        fresh.append(
            {
                "award_type_id": d["award_type_id"],
                "year": d["year"],
                "person_name": name,
                "name_key": fold(name),
                "unit_id": d["unit_id"],
                "person_id": key if what == "person" else None,
                "collective_id": collective,
                "issuer_id": d["issuer_id"],
                "decision_number": d["decision_number"],
                "decision_date": d["decision_date"],
                "origin": "imported",
                "basis": d["basis"],
                "created_at": now,
            }
        )
    if fresh:
        session.execute(insert(AwardRecord), fresh)
