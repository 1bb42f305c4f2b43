"""Sending the e-mail outbox through SMTP (smtplib), best effort, never raising.

E-mails are queued by ``workflow.notifications.notify`` in the transaction of the change that caused
them; this module sends them after that commit. A sender first claims a batch (status
"sending", committed) so two senders running at once do not send the same e-mail twice,
then talks to the SMTP server outside any database transaction.

With no SMTP host configured, e-mail is off: queued e-mails are marked "skipped" (kept
for the record) and never sent later, so switching e-mail on does not deliver a backlog
of stale messages. A failed e-mail stays queued and is retried later with a growing
delay; after ``MAX_ATTEMPTS`` failures it is marked "failed".
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from models import OutboxEmail
from models.clock import utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# A claim older than this belongs to a sender that died; the e-mail is taken back.
STALE_CLAIM = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send. An empty ``host`` means e-mail is off."""

    host: str = ""
    port: int = 25
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = "vinhdanh@localhost"
    starttls: bool = False
    timeout: float = 10.0
    # The site's address, to turn a path (/dossiers/12) into a link in the e-mail.
    base_url: str = ""

    @property
    def enabled(self) -> bool:
        return bool(self.host)

    @classmethod
    def from_config(cls, config: Mapping[str, Any], **overrides: Any) -> SmtpSettings:
        """Settings from the app's configuration keys SMTP_HOST, SMTP_PORT, SMTP_USER,
        SMTP_PASSWORD, SMTP_SENDER, SMTP_STARTTLS (and PUBLIC_URL for links)."""
        values = dict(
            host=config.get("SMTP_HOST") or "",
            port=int(config.get("SMTP_PORT") or 25),
            user=config.get("SMTP_USER") or "",
            password=config.get("SMTP_PASSWORD") or "",
            sender=config.get("SMTP_SENDER") or "vinhdanh@localhost",
            starttls=bool(config.get("SMTP_STARTTLS")),
            base_url=config.get("PUBLIC_URL") or "",
        )
        values.update(overrides)
        return cls(**values)


@dataclass
class SendResult:
    """What one run did."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or utcnow()


def backoff(attempts: int) -> dt.timedelta:
    """Delay before the next try after ``attempts`` failures: 1, 2, 4, 8… minutes (at most a
    day)."""
    return min(dt.timedelta(minutes=2 ** max(attempts - 1, 0)), dt.timedelta(days=1))


def compose(email: OutboxEmail, settings: SmtpSettings) -> EmailMessage:
    """The MIME message of a queued e-mail (UTF-8 text; the subject is RFC 2047-encoded)."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = email.to_address
    message["Subject"] = email.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(
        domain=parseaddr(settings.sender)[1].rpartition("@")[2] or "localhost"
    )
    body = email.body_text
    if email.link:
        where = settings.base_url.rstrip("/") + email.link if settings.base_url else email.link
        body = f"{body.rstrip()}\n\nXem trên Vinh Danh / Open in Vinh Danh: {where}\n"
    message.set_content(body, charset="utf-8")
    return message


def skip_queued(session: Session, reason: str, now: dt.datetime | None = None) -> int:
    """Mark every queued e-mail "skipped" (kept for the record, never sent). Never commits."""
    result = session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.status == "queued")
        .values(status="skipped", last_error=reason, claimed_at=_now(now))
    )
    return result.rowcount or 0


def _skip_all(session: Session, now: dt.datetime) -> int:
    skipped = skip_queued(session, "e-mail is off (no SMTP host)", now)
    session.commit()
    return skipped


def _claim(session: Session, limit: int, now: dt.datetime) -> list[OutboxEmail]:
    """Take up to ``limit`` due e-mails for this sender and commit the claim."""
    due = or_(
        and_(
            OutboxEmail.status == "queued",
            or_(OutboxEmail.next_attempt_at.is_(None), OutboxEmail.next_attempt_at <= now),
        ),
        and_(OutboxEmail.status == "sending", OutboxEmail.claimed_at < now - STALE_CLAIM),
    )
    batch = list(
        session.scalars(
            select(OutboxEmail)
            .where(due)
            .order_by(OutboxEmail.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    for email in batch:
        email.status, email.claimed_at = "sending", now
    session.commit()
    return batch


def _record_failure(email: OutboxEmail, error: Exception, now: dt.datetime) -> None:
    email.attempts += 1
    email.last_error = f"{type(error).__name__}: {error}"[:2000]
    if email.attempts >= MAX_ATTEMPTS:
        email.status = "failed"
    else:
        email.status, email.next_attempt_at = "queued", now + backoff(email.attempts)


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        if settings.starttls:
            client.starttls(context=ssl.create_default_context())
        if settings.user:
            client.login(settings.user, settings.password)
    except BaseException:
        client.close()
        raise
    return client


def send_pending(
    session: Session, settings: SmtpSettings, limit: int = 50, now: dt.datetime | None = None
) -> SendResult:
    """Send up to ``limit`` queued e-mails and record each outcome; never raises.

    Commits its own work (the claim, then each outcome): call it with a session that holds
    nothing else, after the transaction that queued the e-mails has committed.
    """
    result, moment = SendResult(), _now(now)
    try:
        if not settings.enabled:
            result.skipped = _skip_all(session, moment)
            return result
        batch = _claim(session, limit, moment)
        if batch:
            _deliver(session, settings, batch, result, moment)
    except Exception as error:  # the database itself failed: log, keep the request alive
        session.rollback()
        log.exception("sending the e-mail outbox failed")
        result.errors.append(f"{type(error).__name__}: {error}")
    return result


def _deliver(
    session: Session,
    settings: SmtpSettings,
    batch: list[OutboxEmail],
    result: SendResult,
    now: dt.datetime,
) -> None:
    try:
        client = _connect(settings)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("SMTP server %s:%s unavailable: %s", settings.host, settings.port, error)
        for email in batch:
            _record_failure(email, error, now)
        result.failed += len(batch)
        result.errors.append(f"{type(error).__name__}: {error}")
        session.commit()
        return
    try:
        for email in batch:
            _send_one(client, email, settings, result, now)
            session.commit()
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()


def _send_one(
    client: smtplib.SMTP,
    email: OutboxEmail,
    settings: SmtpSettings,
    result: SendResult,
    now: dt.datetime,
) -> None:
    try:
        client.send_message(compose(email, settings))
    except (OSError, smtplib.SMTPException, ValueError) as error:
        log.warning("e-mail %s to %s not sent: %s", email.id, email.to_address, error)
        _record_failure(email, error, now)
        result.failed += 1
        result.errors.append(f"{email.to_address}: {type(error).__name__}: {error}")
        return
    email.attempts += 1
    email.status, email.sent_at, email.last_error = "sent", now, None
    result.sent += 1


def send_now(settings: SmtpSettings, to_address: str, subject: str, body: str) -> str | None:
    """Send one e-mail at once, outside the outbox, for a text that must never be stored (a
    password reset link); the error, or None when sent. Never raises."""
    if not settings.enabled:
        return "e-mail is off (no SMTP host)"
    email = OutboxEmail(to_address=to_address, subject=subject, body_text=body, link="")
    try:
        client = _connect(settings)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("SMTP server %s:%s unavailable: %s", settings.host, settings.port, error)
        return f"{type(error).__name__}: {error}"
    try:
        client.send_message(compose(email, settings))
    except (OSError, smtplib.SMTPException, ValueError) as error:
        log.warning("e-mail to %s not sent: %s", to_address, error)
        return f"{type(error).__name__}: {error}"
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()
    return None
