"""Accounts: sign-in throttled per account and source, sessions, users and their grants."""

from __future__ import annotations

import datetime as dt
import math
import secrets
from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models import RoleGrant, User
from models.clock import utcnow
from models.org import LoginThrottle
from models.passwords import hash_password, needs_rehash, verify_password
from models.text import nfc
from workflow.core.actors import UNIT_SCOPED_ROLES, Actor, Role

# Failures of one account from one source that cost nothing; each one after waits twice as
# long as the one before, up to MAX_DELAY.
FREE_FAILURES = 4
FIRST_DELAY = dt.timedelta(seconds=30)
MAX_DELAY = dt.timedelta(minutes=15)
# A pair idle this long starts over (and its row is swept).
FORGET_AFTER = dt.timedelta(days=1)
# Verifying against a dummy hash keeps the time of "no such user" like a wrong password.
_DUMMY_HASH = hash_password("không có tài khoản này")


class Throttled(Exception):
    """Too many failed sign-ins of this account from this source: wait until ``retry_at``."""

    def __init__(self, retry_at: dt.datetime, now: dt.datetime) -> None:
        super().__init__(retry_at)
        self.retry_at = retry_at
        # Whole seconds, rounded up: the HTTP ``Retry-After`` value.
        self.retry_after = math.ceil((retry_at - now).total_seconds())


def delay_after(failures: int) -> dt.timedelta:
    """How long the pair must wait after its ``failures``-th failure in a row."""
    if failures <= FREE_FAILURES:
        return dt.timedelta(0)
    # The exponent is capped so a huge count cannot overflow the timedelta.
    return min(FIRST_DELAY * 2 ** min(failures - FREE_FAILURES - 1, 20), MAX_DELAY)


def _account_key(username: str) -> str:
    return nfc(username).strip().lower()[:80]


def authenticate(
    session: Session,
    username: str,
    password: str,
    now: dt.datetime | None = None,
    *,
    source: str = "local",
) -> User | None:
    """The active user with these credentials, or None; raises :class:`Throttled` while the
    pair (account, ``source``) must wait.

    Never tells apart an unknown user and a wrong password: unknown names are throttled too.
    """
    now = now or utcnow()
    key, source = _account_key(username), source[:64]
    blocked_until = session.scalar(
        select(LoginThrottle.blocked_until).where(
            LoginThrottle.username == key, LoginThrottle.source == source
        )
    )
    if blocked_until is not None and blocked_until > now:
        raise Throttled(blocked_until, now)
    user = session.scalar(select(User).where(func.lower(User.username) == key))
    if user is None or not user.active:
        verify_password(_DUMMY_HASH, password)
        _record_failure(session, key, source, now)
        return None
    if not verify_password(user.password_hash, password):
        _record_failure(session, key, source, now)
        return None
    session.execute(
        delete(LoginThrottle).where(LoginThrottle.username == key, LoginThrottle.source == source)
    )
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def _record_failure(session: Session, key: str, source: str, now: dt.datetime) -> None:
    table = LoginThrottle.__table__
    # Sweep idle pairs first, so this pair, if idle for a day, starts over.
    session.execute(delete(table).where(table.c.last_failure_at < now - FORGET_AFTER))
    # One atomic upsert: two processes failing at once both count (no lost update, no
    # duplicate-key error on the pair's first failure).
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    upsert = dialect.insert(table).values(
        username=key, source=source, failures=1, last_failure_at=now
    )
    failures = session.execute(
        upsert.on_conflict_do_update(
            index_elements=[table.c.username, table.c.source],
            set_={"failures": table.c.failures + 1, "last_failure_at": now},
        ).returning(table.c.failures)
    ).scalar_one()
    wait = delay_after(failures)
    session.execute(
        table.update()
        .where(table.c.username == key, table.c.source == source)
        .values(blocked_until=now + wait if wait else None)
    )


class Account(NamedTuple):
    """What a request needs of the signed-in account: who it is and what it may do."""

    id: int
    username: str
    full_name: str
    locale: str
    session_token: str
    must_change_password: bool
    actor: Actor


_USER, _GRANT = User.__table__, RoleGrant.__table__
# Every request of a signed-in person runs this: one statement (the account and its grants),
# built once, instead of a user row, a second SELECT of its grants and the ORM objects.
_ACCOUNT = (
    select(
        _USER.c.username,
        _USER.c.full_name,
        _USER.c.locale,
        _USER.c.session_token,
        _USER.c.must_change_password,
        _GRANT.c.role,
        _GRANT.c.unit_id,
    )
    .select_from(_USER.outerjoin(_GRANT, _GRANT.c.user_id == _USER.c.id))
    .where(_USER.c.id == bindparam("user_id"), _USER.c.active.is_(True))
)


def active_account(session: Session, user_id: int, token: str) -> Account | None:
    """The active account ``user_id`` if ``token`` is its current session token, else None."""
    rows = session.execute(_ACCOUNT, {"user_id": user_id}).all()
    if not rows or rows[0].session_token != token:
        return None
    first = rows[0]
    grants = frozenset((Role(r.role), r.unit_id) for r in rows if r.role is not None)
    return Account(
        user_id,
        first.username,
        first.full_name,
        first.locale,
        first.session_token,
        bool(first.must_change_password),
        Actor(user_id, grants, first.full_name),
    )


def lift_throttle(session: Session, username: str) -> None:
    """Forget the failed sign-ins of ``username`` from every source (a reset by the admin)."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.username == _account_key(username)))


def end_sessions(user: User) -> None:
    """End every session of ``user``: cookies holding the old token no longer sign in."""
    user.session_token = secrets.token_hex(16)


def sign_out(session: Session, user_id: int) -> None:
    """Sign the user out everywhere, so a copy of the cookie is worthless afterwards."""
    user = session.get(User, user_id)
    if user is not None:
        end_sessions(user)


def change_password(user: User, password: str) -> None:
    """Set a new password and end every open session."""
    user.password_hash = hash_password(password)
    end_sessions(user)


def deactivate(user: User) -> None:
    """Stop the user signing in; reactivating later does not revive old sessions."""
    user.active = False
    end_sessions(user)


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
