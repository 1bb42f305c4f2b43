"""Notifications: in-app messages, the e-mail outbox and the record of reminders sent.

An in-app notification stores a message code and its parameters (JSON), not finished
text: ``workflow.notifications.notify`` renders it in Vietnamese or English when shown. E-mails
go through an outbox, written in the same transaction as the change that caused them and
sent after the commit, so a rolled-back action never sends mail.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.clock import utcnow

OUTBOX_STATUSES = ("queued", "sending", "sent", "failed", "skipped")
REMINDER_KINDS = ("plan", "report")


class Notification(Base):
    """A message for one person, usually about a dossier; unread while ``read_at`` is None."""

    __tablename__ = "notification"
    __table_args__ = (
        # The header badge counts a person's unread ones; the list shows newest first.
        Index("ix_notification_user_read", "user_id", "read_at"),
        Index("ix_notification_user_created", "user_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    dossier_id: Mapped[int | None] = mapped_column(
        ForeignKey("dossier.id", ondelete="CASCADE"), index=True
    )
    # The message code ("queue", "returned", "published", "reminder", ...).
    kind: Mapped[str] = mapped_column(String(30))
    params_json: Mapped[str] = mapped_column(Text, default="{}")
    link: Mapped[str] = mapped_column(String(400), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    read_at: Mapped[dt.datetime | None]

    @property
    def params(self) -> dict[str, Any]:
        """The message parameters."""
        return json.loads(self.params_json or "{}")

    @params.setter
    def params(self, value: dict[str, Any]) -> None:
        self.params_json = json.dumps(value, ensure_ascii=False, sort_keys=True)


class OutboxEmail(Base):
    """An e-mail waiting to be sent (or sent, failed for good, or skipped while e-mail is off)."""

    __tablename__ = "outbox_email"
    __table_args__ = (Index("ix_outbox_email_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(400))
    body_text: Mapped[str] = mapped_column(Text)
    # A path in the app (/dossiers/12); the mailer prefixes the site's address when known.
    link: Mapped[str] = mapped_column(String(400), default="")
    status: Mapped[str] = mapped_column(String(10), default="queued")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # After a failure, not tried again before this moment (back-off).
    next_attempt_at: Mapped[dt.datetime | None]
    # When a sender took it (status "sending"); a stale claim is taken back.
    claimed_at: Mapped[dt.datetime | None]


class ReminderSent(Base):
    """One reminder of a due date sent to a unit. The UNIQUE constraint is what makes the
    reminder command idempotent, even when two runs overlap."""

    __tablename__ = "reminder_sent"
    __table_args__ = (
        UniqueConstraint(
            "campaign_id",
            "unit_id",
            "kind",
            "due_date",
            "days_before",
            name="uq_reminder_sent_once",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    due_date: Mapped[dt.date] = mapped_column(Date)
    days_before: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
