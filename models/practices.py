"""Innovative models and good practices (mô hình mới, cách làm hay) that units register."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base
from models.campaigns import Campaign
from models.clock import utcnow
from models.org import Unit

PRACTICE_STATUSES = ("registered", "exemplary")


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
