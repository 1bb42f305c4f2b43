"""The award catalogue (award types and their rules), the awards history and holds, as data the
admin can change.

- ``AwardRule``: one rule of an award type (required evidence, prior titles, a quota, the
  hold check), hard (blocks the Office's approval) or soft (warns; overriding it needs a
  reason), with its legal source and the dates it applies from and to. ``params`` is a
  JSON object whose keys depend on ``kind`` (one class per kind: ``workflow.awards.rules``).
- ``AwardRecord``: a title or form someone received (the awards history), imported for past
  years or recorded by the system when a nomination is published. Prior-title and quota
  checks read it.
- ``Hold``: a person or a unit under disciplinary review, investigation or an unresolved
  complaint; while it lasts, nominations of them are blocked (Nghị định 152/2025/NĐ-CP).
- ``BaseSalary``: the base salary (lương cơ sở) from a date on; award money is a multiple of
  the amount in force on the decision's date (Nghị định 152/2025/NĐ-CP, Điều 49–50).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base
from models.clock import utcnow
from models.org import Unit

if TYPE_CHECKING:
    from models.decisions import Revocation
    from models.people import Collective, Issuer, Person

RECORD_ORIGINS = ("system", "imported")
# Ad-hoc and thematic awards do not count as grounds for higher merit awards (NĐ 152/2025).
RECORD_BASES = ("merit", "ad_hoc", "thematic")


class AwardRule(Base):
    """One configurable rule of an award type."""

    __tablename__ = "award_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    award_type_id: Mapped[int] = mapped_column(
        ForeignKey("award_type.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    params: Mapped[str] = mapped_column(Text, default="{}")
    hard: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(Text, default="")
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)

    award_type: Mapped[AwardType] = relationship()

    @property
    def values(self) -> dict[str, Any]:
        """``params`` decoded (an empty dict when it is not a JSON object)."""
        try:
            decoded = json.loads(self.params or "{}")
        except ValueError:
            return {}
        return decoded if isinstance(decoded, dict) else {}

    def applies_on(self, day: dt.date) -> bool:
        """True when the rule is in force on ``day``."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class AwardRecord(Base):
    """One award someone (a person or a collective) received in a year."""

    __tablename__ = "award_record"
    __table_args__ = (Index("ix_award_record_award_year_unit", "award_type_id", "year", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    award_type_id: Mapped[int] = mapped_column(ForeignKey("award_type.id"))
    year: Mapped[int] = mapped_column(Integer)
    person_name: Mapped[str] = mapped_column(String(255))
    # The name as written in the decision, and models.text.fold of it (search).
    name_key: Mapped[str] = mapped_column(String(255), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    # Whom it was conferred on: a person or a collective of the register.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    collective_id: Mapped[int | None] = mapped_column(ForeignKey("collective.id"), index=True)
    # Who signed the decision (the Department, a commune's chairman, a former district …).
    issuer_id: Mapped[int | None] = mapped_column(ForeignKey("issuer.id"))
    decision_number: Mapped[str | None] = mapped_column(String(60))
    decision_date: Mapped[dt.date | None] = mapped_column(Date)
    origin: Mapped[str] = mapped_column(String(10), default="imported")
    basis: Mapped[str] = mapped_column(String(10), default="merit")
    # The published nomination a system record comes from (one record per nomination).
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id"), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Set when the award was revoked: the record stays (the history is kept) but is no longer
    # held, so no quota, prior-title or same-year check counts it.
    revocation_id: Mapped[int | None] = mapped_column(ForeignKey("revocation.id"))

    award_type: Mapped[AwardType] = relationship(lazy="joined", innerjoin=True)
    unit: Mapped[Unit | None] = relationship()
    person: Mapped[Person | None] = relationship()
    revocation: Mapped[Revocation | None] = relationship()
    collective: Mapped[Collective | None] = relationship()
    issuer: Mapped[Issuer | None] = relationship()


class Hold(Base):
    """A person of the register or a whole unit that may not be nominated while it lasts."""

    __tablename__ = "award_hold"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    # The person of the register it is on (None for a hold on a whole unit).
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit | None] = relationship()
    person: Mapped[Person | None] = relationship()

    def active_on(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class BaseSalary(Base):
    """The base salary (lương cơ sở), in đồng, from ``valid_from`` until the next one."""

    __tablename__ = "base_salary"

    valid_from: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    amount: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text, default="")


class HigherReferral(Base):
    """A nomination sent to the conferring authority above the Department, and its answer."""

    __tablename__ = "higher_referral"

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), unique=True
    )
    # The Department's submission letter (tờ trình), e.g. 1580/TTr-SGDĐT.
    letter_number: Mapped[str] = mapped_column(String(60))
    letter_date: Mapped[dt.date] = mapped_column(Date)
    forwarded_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    forwarded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # "conferred" or "not_conferred" once the higher level has answered.
    outcome: Mapped[str | None] = mapped_column(String(20))
    answer_number: Mapped[str | None] = mapped_column(String(60))
    answer_date: Mapped[dt.date | None] = mapped_column(Date)
    answer_reason: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[dt.datetime | None]


NOMINEE_KINDS = ("individual", "collective")

CONFERRING_AUTHORITIES = ("unit_head", "department_director", "city_chairman", "ministry", "higher")

# Whose votes a threshold is counted on: every Council member, or those present.
THRESHOLD_BASES = ("all_members", "present")


class AwardType(Base):
    """A title or form of commendation, with who confers it and the Council's vote threshold.
    ``version`` is the optimistic-locking counter of its own fields (its rules are rows of their
    own)."""

    __tablename__ = "award_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_vi: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255))
    nominee_kind: Mapped[str] = mapped_column(String(20))
    conferring_authority: Mapped[str] = mapped_column(String(40))
    # Share of approving votes needed, counted on ``threshold_base``: an exact fraction as text
    # ("4/5"; ``workflow.core.shares``).
    vote_threshold: Mapped[str] = mapped_column(String(10), default="1/2")
    threshold_base: Mapped[str] = mapped_column(String(20), default="present")
    # Where the threshold comes from (a decree's article, the Council's rules) and the day it
    # applies from: shown with the threshold, and fixed on each ballot when it closes.
    threshold_source: Mapped[str | None] = mapped_column(String(400))
    threshold_from: Mapped[dt.date | None] = mapped_column(Date)
    legal_source: Mapped[str | None] = mapped_column(String(400))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Public notice (công khai) of the proposed names before the Council: days, 0 for none.
    public_notice_days: Mapped[int] = mapped_column(Integer, default=0)
    # Whether a certificate (giấy khen, bằng chứng nhận) is printed for it: None follows the
    # law (forms and the titles that carry a bằng print; money-only titles do not), True or
    # False is the admin's choice (a unit's own "giấy chứng nhận" for a money-only title).
    prints_certificate: Mapped[bool | None] = mapped_column(Boolean)
    # Rows older than the column start at 1 (the migration's default).
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    @property
    def conferred_by_department(self) -> bool:
        """True when the Department (or the unit head) confers it; else it is forwarded."""
        return self.conferring_authority in ("unit_head", "department_director")
