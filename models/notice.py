"""Comments the public sends on a name posted for public notice (công khai lấy ý kiến).

A comment is hidden from the public until an Office reviewer approves it; a rejected one
keeps its reason. The contact a commenter leaves is for the Office only (never audited,
never shown on the public page).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.clock import utcnow

COMMENT_PENDING, COMMENT_APPROVED, COMMENT_REJECTED = "pending", "approved", "rejected"
COMMENT_STATUSES = (COMMENT_PENDING, COMMENT_APPROVED, COMMENT_REJECTED)
TEXT_MAX = 2000
NAME_MAX = 160
CONTACT_MAX = 160


class NoticeComment(Base):
    """One comment on a nomination during its public notice."""

    __tablename__ = "notice_comment"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status"),
        Index("ix_notice_comment_dossier_status", "dossier_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(String(NAME_MAX))
    contact: Mapped[str | None] = mapped_column(String(CONTACT_MAX))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    moderated_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    moderation_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    moderated_at: Mapped[dt.datetime | None]
