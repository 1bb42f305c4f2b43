"""The register of people and collectives (sổ theo dõi cá nhân, tập thể) and what the rules read
about them across years.

- ``Person``: a member of staff (cán bộ, giáo viên, nhân viên), in the unit where they work now
  (``unit_id``); ``Membership`` keeps every period in a unit, so a transfer keeps the history.
  Identity number, date of birth, phone and e-mail are private: no public page, export or feed
  shows them.
- ``Collective``: a unit itself (kind ``unit``) or one of its groups (tổ, phòng, khối).
- ``Issuer``: who signed a decision (the Department, a commune's chairman, a former district or
  the former Hải Dương Department), with the dates it could sign.
- ``Evaluation``: a person's annual rating (đánh giá, xếp loại) in a year.
- ``Discipline``: a disciplinary measure, with its dates.
- ``Initiative``: a recognised initiative (sáng kiến) or accepted research (đề tài); one counts
  toward one award only.

A merged duplicate keeps its row, pointing at the person it was merged into
(``merged_into_id``); its histories move to that person.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base
from models.clock import utcnow
from models.org import Unit, User

GENDERS = ("female", "male")
IDENTITY_KINDS = ("national_id", "unit_code")
COLLECTIVE_KINDS = ("unit", "team", "office", "block")
ISSUER_KINDS = (
    "department",
    "unit",
    "commune",
    "former_district",
    "former_department",
    "city",
    "ministry",
    "government",
)
# Annual ratings, best first (hoàn thành xuất sắc / tốt / hoàn thành / không hoàn thành nhiệm vụ).
RATINGS = ("excellent", "good", "complete", "incomplete")
# Disciplinary measures, lightest first: rules compare by this order ("cảnh cáo or above").
DISCIPLINE_FORMS = ("reprimand", "warning", "demotion", "downgrade", "removal", "dismissal")
INITIATIVE_KINDS = ("initiative", "research")
# Who recognised it: the unit, the Department (sector) or the city's chairman.
INITIATIVE_LEVELS = ("unit", "department", "city", "ministry")
# Typed in by the unit or the Office, or read from an imported file.
ENTRY_ORIGINS = ("recorded", "imported")


class Collective(Base):
    """A unit itself or one of its groups."""

    __tablename__ = "collective"
    __table_args__ = (UniqueConstraint("unit_id", "name_key", name="uq_collective_unit_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    name_key: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship()


class Person(Base):
    """One person in the register. ``version`` is the optimistic-locking counter."""

    __tablename__ = "person"
    __table_args__ = (Index("ix_person_unit_name", "unit_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(255))
    # models.text.fold(full_name): search and the duplicate check.
    name_key: Mapped[str] = mapped_column(String(255), index=True)
    gender: Mapped[str | None] = mapped_column(String(10))
    position: Mapped[str | None] = mapped_column(String(255))
    identity_kind: Mapped[str | None] = mapped_column(String(20))
    identity_number: Mapped[str | None] = mapped_column(String(40), index=True)
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(255))
    # Where the person works now; None once they have left every unit.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    collective_id: Mapped[int | None] = mapped_column(ForeignKey("collective.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), unique=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    unit: Mapped[Unit | None] = relationship()
    collective: Mapped[Collective | None] = relationship()
    user: Mapped[User | None] = relationship()
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="person", order_by="Membership.starts_on", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Person {self.id}>"


class Membership(Base):
    """A period of a person in a unit (and a group of it), from ``starts_on`` to ``ends_on``."""

    __tablename__ = "person_membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    collective_id: Mapped[int | None] = mapped_column(ForeignKey("collective.id"), index=True)
    position: Mapped[str | None] = mapped_column(String(255))
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)

    person: Mapped[Person] = relationship(back_populates="memberships")
    unit: Mapped[Unit] = relationship()
    collective: Mapped[Collective | None] = relationship()

    def covers_year(self, year: int) -> bool:
        """True when the period overlaps the calendar year."""
        return (self.starts_on is None or self.starts_on.year <= year) and (
            self.ends_on is None or self.ends_on.year >= year
        )


class Issuer(Base):
    """Who signs award decisions, with the dates it could sign."""

    __tablename__ = "issuer"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    name_key: Mapped[str] = mapped_column(String(255), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class Evaluation(Base):
    """A person's annual rating."""

    __tablename__ = "person_evaluation"
    __table_args__ = (UniqueConstraint("person_id", "year", name="uq_person_evaluation_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    rating: Mapped[str] = mapped_column(String(20))
    # The unit that rated the person that year.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    origin: Mapped[str] = mapped_column(String(10), default="recorded")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Discipline(Base):
    """A disciplinary measure on a person, in force from ``starts_on`` to ``ends_on``."""

    __tablename__ = "person_discipline"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    form: Mapped[str] = mapped_column(String(20))
    decision_number: Mapped[str | None] = mapped_column(String(60))
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str] = mapped_column(String(10), default="recorded")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    def in_year(self, year: int) -> bool:
        """True when the measure was in force at some time of the calendar year."""
        return self.starts_on.year <= year and (self.ends_on is None or self.ends_on.year >= year)


class Initiative(Base):
    """A recognised initiative or accepted research project of a person."""

    __tablename__ = "initiative"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str] = mapped_column(String(12), default="initiative")
    level: Mapped[str] = mapped_column(String(12), default="unit")
    decision_number: Mapped[str | None] = mapped_column(String(60))
    decision_date: Mapped[dt.date | None] = mapped_column(Date)
    issuer_id: Mapped[int | None] = mapped_column(ForeignKey("issuer.id"))
    # The award it was the ground for: one initiative counts toward one award only.
    used_by_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("award_record.id", ondelete="SET NULL")
    )
    origin: Mapped[str] = mapped_column(String(10), default="recorded")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    issuer: Mapped[Issuer | None] = relationship()
