"""Accounts: sign-in with a per-account lockout, and creating users with their grants."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import RoleGrant, User
from models.passwords import hash_password, needs_rehash, verify_password
from models.text import nfc
from workflow.core.actors import UNIT_SCOPED_ROLES, Role

MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)
# Verifying against a dummy hash keeps the time of "no such user" like a wrong password.
_DUMMY_HASH = hash_password("không có tài khoản này")


def authenticate(
    session: Session, username: str, password: str, now: dt.datetime | None = None
) -> User | None:
    """The active user with these credentials, or None; counts failures and locks the account.

    Never tells apart an unknown user, a wrong password and a locked account.
    """
    now = now or dt.datetime.now(dt.UTC)
    user = session.scalar(select(User).where(func.lower(User.username) == nfc(username).lower()))
    if user is None or not user.active:
        verify_password(_DUMMY_HASH, password)
        return None
    if user.locked_until and user.locked_until > now:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until, user.failed_logins = now + LOCKOUT, 0
        return None
    user.failed_logins, user.locked_until = 0, None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def create_user(
    session: Session,
    username: str,
    full_name: str,
    password: str | None,
    grants: Iterable[tuple[str, int | None]],
    *,
    password_hash: str | None = None,
    **extra,
) -> User:
    """A new user with ``grants`` as (role, unit id); unit roles must name a unit.

    ``password_hash`` lets a bulk loader hash one shared password once (argon2 is slow on purpose).
    """
    user = User(
        username=nfc(username).lower(),
        full_name=nfc(full_name),
        password_hash=password_hash or hash_password(password or ""),
        **extra,
    )
    for role, unit_id in grants:
        if Role(role) in UNIT_SCOPED_ROLES and unit_id is None:
            raise ValueError(f"role {role} needs a unit")
        user.grants.append(RoleGrant(role=Role(role).value, unit_id=unit_id))
    session.add(user)
    return user
