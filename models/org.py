"""Units, users and their role grants."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base
from models.clock import utcnow

UNIT_KINDS = (
    "department",
    "office",
    "division",
    "preschool",
    "primary",
    "lower_secondary",
    "upper_secondary",
    "multi_level",
    "continuing_education",
    "vocational",
    "other",
)

ROLES = (
    "unit_staff",
    "unit_head",
    "office_reviewer",
    "council_secretary",
    "council_member",
    "admin",
)
# Roles that only make sense inside one unit.
UNIT_ROLES = frozenset({"unit_staff", "unit_head"})


class Unit(Base):
    """A school, a division or the Department itself."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(40))
    # Commune, ward or special zone (xã, phường, đặc khu) where the unit sits.
    locality: Mapped[str | None] = mapped_column(String(120))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    email: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    search_key: Mapped[str] = mapped_column(String(400), default="", index=True)

    parent: Mapped[Unit | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"


class User(Base):
    """A person who signs in. Passwords are stored as argon2id hashes only."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(160))
    email: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(40))
    position: Mapped[str | None] = mapped_column(String(160))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str] = mapped_column(String(8), default="vi")
    # Rotated on sign-out, password change and deactivation (workflow.accounts.service),
    # which ends every session holding the old one, copied cookies included.
    session_token: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_hex(16))
    # Set when an admin hands over a one-time password: the account may do nothing else until
    # it has chosen its own.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class RoleGrant(Base):
    """One role held by a user; unit roles carry the unit they are scoped to."""

    __tablename__ = "role_grant"
    __table_args__ = (UniqueConstraint("user_id", "role", "unit_id", name="user_role_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(40))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)

    user: Mapped[User] = relationship(back_populates="grants")
    unit: Mapped[Unit | None] = relationship()


class LoginThrottle(Base):
    """Failed sign-ins of one typed account name from one source address.

    Keyed by both, so failures from an attacker's address never delay the account's owner
    signing in from hers. Stored in the database so every app process sees the same count.
    The name is kept as typed (folded), so unknown names are throttled like real ones.
    """

    __tablename__ = "login_throttle"

    username: Mapped[str] = mapped_column(String(80), primary_key=True)
    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    # Indexed: rows idle for a day are swept on the next failure.
    last_failure_at: Mapped[dt.datetime] = mapped_column(index=True)
    blocked_until: Mapped[dt.datetime | None]


class PasswordResetToken(Base):
    """A one-time link to set a new password, e-mailed to the account's owner.

    Only the SHA-256 of the link's secret is stored, so the table read by someone else (a
    backup, a query) opens no account. A token is spent on use, and every other live token
    of the account with it.
    """

    __tablename__ = "password_reset_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
    # The administrator who sent the link, or None when the owner asked for it.
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
