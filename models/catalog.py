"""Campaigns (phong trào, đợt thi đua) and the award catalogue."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

CAMPAIGN_KINDS = ("annual", "periodic", "thematic", "ad_hoc")
NOMINEE_KINDS = ("individual", "collective")
CONFERRING_AUTHORITIES = ("unit_head", "department_director", "city_chairman", "ministry", "higher")
# Whose votes a threshold is counted on: every Council member, or those present.
THRESHOLD_BASES = ("all_members", "present")


class Campaign(Base):
    """An emulation campaign with its nomination window and plan/report due dates.
    ``version`` is the optimistic-locking counter (it also moves when only the campaign's units,
    admitted awards or targets change)."""

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    opens_on: Mapped[dt.date | None] = mapped_column(Date)
    closes_on: Mapped[dt.date | None] = mapped_column(Date)
    plan_due: Mapped[dt.date | None] = mapped_column(Date)
    report_due: Mapped[dt.date | None] = mapped_column(Date)
    late_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # False: only the units listed in campaign_unit take part.
    all_units: Mapped[bool] = mapped_column(Boolean, default=True)
    # Rows older than the column start at 1 (the migration's default).
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_ad_hoc(self) -> bool:
        return self.kind == "ad_hoc"

    def window_open(self, day: dt.date) -> bool:
        """True when nominations are accepted on ``day`` (ad-hoc campaigns always accept)."""
        if self.is_ad_hoc:
            return True
        if self.opens_on and day < self.opens_on:
            return False
        return not (self.closes_on and day > self.closes_on)


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
    # Percent of approving votes needed, counted on ``threshold_base``.
    vote_threshold_pct: Mapped[int] = mapped_column(Integer, default=50)
    threshold_base: Mapped[str] = mapped_column(String(20), default="present")
    legal_source: Mapped[str | None] = mapped_column(String(400))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Public notice (công khai) of the proposed names before the Council: days, 0 for none.
    public_notice_days: Mapped[int] = mapped_column(Integer, default=0)
    # Rows older than the column start at 1 (the migration's default).
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    @property
    def conferred_by_department(self) -> bool:
        """True when the Department (or the unit head) confers it; else it is forwarded."""
        return self.conferring_authority in ("unit_head", "department_director")
