"""Holds (tạm dừng xét khen thưởng): a person or a unit under disciplinary review,
investigation, inspection with signs of violation or an unresolved complaint may not be
proposed or awarded while the hold lasts (Nghị định 152/2025/NĐ-CP, principles). The Office
and administrators record and end them; every change is audited (entity ``award_hold``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models import Hold, Person, Unit
from models.clock import utcnow
from models.text import nfc, whole_number
from workflow.awards.catalogue import CatalogueRefused
from workflow.awards.rules import CATALOGUE_MESSAGES, invalid_field
from workflow.core import audit
from workflow.core.actors import Actor, Role
from workflow.core.authz import OFFICE, first_role, may_manage_holds, refuse_unless
from workflow.core.dates import DATE_RULE, parse_day
from workflow.core.errors import Violation
from workflow.core.messages import Messages

HOLD_MESSAGES = Messages(
    {
        "hold_not_in_force": (
            "Việc tạm dừng xét khen thưởng này đã kết thúc (đến hết ngày {ends_on}); "
            "không có gì thay đổi.",
            "This hold had already ended (its last day was {ends_on}); nothing changed.",
        ),
    }
)


def _require(actor: Actor | None) -> tuple[Actor, Role]:
    refuse_unless(
        may_manage_holds(actor),
        ("Quản lý danh sách tạm dừng xét khen thưởng", "Manage holds"),
        error=CatalogueRefused,
    )
    return actor, first_role(actor, OFFICE)


def _date(values: Mapping[str, Any], key: str, problems: list[Violation]) -> dt.date | None:
    raw = str(values.get(key) or "").strip()
    day = parse_day(raw)  # dd/mm/yyyy as typed, or ISO
    if raw and day is None:
        problems.append(invalid_field(key, DATE_RULE[0], DATE_RULE[1]))
    return day


def add_hold(
    session: Session,
    actor: Actor | None,
    values: Mapping[str, Any],
    *,
    now: dt.datetime | None = None,
) -> Hold:
    """Record a hold on a person of the register (any unit) or on a whole unit. Never commits."""
    actor, role = _require(actor)
    problems: list[Violation] = []
    reason = nfc(str(values.get("reason") or ""))
    person, unit_id = _held(session, values, problems)
    if not reason:
        problems.append(invalid_field("reason", "không được để trống", "is required"))
    starts, ends = _date(values, "starts_on", problems), _date(values, "ends_on", problems)
    if starts is None and not any(p.params.get("field") == "starts_on" for p in problems):
        problems.append(invalid_field("starts_on", "không được để trống", "is required"))
    if starts and ends and ends < starts:
        problems.append(invalid_field("ends_on", "trước ngày bắt đầu", "is before the start date"))
    if problems:
        raise CatalogueRefused(problems)
    hold = Hold(
        person_id=person.id if person else None,
        unit_id=unit_id,
        reason=reason,
        starts_on=starts,
        ends_on=ends,
        created_by=actor.user_id,
        created_at=now or utcnow(),
    )
    session.add(hold)
    session.flush()
    audit.append(
        session,
        entity_type="award_hold",
        entity_id=hold.id,
        action="create",
        actor_id=actor.user_id,
        actor_role=role.value,
        unit_id=unit_id,
        reason=reason,
        now=now,
        changes={
            "person_id": hold.person_id,
            "person_name": person.full_name if person else None,
            "unit_id": unit_id,
            "starts_on": starts,
            "ends_on": ends,
        },
    )
    return hold


def _held(
    session: Session, values: Mapping[str, Any], problems: list[Violation]
) -> tuple[Person | None, int | None]:
    """The person held (a current entry of the register) and their unit, or the unit alone."""
    person_id, unit_id = whole_number(values.get("person_id")), whole_number(values.get("unit_id"))
    if person_id is not None:
        person = session.get(Person, person_id)
        if person is None or person.merged_into_id is not None:
            problems.append(invalid_field("person_id", "không có trong sổ theo dõi", "not found"))
            return None, None
        return person, person.unit_id
    if unit_id is not None and session.get(Unit, unit_id) is None:
        problems.append(invalid_field("unit_id", "không tồn tại", "does not exist"))
    if unit_id is None:
        problems.append(
            invalid_field(
                "person_id",
                "cần chọn một người trong sổ theo dõi, hoặc chọn đơn vị nếu tạm dừng xét cả "
                "tập thể",
                "choose a person of the register, or a unit to hold a whole collective",
            )
        )
    return None, unit_id


def end_hold(
    session: Session,
    actor: Actor | None,
    hold_id: int,
    day: dt.date,
    *,
    now: dt.datetime | None = None,
) -> Hold:
    """End a hold: ``day`` (the matter settled) is the first day without it. Never commits."""
    actor, role = _require(actor)
    # Locked, and refused once ended: a second click (or a stale page) must not move the end
    # of a hold that ended earlier, which would put it back in force for the days between.
    hold = session.get(Hold, hold_id, with_for_update=True, populate_existing=True)
    if hold is None:
        raise CatalogueRefused([CATALOGUE_MESSAGES.violation("catalogue_not_found")])
    if hold.ends_on is not None and hold.ends_on < day:
        raise CatalogueRefused(
            [
                HOLD_MESSAGES.violation(
                    "hold_not_in_force", {"ends_on": hold.ends_on.strftime("%d/%m/%Y")}
                )
            ]
        )
    # The last day in force is the day before (before its start: it never applied).
    before, hold.ends_on = hold.ends_on, day - dt.timedelta(days=1)
    session.flush()
    audit.append(
        session,
        entity_type="award_hold",
        entity_id=hold.id,
        action="end",
        actor_id=actor.user_id,
        actor_role=role.value,
        unit_id=hold.unit_id,
        now=now,
        changes={"ends_on": [before, hold.ends_on]},
    )
    return hold


def list_holds(session: Session, today: dt.date) -> list[Hold]:
    """Every hold: those in force ``today`` first, then the others; newest first."""
    holds = session.scalars(
        select(Hold)
        .options(selectinload(Hold.person), selectinload(Hold.unit))
        .order_by(Hold.starts_on.desc(), Hold.id.desc())
    ).all()
    return sorted(holds, key=lambda h: not h.active_on(today))
