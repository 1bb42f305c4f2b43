"""What the unit records about a person year by year: the annual rating (one per year; a new
one replaces it), discipline, initiatives (no Flask). Every change is an audit event of the
person, in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Discipline, Evaluation, Initiative, Issuer, Person
from models.clock import utcnow
from models.people import DISCIPLINE_FORMS, INITIATIVE_KINDS, INITIATIVE_LEVELS, RATINGS
from models.text import whole_number
from workflow.core import audit
from workflow.core.actors import Actor
from workflow.core.errors import EditRefused, Violation
from workflow.people.entries import acting_role, lock_person
from workflow.people.messages import bounded, choice, day, invalid, text, year

LABELS: dict[str, tuple[str, str]] = {
    "year": ("Năm", "Year"),
    "rating": ("Xếp loại", "Rating"),
    "form": ("Hình thức kỷ luật", "Disciplinary measure"),
    "decision_number": ("Số quyết định", "Decision number"),
    "decided_on": ("Ngày quyết định", "Decision date"),
    "starts_on": ("Từ ngày", "From"),
    "ends_on": ("Đến ngày", "To"),
    "reason": ("Lý do", "Reason"),
    "title": ("Tên sáng kiến, đề tài", "Title"),
    "kind": ("Loại", "Kind"),
    "level": ("Cấp công nhận", "Level"),
    "decision_date": ("Ngày quyết định", "Decision date"),
    "issuer_id": ("Cơ quan công nhận", "Recognised by"),
}


def _record(
    session: Session,
    actor: Actor,
    person: Person,
    action: str,
    changes: Mapping[str, Any],
    now: dt.datetime,
) -> None:
    audit.append(
        session,
        entity_type="person",
        entity_id=person.id,
        action=action,
        actor_id=actor.user_id,
        actor_role=acting_role(actor, person.unit_id),
        unit_id=person.unit_id,
        changes=changes,
        now=now,
    )


def _refuse(problems: list[Violation]) -> None:
    if problems:
        raise EditRefused(problems)


def rate(
    session: Session,
    person_id: int,
    actor: Actor,
    values: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> Evaluation:
    """Record the person's rating of a year; an earlier rating of that year is replaced (its
    old value is in the audit event). Audited ("rate"). Never commits."""
    now = now or utcnow()
    person = lock_person(session, person_id, actor)
    problems: list[Violation] = []
    when = year(values, "year", LABELS["year"], problems)
    rating = choice(values, "rating", LABELS["rating"], RATINGS, problems)
    if when and when > now.year:
        problems.append(invalid(LABELS["year"], "chưa đến năm này", "is still to come"))
    _refuse(problems)
    found = session.scalar(
        select(Evaluation).where(Evaluation.person_id == person.id, Evaluation.year == when)
    )
    before = found.rating if found else None
    if found is None:
        found = Evaluation(person_id=person.id, year=when, unit_id=person.unit_id)
        session.add(found)
    found.rating, found.origin = rating, "recorded"
    session.flush()
    _record(session, actor, person, "rate", {"year": when, "rating": [before, rating]}, now)
    return found


def _dates(values: Mapping[str, Any], problems: list[Violation]) -> dict[str, Any]:
    dates = {k: day(values, k, LABELS[k], problems) for k in ("decided_on", "starts_on", "ends_on")}
    if not text(values, "starts_on"):
        problems.append(invalid(LABELS["starts_on"], "không được để trống", "must not be empty"))
    if dates["starts_on"] and dates["ends_on"] and dates["ends_on"] < dates["starts_on"]:
        problems.append(
            invalid(LABELS["ends_on"], "không được trước ngày bắt đầu", "before the start")
        )
    return dates


def discipline(
    session: Session,
    person_id: int,
    actor: Actor,
    values: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> Discipline:
    """Record a disciplinary measure with its dates. Audited ("discipline"). Never commits."""
    now = now or utcnow()
    person = lock_person(session, person_id, actor)
    problems: list[Violation] = []
    form = choice(values, "form", LABELS["form"], DISCIPLINE_FORMS, problems)
    number = bounded(values, "decision_number", LABELS["decision_number"], 60, problems)
    reason = bounded(values, "reason", LABELS["reason"], 2000, problems, required=True)
    dates = _dates(values, problems)
    _refuse(problems)
    measure = Discipline(
        person_id=person.id, form=form, decision_number=number, reason=reason, **dates
    )
    session.add(measure)
    session.flush()
    changes = {"id": measure.id, "form": form, "decision_number": number, **dates}
    _record(session, actor, person, "discipline", changes, now)
    return measure


def _issuer(session: Session, raw: Any, problems: list[Violation]) -> int | None:
    if raw in (None, ""):
        return None
    found = session.get(Issuer, whole_number(raw) or 0)
    if found is None:
        problems.append(invalid(LABELS["issuer_id"], "không tồn tại", "does not exist"))
        return None
    return found.id


def add_initiative(
    session: Session,
    person_id: int,
    actor: Actor,
    values: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> Initiative:
    """Record a recognised initiative or accepted research. Audited ("initiative"). Never
    commits."""
    now = now or utcnow()
    person = lock_person(session, person_id, actor)
    problems: list[Violation] = []
    fields = {
        "year": year(values, "year", LABELS["year"], problems),
        "title": bounded(values, "title", LABELS["title"], 400, problems, required=True),
        "kind": choice(values, "kind", LABELS["kind"], INITIATIVE_KINDS, problems),
        "level": choice(values, "level", LABELS["level"], INITIATIVE_LEVELS, problems),
        "decision_number": bounded(
            values, "decision_number", LABELS["decision_number"], 60, problems
        ),
        "decision_date": day(values, "decision_date", LABELS["decision_date"], problems),
        "issuer_id": _issuer(session, values.get("issuer_id"), problems),
    }
    _refuse(problems)
    initiative = Initiative(person_id=person.id, **fields)
    session.add(initiative)
    session.flush()
    _record(session, actor, person, "initiative", {"id": initiative.id, **fields}, now)
    return initiative
