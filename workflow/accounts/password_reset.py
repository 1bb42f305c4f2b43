"""Passwords people set themselves: a one-time link e-mailed on request (or sent by an admin),
and the change of a password, forced after a one-time password handed over by an admin.

A link's secret is 32 random bytes; only its SHA-256 is stored, the secret travels in the
e-mail alone. A link expires after ``LINK_LIFETIME`` and is spent on use, together with every
other live link of the account. Setting a password through a link ends every session of the
account and lifts its sign-in throttle, as the admin's reset does. Every step is audited
(entity ``user_account``); no password and no secret ever is.

Asking for a link answers the same whether or not the account exists: the caller gets the
e-mails to send, never a word of whether there were any.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from models import PasswordResetToken, User
from models.clock import utcnow
from models.passwords import hash_password, verify_password
from models.text import nfc
from workflow.accounts.account_admin import KIND, LABELS, typed_password
from workflow.accounts.admin import Cleaner, locked, log, refused, require_admin
from workflow.accounts.service import end_sessions, lift_throttle
from workflow.core import audit
from workflow.core.actors import Actor

LINK_LIFETIME = dt.timedelta(hours=1)
# Links asked for one account within an hour beyond this are not sent (mail bombing).
MAX_LINKS_PER_HOUR = 3
SUBJECT = "[Vinh Danh] Đặt lại mật khẩu / Reset your password"


@dataclass(frozen=True)
class ResetMail:
    """An e-mail carrying a reset link; ``path`` holds the secret, so it is sent at once and
    never stored."""

    to_address: str
    username: str
    path: str

    def body(self, base_url: str) -> str:
        link = base_url.rstrip("/") + self.path
        minutes = int(LINK_LIFETIME.total_seconds() // 60)
        return (
            f"Xin chào,\n\nCó yêu cầu đặt lại mật khẩu cho tài khoản «{self.username}» trên "
            f"Vinh Danh. Mở liên kết dưới đây để đặt mật khẩu mới (dùng được một lần, trong "
            f"{minutes} phút):\n\n{link}\n\nNếu bạn không yêu cầu, hãy bỏ qua thư này: mật khẩu "
            f"hiện tại vẫn giữ nguyên.\n\n---\n\nHello,\n\nSomeone asked to reset the password "
            f"of the account “{self.username}” on Vinh Danh. Open this link to set a new one "
            f"(it works once, within {minutes} minutes):\n\n{link}\n\nIf it was not you, ignore "
            "this e-mail: your password stays as it is.\n"
        )


class LinkRefused(Exception):
    """A reset link that cannot be used: ``why`` is "unknown", "expired" or "used"."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def digest(secret: str) -> str:
    """What is stored of a link's secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def reset_path(secret: str) -> str:
    return f"/auth/reset/{secret}"


def _issue(
    session: Session, user: User, sent_by: Actor | None, now: dt.datetime
) -> ResetMail | None:
    """A new link for ``user`` (None when the account has no e-mail address or too many links
    were asked for within the hour), audited."""
    if not user.email:
        return None
    recent = session.scalar(
        select(func.count(PasswordResetToken.id)).where(
            PasswordResetToken.user_id == user.id,
            PasswordResetToken.created_at > now - dt.timedelta(hours=1),
        )
    )
    if sent_by is None and recent >= MAX_LINKS_PER_HOUR:
        return None
    secret = secrets.token_urlsafe(32)
    session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=digest(secret),
            created_at=now,
            expires_at=now + LINK_LIFETIME,
            sent_by_id=sent_by.user_id if sent_by else None,
        )
    )
    changes = {"reset_link": "e-mailed", "expires_at": (now + LINK_LIFETIME).isoformat()}
    if sent_by is not None:
        log(session, sent_by, KIND.entity_type, user.id, "send_reset_link", changes, now=now)
    else:
        # Whoever asked is not known: only that a link went to the account's address.
        _log_own(session, user, "request_reset_link", changes, now, by_owner=False)
    return ResetMail(user.email, user.username, reset_path(secret))


def _log_own(
    session: Session,
    user: User,
    action: str,
    changes: Mapping[str, Any],
    now: dt.datetime,
    *,
    by_owner: bool = True,
) -> None:
    """Audit a change of the account by its owner (else by nobody known)."""
    audit.append(
        session,
        entity_type=KIND.entity_type,
        entity_id=user.id,
        action=action,
        actor_id=user.id if by_owner else None,
        actor_role=None,
        changes=changes,
        now=now,
    )


def request_link(session: Session, typed: str, now: dt.datetime | None = None) -> list[ResetMail]:
    """The e-mails to send for a link asked with a username or an e-mail address: one per
    active account so named that has an address (none at all for an unknown name, which the
    caller must not reveal). Never commits."""
    now = now or utcnow()
    key = nfc(typed).strip().lower()[:255]
    if not key:
        return []
    accounts = session.scalars(
        select(User)
        .where(
            User.active.is_(True),
            or_(func.lower(User.username) == key, func.lower(User.email) == key),
        )
        .order_by(User.id)
    )
    return [mail for user in accounts if (mail := _issue(session, user, None, now))]


def send_link(
    session: Session, actor: Actor | None, user_id: int, now: dt.datetime | None = None
) -> ResetMail:
    """An admin sends the account's owner a reset link (the account's e-mail address is
    needed). Never commits."""
    actor = require_admin(actor)
    user = locked(session, KIND, user_id)
    if not user.active:
        raise refused(
            "Tài khoản đã ngừng kích hoạt: hãy kích hoạt lại trước khi gửi liên kết.",
            "The account is deactivated: reactivate it before sending a link.",
        )
    mail = _issue(session, user, actor, now or utcnow())
    if mail is None:
        raise refused(
            "Tài khoản chưa có địa chỉ thư điện tử: hãy nhập địa chỉ rồi gửi lại.",
            "The account has no e-mail address: fill it in, then send again.",
        )
    return mail


def live_link(
    session: Session, secret: str, now: dt.datetime | None = None, *, lock: bool = False
) -> PasswordResetToken:
    """The link of ``secret`` while it may be used; LinkRefused saying why not."""
    now = now or utcnow()
    stmt = select(PasswordResetToken).where(PasswordResetToken.token_hash == digest(secret))
    token = session.scalar(stmt.with_for_update() if lock else stmt)
    user = session.get(User, token.user_id) if token else None
    if token is None or user is None or not user.active:
        raise LinkRefused("unknown")
    if token.used_at is not None:
        raise LinkRefused("used")
    if token.expires_at <= now:
        raise LinkRefused("expired")
    return token


def reset_with_link(
    session: Session, secret: str, values: Mapping[str, Any], now: dt.datetime | None = None
) -> User:
    """Set the password typed twice in ``values`` through the link of ``secret``: the link and
    the account's other links are spent, its sessions end, its sign-in throttle is lifted.
    LinkRefused or AdminRefused (the password) change nothing. Never commits."""
    now = now or utcnow()
    token = live_link(session, secret, now, lock=True)
    password = typed_password(values)
    user = session.get(User, token.user_id, with_for_update=True)
    _set_password(session, user, password, now)
    lift_throttle(session, user.username)
    _log_own(session, user, "reset_password", {"password": "reset_link"}, now)
    return user


def change_own_password(
    session: Session, user_id: int, values: Mapping[str, Any], now: dt.datetime | None = None
) -> User:
    """The signed-in person sets a new password, the current one typed first; every session
    of the account ends (the caller signs this one in again). Never commits."""
    now = now or utcnow()
    user = session.get(User, user_id, with_for_update=True)
    check = Cleaner(values, LABELS)
    if user is None or not verify_password(
        user.password_hash, str(values.get("current_password") or "")
    ):
        check.problem("current_password", "không đúng", "is not right")
    elif values.get("password") == values.get("current_password"):
        check.problem("password", "phải khác mật khẩu hiện tại", "must differ from the current one")
    password = typed_password(values, check)
    forced = user.must_change_password
    _set_password(session, user, password, now)
    _log_own(session, user, "change_password", {"password": "changed", "forced": forced}, now)
    return user


def _set_password(session: Session, user: User, password: str, now: dt.datetime) -> None:
    user.password_hash = hash_password(password)
    user.must_change_password = False
    end_sessions(user)
    session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
    )
