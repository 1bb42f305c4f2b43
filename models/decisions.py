"""Decisions (Quyết định khen thưởng) that group the nominations the Council approved."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import false

from models.base import Base
from models.clock import utcnow
from models.dossiers import Dossier

DECISION_DRAFT, DECISION_ISSUED = "draft", "issued"
DECISION_STATUSES = (DECISION_DRAFT, DECISION_ISSUED)
VERIFY_CODE_LENGTH = 10


class Decision(Base):
    """A decision (Quyết định) of the Director conferring awards on approved dossiers."""

    __tablename__ = "decision"
    __table_args__ = (CheckConstraint("status IN ('draft', 'issued')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    decided_on: Mapped[dt.date] = mapped_column(Date)
    signer: Mapped[str] = mapped_column(String(160))
    # A deputy (Phó Giám đốc) signing for the Director: the signature block reads "KT. GIÁM
    # ĐỐC / PHÓ GIÁM ĐỐC" (Nghị định 30/2020/NĐ-CP), on the decision and its certificates.
    signer_deputy: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    title: Mapped[str] = mapped_column(String(400))
    legal_bases: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="draft")
    created_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    issued_at: Mapped[dt.datetime | None]
    # The audit chain's head right after the issue event: the footer of every copy of the
    # issued decision (None on a draft, and on decisions issued before it was kept).
    audit_seq: Mapped[int | None] = mapped_column(Integer)
    audit_hash: Mapped[str | None] = mapped_column(String(64))

    items: Mapped[list[DecisionItem]] = relationship(
        back_populates="decision", cascade="all, delete-orphan", order_by="DecisionItem.id"
    )


class DecisionItem(Base):
    """A dossier conferred by a decision; a dossier belongs to one decision at most. Its award
    money is kept when the decision is issued (the multiple as written, "0.3", the base salary
    and the amount, in đồng), so a later change of the catalogue or the base salary does not
    change what was signed; a draft's money is computed when it is read."""

    __tablename__ = "decision_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decision.id", ondelete="CASCADE"), index=True
    )
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), unique=True
    )
    multiple: Mapped[str | None] = mapped_column(String(20))
    base_salary: Mapped[int | None] = mapped_column(Integer)
    amount: Mapped[int | None] = mapped_column(Integer)
    # The public verification code printed on the awardee's certificate (``/v/<code>``): random,
    # so one code says nothing of another; given when the decision is issued.
    verify_code: Mapped[str | None] = mapped_column(String(VERIFY_CODE_LENGTH), unique=True)

    decision: Mapped[Decision] = relationship(back_populates="items")
    dossier: Mapped[Dossier] = relationship()


class Revocation(Base):
    """The revocation (thu hồi) of a published award by a later decision, with its reason (Luật
    Thi đua, khen thưởng 2022, chương VII: achievements declared dishonestly, forged records, an
    appraisal against the rules). One per dossier: the dossier keeps its state and history, the
    public list and the verification page show the award as revoked, and its award record no
    longer counts as held."""

    __tablename__ = "revocation"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: of two people revoking at once, the second is refused, never recorded twice.
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), unique=True)
    number: Mapped[str] = mapped_column(String(60))
    decided_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    revoked_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    revoked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The public audit event that recorded it.
    audit_seq: Mapped[int | None] = mapped_column(Integer)
