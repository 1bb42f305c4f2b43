"""Importing units and users from CSV files (UTF-8, with or without BOM, header row).

units.csv: code, name, kind, locality, parent_code, email, phone
users.csv: username, full_name, role, unit_code, email, phone, position, password
A user may appear on several rows, one per role. Existing rows are updated, never
duplicated, so an import can be run again after fixing a file. Nothing is written
unless every row is valid: errors name the line and the column.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import RoleGrant, Unit, User
from models.org import UNIT_KINDS
from models.passwords import hash_password
from models.text import fold, nfc
from workflow.core.actors import UNIT_SCOPED_ROLES, Role

UNIT_COLUMNS = ("code", "name", "kind", "locality", "parent_code", "email", "phone")
USER_COLUMNS = (
    "username",
    "full_name",
    "role",
    "unit_code",
    "email",
    "phone",
    "position",
    "password",
)


@dataclass
class ImportResult:
    """What an import did, or why it did nothing."""

    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)
    # username → generated password, for users created without one.
    passwords: dict[str, str] = field(default_factory=dict)


def _rows(
    text: str, columns: tuple[str, ...], result: ImportResult
) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in columns[:3] if c not in header]
    if missing:
        result.errors.append(f"Dòng 1: thiếu cột {', '.join(missing)} / line 1: missing columns")
        return []
    return [
        (number, {k.strip(): nfc(v) for k, v in row.items() if k})
        for number, row in enumerate(reader, start=2)
    ]


def import_units(
    session: Session, text: str, progress: Callable[[Iterable], Iterable] | None = None
) -> ImportResult:
    """Create or update units from CSV text; parents may come later in the same file."""
    result = ImportResult()
    rows = _rows(text, UNIT_COLUMNS, result)
    codes = {row["code"] for _, row in rows} | set(session.scalars(select(Unit.code)))
    for number, row in rows:
        if not row.get("code") or not row.get("name"):
            result.errors.append(f"Dòng {number}: thiếu mã hoặc tên đơn vị / missing code or name")
        if row.get("kind") not in UNIT_KINDS:
            result.errors.append(
                f"Dòng {number}: loại đơn vị “{row.get('kind')}” không hợp lệ "
                f"({', '.join(UNIT_KINDS)})"
            )
        if row.get("parent_code") and row["parent_code"] not in codes:
            result.errors.append(
                f"Dòng {number}: không có đơn vị cấp trên mã “{row['parent_code']}”"
            )
    if result.errors:
        return result
    existing = {u.code: u for u in session.scalars(select(Unit))}
    for _, row in (progress or iter)(rows):
        unit = existing.get(row["code"])
        if unit is None:
            unit = existing[row["code"]] = Unit(code=row["code"])
            session.add(unit)
            result.created += 1
        else:
            result.updated += 1
        unit.name, unit.kind = row["name"], row["kind"]
        unit.locality, unit.email, unit.phone = (
            row.get("locality") or None,
            row.get("email") or None,
            row.get("phone") or None,
        )
        unit.search_key = fold(f"{unit.name} {unit.code} {unit.locality or ''}")
    session.flush()
    for _, row in rows:
        parent = existing.get(row.get("parent_code") or "")
        existing[row["code"]].parent_id = parent.id if parent else None
    session.flush()
    return result


def import_users(
    session: Session, text: str, progress: Callable[[Iterable], Iterable] | None = None
) -> ImportResult:
    """Create or update users and add their role grants from CSV text."""
    result = ImportResult()
    rows = _rows(text, USER_COLUMNS, result)
    units = {u.code: u.id for u in session.scalars(select(Unit))}
    roles = {r.value for r in Role}
    for number, row in rows:
        if not row.get("username") or not row.get("full_name"):
            result.errors.append(
                f"Dòng {number}: thiếu tên đăng nhập hoặc họ tên / missing username or name"
            )
        if row.get("role") not in roles:
            result.errors.append(
                f"Dòng {number}: vai trò “{row.get('role')}” "
                f"không hợp lệ ({', '.join(sorted(roles))})"
            )
        elif Role(row["role"]) in UNIT_SCOPED_ROLES and row.get("unit_code") not in units:
            result.errors.append(
                f"Dòng {number}: vai trò {row['role']} cần mã đơn vị có thật "
                f"(“{row.get('unit_code', '')}”)"
            )
    if result.errors:
        return result
    existing = {u.username: u for u in session.scalars(select(User))}
    before = set(existing)
    for _, row in (progress or iter)(rows):
        username = row["username"].lower()
        user = existing.get(username)
        if user is None:
            password = row.get("password") or secrets.token_urlsafe(9)
            if not row.get("password"):
                result.passwords[username] = password
            # A generated password is handed over once: its holder must choose their own.
            user = existing[username] = User(
                username=username,
                password_hash=hash_password(password),
                must_change_password=not row.get("password"),
            )
            session.add(user)
        user.full_name = row["full_name"]
        for column in ("email", "phone", "position"):
            if row.get(column):
                setattr(user, column, row[column])
        unit_id = (
            units.get(row.get("unit_code") or "")
            if Role(row["role"]) in UNIT_SCOPED_ROLES
            else None
        )
        if not any(g.role == row["role"] and g.unit_id == unit_id for g in user.grants):
            user.grants.append(RoleGrant(role=row["role"], unit_id=unit_id))
    session.flush()
    touched = {row["username"].lower() for _, row in rows}
    result.created, result.updated = len(touched - before), len(touched & before)
    return result
