"""Accounts administered in the browser: the list, creating, editing, deactivating and
reactivating (never deleting: an account's name is in the audit log and on dossiers), role
grants with their unit, and the admin's password reset.

Deactivating, a grant's change and a reset rotate the account's session token, which ends its
open sessions. Every change is audited (entity ``user_account``); passwords never are.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session

from models import RoleGrant, Unit, User
from models.passwords import hash_password
from models.text import nfc, whole_number
from workflow.accounts.admin import (
    EMAIL,
    PHONE,
    Cleaner,
    Kind,
    fetch,
    locked,
    log,
    refused,
    require_admin,
    set_active,
    update_record,
)
from workflow.accounts.service import end_sessions, lift_throttle
from workflow.core.actors import UNIT_SCOPED_ROLES, Actor, Role

FIELDS = ("username", "full_name", "email", "phone", "position", "active")
LABELS = {
    "username": ("Tên đăng nhập", "Username"),
    "full_name": ("Họ và tên", "Full name"),
    "email": ("Thư điện tử", "E-mail"),
    "phone": ("Điện thoại", "Phone"),
    "position": ("Chức vụ", "Position"),
    "role": ("Vai trò", "Role"),
    "unit_id": ("Đơn vị", "Unit"),
    "password": ("Mật khẩu mới", "New password"),
    "password_again": ("Nhập lại mật khẩu mới", "New password again"),
    "current_password": ("Mật khẩu hiện tại", "Current password"),
}
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")
MIN_PASSWORD = 10
SORTS = {"username": User.username, "full_name": User.full_name, "created": User.created_at}


def snapshot(user: User) -> dict[str, Any]:
    """The account's administered fields, as audited and stamped (never its password)."""
    return {name: getattr(user, name) for name in FIELDS}


KIND = Kind(
    User,
    "user_account",
    ("của tài khoản", "account"),
    ("Không tìm thấy tài khoản.", "No such account."),
    snapshot,
)


def accounts_query(
    search: str = "", role: str = "", unit_id: int | None = None, status: str = ""
) -> Select:
    """Accounts whose username or name contains ``search``, holding ``role`` (in ``unit_id``)
    and of a status (``active``, ``inactive``, or both when blank); unordered."""
    stmt = select(User)
    typed = nfc(search).strip()
    if typed:
        # SQLite lowers ASCII letters only: "Đặng" is also matched as typed.
        stmt = stmt.where(
            or_(
                func.lower(User.username).contains(typed.lower(), autoescape=True),
                func.lower(User.full_name).contains(typed.lower(), autoescape=True),
                User.full_name.contains(typed, autoescape=True),
            )
        )
    grant = select(RoleGrant.id).where(RoleGrant.user_id == User.id)
    if role in {r.value for r in Role}:
        grant = grant.where(RoleGrant.role == role)
    if unit_id is not None:
        grant = grant.where(RoleGrant.unit_id == unit_id)
    if role or unit_id is not None:
        stmt = stmt.where(exists(grant))
    if status in ("active", "inactive"):
        stmt = stmt.where(User.active.is_(status == "active"))
    return stmt


def clean(session: Session, values: Mapping[str, Any], user_id: int | None) -> dict[str, Any]:
    """The account's fields from ``values``; AdminRefused naming every field that is wrong."""
    check = Cleaner(values, LABELS)
    out = {
        "username": (check.text("username", 80, required=True) or "").lower(),
        "full_name": check.text("full_name", 160, required=True),
        "email": check.contact("email", EMAIL, 255),
        "phone": check.contact("phone", PHONE, 40),
        "position": check.text("position", 160),
    }
    if out["username"] and not USERNAME.match(out["username"]):
        check.problem(
            "username",
            "gồm 3–80 chữ cái thường không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới",
            "must be 3–80 lower-case letters without diacritics, digits, dots, hyphens or "
            "underscores",
        )
    elif session.scalar(
        select(User.id).where(
            func.lower(User.username) == out["username"], User.id != (user_id or 0)
        )
    ):
        check.problem("username", "đã có tài khoản khác dùng", "is used by another account")
    check.raise_if_any()
    return out


def new_password(values: Mapping[str, Any]) -> tuple[str, bool]:
    """(the password, whether it was generated): the one typed twice, or, when none was
    typed, a one-time password for the admin to hand over."""
    if not values.get("password") and not values.get("password_again"):
        return secrets.token_urlsafe(9), True
    return typed_password(values), False


def typed_password(values: Mapping[str, Any], check: Cleaner | None = None) -> str:
    """The new password typed twice in ``values``; AdminRefused naming what is wrong (with the
    problems ``check`` already holds)."""
    check = check or Cleaner(values, LABELS)
    typed = str(values.get("password") or "")
    if len(typed) < MIN_PASSWORD:
        check.problem(
            "password",
            f"cần ít nhất {MIN_PASSWORD} ký tự",
            f"needs at least {MIN_PASSWORD} characters",
        )
    elif typed != values.get("password_again"):
        check.problem("password_again", "không khớp với mật khẩu mới", "does not match")
    check.raise_if_any()
    return typed


def get_account(session: Session, user_id: int) -> User | None:
    """The account, or None."""
    return fetch(session, KIND, user_id)


def create_account(
    session: Session,
    actor: Actor | None,
    values: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> tuple[User, str | None]:
    """Add an account with one grant (``role``, ``unit_id`` in ``values``) and a password:
    (the account, the generated one-time password or None). Never commits."""
    actor = require_admin(actor)
    fields = clean(session, values, None)
    role, unit_id = _grant_values(session, values)
    password, generated = new_password(values)
    # A generated password is handed over once: its holder must choose their own.
    user = User(
        **fields,
        active=True,
        password_hash=hash_password(password),
        must_change_password=generated,
    )
    user.grants.append(RoleGrant(role=role, unit_id=unit_id))
    session.add(user)
    session.flush()
    changes = {**snapshot(user), "grants": [[role, unit_id]]}
    log(session, actor, "user_account", user.id, "create", changes, unit_id=unit_id, now=now)
    return user, password if generated else None


def update_account(
    session: Session,
    actor: Actor | None,
    user_id: int,
    values: Mapping[str, Any],
    *,
    expected_stamp: int | None = None,
    now: dt.datetime | None = None,
) -> dict[str, list[Any]]:
    """Change an account's fields; returns (and audits) the diff. A form drawn before another
    admin's save is refused (StaleVersion)."""
    actor = require_admin(actor)
    user = locked(session, KIND, user_id)

    def apply() -> None:
        for name, value in clean(session, values, user_id).items():
            setattr(user, name, value)

    return update_record(session, actor, KIND, user, apply, expected_stamp, now)


def set_account_active(
    session: Session,
    actor: Actor | None,
    user_id: int,
    active: bool,
    *,
    expected_stamp: int | None = None,
    now: dt.datetime | None = None,
) -> bool:
    """Deactivate (its sessions end, it cannot sign in) or reactivate an account; True when it
    changed. An admin cannot deactivate their own account."""
    actor = require_admin(actor)
    user = locked(session, KIND, user_id)
    if not active and user.id == actor.user_id:
        raise refused(
            "Bạn không thể ngừng kích hoạt tài khoản của chính mình.",
            "You cannot deactivate your own account.",
        )
    changed = set_active(session, actor, KIND, user, active, expected_stamp, now)
    if changed:
        end_sessions(user)
    return changed


def _grant_values(session: Session, values: Mapping[str, Any]) -> tuple[str, int | None]:
    """(role, unit id) of a grant from ``values``: unit roles need an active unit, the others
    take none."""
    check = Cleaner(values, LABELS)
    role = str(values.get("role") or "")
    if role not in {r.value for r in Role}:
        check.problem("role", "chưa chọn vai trò hợp lệ", "is not a valid role")
        check.raise_if_any()
    if Role(role) not in UNIT_SCOPED_ROLES:
        return role, None
    unit = session.get(Unit, whole_number(values.get("unit_id")) or 0)
    if unit is None or not unit.active:
        check.problem(
            "unit_id",
            "cần chọn cho vai trò cán bộ, thủ trưởng đơn vị",
            "must be chosen for a unit officer or head",
        )
    check.raise_if_any()
    return role, unit.id


def add_grant(
    session: Session,
    actor: Actor | None,
    user_id: int,
    values: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> RoleGrant:
    """Grant a role (in a unit, for unit roles); the account's sessions end so its next sign-in
    carries the new role."""
    actor = require_admin(actor)
    user = locked(session, KIND, user_id)
    role, unit_id = _grant_values(session, values)
    if any(g.role == role and g.unit_id == unit_id for g in user.grants):
        raise refused(
            "Tài khoản đã có vai trò này.", "The account already holds this role.", "role"
        )
    grant = RoleGrant(role=role, unit_id=unit_id)
    user.grants.append(grant)
    end_sessions(user)
    session.flush()
    changes = {"grant": [None, [role, unit_id]]}
    log(session, actor, "user_account", user.id, "grant", changes, unit_id=unit_id, now=now)
    return grant


def remove_grant(
    session: Session,
    actor: Actor | None,
    user_id: int,
    grant_id: int,
    now: dt.datetime | None = None,
) -> None:
    """Take a role away (the grant of ``grant_id``); the account's sessions end. An admin
    cannot take away their own administrator role."""
    actor = require_admin(actor)
    user = locked(session, KIND, user_id)
    grant = next((g for g in user.grants if g.id == grant_id), None)
    if grant is None:
        raise refused("Vai trò này đã được thu hồi.", "This role was already taken away.")
    if user.id == actor.user_id and grant.role == Role.ADMIN.value:
        raise refused(
            "Bạn không thể tự thu hồi vai trò quản trị của mình.",
            "You cannot take away your own administrator role.",
        )
    user.grants.remove(grant)
    end_sessions(user)
    session.flush()
    changes = {"grant": [[grant.role, grant.unit_id], None]}
    log(session, actor, "user_account", user.id, "revoke", changes, unit_id=grant.unit_id, now=now)


def reset_password(
    session: Session,
    actor: Actor | None,
    user_id: int,
    values: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> str | None:
    """Set the password typed twice in ``values``, or a generated one-time password, which is
    returned to be shown once and must be changed at the next sign-in. The account's sessions
    end and any lockout is lifted."""
    actor = require_admin(actor)
    user = locked(session, KIND, user_id)
    password, generated = new_password(values)
    user.password_hash = hash_password(password)
    user.must_change_password = generated
    lift_throttle(session, user.username)
    end_sessions(user)
    how = "generated" if generated else "typed"
    log(session, actor, "user_account", user.id, "reset_password", {"password": how}, now=now)
    return password if generated else None
