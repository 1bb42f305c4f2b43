"""What a campaign asks of units: who takes part, which awards it admits, its emulation
targets (chỉ tiêu thi đua), the figures each report gives for them, and the units'
innovative models and good practices (mô hình mới, cách làm hay)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.catalog import AwardType, Campaign
from models.dossier import Report
from models.org import Unit

TARGET_KINDS = ("percent", "count", "yes_no")
# How a figure is compared with the target's threshold to say "met".
TARGET_COMPARISONS = ("at_least", "at_most", "above_baseline")
PRACTICE_STATUSES = ("registered", "exemplary")


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


class Practice(Base):
    """An innovative model or good practice a unit registers; the Office may mark it exemplary,
    which publishes it so others can replicate it. ``version`` is the optimistic-locking counter."""

    __tablename__ = "practice"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"), index=True)
    title: Mapped[str] = mapped_column(String(400))
    summary: Mapped[str] = mapped_column(Text, default="")
    results: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="registered")
    registered_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    registered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    marked_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    marked_at: Mapped[dt.datetime | None]
    search_key: Mapped[str] = mapped_column(String(800), default="")
    # Rows older than the column start at 1 (the migration's default).
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    unit: Mapped[Unit] = relationship(lazy="joined")
    campaign: Mapped[Campaign | None] = relationship()

    __mapper_args__ = {"version_id_col": version}
