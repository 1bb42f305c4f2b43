"""The register entries the demo's stories name (demo only).

A story names its nominee by name; the entry is the current person of that unit with that folded
name, or the unit itself or its group of that name, added when the register (imported or typed
in) does not have it yet. The Department's accounts are people of the register too, linked to
their accounts, so that a nomination naming one of them takes them off its review and ballot.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Collective, Evaluation, Initiative, Membership, Person, Unit
from models.text import fold
from workflow.people.register import current_people, unit_collective


def person_of(session: Session, unit: Unit, full_name: str, position: str | None = None) -> Person:
    """The current person of ``unit`` named ``full_name`` (by folded name), added when missing."""
    found = session.scalar(
        current_people().where(Person.unit_id == unit.id, Person.name_key == fold(full_name))
    )
    if found is None:
        found = Person(
            full_name=full_name,
            name_key=fold(full_name),
            position=position or None,
            unit_id=unit.id,
            memberships=[Membership(unit_id=unit.id, position=position or None)],
        )
        session.add(found)
        session.flush()
    return found


# Facts of the register the stories' achievements speak of: a city-recognised initiative.
CITY_INITIATIVES = {
    "Hoàng Văn Quyết": (
        2025,
        "Xây dựng hệ thống bài tập STEM Vật lý gắn với thực tiễn Hải Phòng",
        "1520/QĐ-UBND",
    ),
}


def record_facts(session: Session, person: Person, year: int, achievements: str) -> None:
    """The year's rating (and initiative) the story's achievements state, unless the register
    already has them: "hoàn thành xuất sắc" is excellent, otherwise good."""
    if session.scalar(
        select(Evaluation.id).where(Evaluation.person_id == person.id, Evaluation.year == year)
    ):
        return
    text = fold(achievements)
    rating = "excellent" if "hoan thanh xuat sac" in text else "good"
    session.add(Evaluation(person_id=person.id, year=year, rating=rating, unit_id=person.unit_id))
    if "sang kien" in text:
        session.add(
            Initiative(person_id=person.id, year=year, title=f"Sáng kiến năm {year}", level="unit")
        )
    if person.full_name in CITY_INITIATIVES:
        made, title, number = CITY_INITIATIVES[person.full_name]
        session.add(
            Initiative(
                person_id=person.id, year=made, title=title, level="city", decision_number=number
            )
        )
    session.flush()


def collective_of(session: Session, unit: Unit, name: str) -> Collective:
    """The unit itself when ``name`` is the unit's, else its group of that name."""
    if fold(name) == fold(unit.name):
        return unit_collective(session, unit.id)
    found = session.scalar(
        select(Collective).where(Collective.unit_id == unit.id, Collective.name_key == fold(name))
    )
    if found is None:
        found = Collective(unit_id=unit.id, name=name, name_key=fold(name), kind="team")
        session.add(found)
        session.flush()
    return found
