"""Campaigns (phong trào, đợt thi đua) and what they ask of units: who takes part, which awards
they admit, their emulation targets (chỉ tiêu thi đua) and the figures each report gives."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base
from models.clock import utcnow
from models.org import Unit

if TYPE_CHECKING:
    from models.awards import AwardType
    from models.dossiers import Report

TARGET_KINDS = ("percent", "count", "yes_no")

# How a figure is compared with the target's threshold to say "met".
TARGET_COMPARISONS = ("at_least", "at_most", "above_baseline")


class CampaignUnit(Base):
    """A unit taking part in a campaign that does not take every unit."""

    __tablename__ = "campaign_unit"
    __table_args__ = (UniqueConstraint("campaign_id", "unit_id", name="uq_campaign_unit_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)

    unit: Mapped[Unit] = relationship()


class CampaignAward(Base):
    """An award type a campaign admits (a campaign with none listed admits every award)."""

    __tablename__ = "campaign_award"
    __table_args__ = (
        UniqueConstraint("campaign_id", "award_type_id", name="uq_campaign_award_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    award_type_id: Mapped[int] = mapped_column(ForeignKey("award_type.id"))

    award_type: Mapped[AwardType] = relationship()


class Target(Base):
    """An emulation target of a campaign, with the rule that says when a unit meets it.

    percent/count: met when the figure is ``at_least`` / ``at_most`` the threshold, or
    ``above_baseline`` (greater than the baseline, e.g. the 2025 share). yes_no: met on yes.
    """

    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("campaign_id", "code", name="campaign_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(40))
    title_vi: Mapped[str] = mapped_column(String(400))
    title_en: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str] = mapped_column(String(20))
    comparison: Mapped[str] = mapped_column(String(20), default="at_least")
    threshold: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    position: Mapped[int] = mapped_column(Integer, default=0)

    campaign: Mapped[Campaign] = relationship()


class ReportFigure(Base):
    """A report's figure for one target; the Office may correct it, with a reason."""

    __tablename__ = "report_figure"
    __table_args__ = (UniqueConstraint("report_id", "target_id", name="report_target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("target.id", ondelete="CASCADE"), index=True)
    # percent and count figures; yes_no uses 1 or 0. Baseline for above_baseline targets.
    value: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    baseline: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    evidence: Mapped[str] = mapped_column(Text, default="")
    corrected_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    correction_reason: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    report: Mapped[Report] = relationship()
    target: Mapped[Target] = relationship(lazy="joined")


CAMPAIGN_KINDS = ("annual", "periodic", "thematic", "ad_hoc")


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
