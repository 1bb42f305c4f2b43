"""Council sessions (phiên họp Hội đồng TĐKT ngành), attendance and recorded votes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.dossier import Dossier
from models.org import User

SESSION_STATUSES = ("open", "closed")
VOTE_OUTCOMES = ("approved", "rejected", "deferred", "classified")


class CouncilSession(Base):
    """A Council meeting. Its members are the attendance rows; quorum counts the present ones."""

    __tablename__ = "council_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    held_on: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[str] = mapped_column(String(10), default="open")
    # Share of members who must be present, in percent (default two thirds).
    quorum_pct: Mapped[int] = mapped_column(Integer, default=67)
    opened_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None]

    attendance: Mapped[list[CouncilAttendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan", lazy="selectin"
    )
    items: Mapped[list[CouncilItem]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="CouncilItem.id"
    )

    @property
    def member_count(self) -> int:
        return len(self.attendance)

    @property
    def present_count(self) -> int:
        return sum(1 for a in self.attendance if a.present)

    def present_user_ids(self) -> set[int]:
        return {a.user_id for a in self.attendance if a.present}


class CouncilAttendance(Base):
    """One member of a session, present or absent."""

    __tablename__ = "council_attendance"
    __table_args__ = (UniqueConstraint("session_id", "user_id", name="session_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_session.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    present: Mapped[bool] = mapped_column(Boolean, default=True)

    session: Mapped[CouncilSession] = relationship(back_populates="attendance")
    user: Mapped[User] = relationship(lazy="joined")


class CouncilItem(Base):
    """A dossier on a session's agenda with the tally and outcome recorded for it."""

    __tablename__ = "council_item"
    __table_args__ = (UniqueConstraint("session_id", "dossier_id", name="session_dossier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_session.id", ondelete="CASCADE"))
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    votes_for: Mapped[int | None] = mapped_column(Integer)
    votes_against: Mapped[int | None] = mapped_column(Integer)
    votes_abstain: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[dt.datetime | None]

    session: Mapped[CouncilSession] = relationship(back_populates="items")
    dossier: Mapped[Dossier] = relationship()
