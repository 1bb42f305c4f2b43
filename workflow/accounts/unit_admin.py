"""Units administered in the browser: the list, creating, editing, deactivating and
reactivating. A unit is never deleted (dossiers, grants and history point at it). Every change
is audited (entity ``unit``) with its diff."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from models import Unit
from models.org import UNIT_KINDS
from models.text import fold, whole_number
from workflow.accounts.admin import (
    EMAIL,
    PHONE,
    Cleaner,
    Kind,
    fetch,
    locked,
    log,
    require_admin,
    set_active,
    update_record,
)
from workflow.core.actors import Actor

FIELDS = ("code", "name", "kind", "locality", "parent_id", "email", "phone", "active")
LABELS = {
    "code": ("Mã đơn vị", "Unit code"),
    "name": ("Tên đơn vị", "Unit name"),
    "kind": ("Loại đơn vị", "Kind of unit"),
    "locality": ("Xã, phường, đặc khu", "Commune, ward or special zone"),
    "parent_id": ("Đơn vị cấp trên", "Parent unit"),
    "email": ("Thư điện tử", "E-mail"),
    "phone": ("Điện thoại", "Phone"),
}
KIND_LABELS: dict[str, tuple[str, str]] = {
    "department": ("Sở Giáo dục và Đào tạo", "Department of Education and Training"),
    "office": ("Phòng, ban thuộc Sở", "Office of the Department"),
    "division": ("Phòng Giáo dục và Đào tạo", "Education division"),
    "preschool": ("Trường mầm non", "Preschool"),
    "primary": ("Trường tiểu học", "Primary school"),
    "lower_secondary": ("Trường trung học cơ sở", "Lower secondary school"),
    "upper_secondary": ("Trường trung học phổ thông", "Upper secondary school"),
    "multi_level": ("Trường nhiều cấp học", "Multi-level school"),
    "continuing_education": ("Trung tâm giáo dục thường xuyên", "Continuing education centre"),
    "vocational": ("Cơ sở giáo dục nghề nghiệp", "Vocational school"),
    "other": ("Đơn vị khác", "Other unit"),
}
CODE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,39}$")
SORTS = {"code": Unit.code, "name": Unit.search_key, "kind": Unit.kind, "locality": Unit.locality}


def snapshot(unit: Unit) -> dict[str, Any]:
    """The unit's administered fields, as audited and stamped."""
    return {name: getattr(unit, name) for name in FIELDS}


KIND = Kind(
    Unit, "unit", ("của đơn vị", "unit"), ("Không tìm thấy đơn vị.", "No such unit."), snapshot
)


def units_query(search: str = "", kind: str = "", status: str = "") -> Select:
    """Units matching a diacritic-insensitive ``search``, a ``kind`` and a status (``active``,
    ``inactive``, or both when blank); unordered."""
    stmt = select(Unit)
    if search.strip():
        stmt = stmt.where(
            or_(
                Unit.search_key.contains(fold(search.strip()), autoescape=True),
                Unit.code.contains(search.strip().upper(), autoescape=True),
            )
        )
    if kind in UNIT_KINDS:
        stmt = stmt.where(Unit.kind == kind)
    if status in ("active", "inactive"):
        stmt = stmt.where(Unit.active.is_(status == "active"))
    return stmt


def clean(session: Session, values: Mapping[str, Any], unit_id: int | None) -> dict[str, Any]:
    """The unit's fields from ``values``; AdminRefused naming every field that is wrong."""
    check = Cleaner(values, LABELS)
    out: dict[str, Any] = {
        "code": (check.text("code", 40, required=True) or "").upper(),
        "name": check.text("name", 255, required=True),
        "kind": check.text("kind", 40, required=True),
        "locality": check.text("locality", 120),
        "email": check.contact("email", EMAIL, 255),
        "phone": check.contact("phone", PHONE, 40),
        "parent_id": _parent(session, check, values.get("parent_id"), unit_id),
    }
    if out["code"] and not CODE.match(out["code"]):
        check.problem(
            "code",
            "chỉ gồm chữ cái không dấu, chữ số, dấu chấm, gạch ngang",
            "may hold only letters without diacritics, digits, dots and hyphens",
        )
    elif session.scalar(select(Unit.id).where(Unit.code == out["code"], Unit.id != (unit_id or 0))):
        check.problem("code", "đã có đơn vị khác dùng", "is used by another unit")
    if out["kind"] and out["kind"] not in UNIT_KINDS:
        check.problem("kind", "chưa chọn giá trị hợp lệ", "is not a valid choice")
    check.raise_if_any()
    return out


def _parent(session: Session, check: Cleaner, raw: Any, unit_id: int | None) -> int | None:
    if not str(raw or "").strip():
        return None
    parent_id = whole_number(raw)
    parent = session.get(Unit, parent_id) if parent_id else None
    if parent is None:
        check.problem("parent_id", "không có trong danh mục", "is not a known unit")
        return None
    seen, node = set(), parent
    while node is not None and node.id not in seen:
        if node.id == unit_id:
            check.problem(
                "parent_id",
                "không thể là chính đơn vị này hoặc đơn vị trực thuộc nó",
                "cannot be the unit itself or one of its own units",
            )
            return None
        seen.add(node.id)
        node = node.parent
    return parent_id


def _apply(unit: Unit, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        setattr(unit, name, value)
    unit.search_key = fold(f"{unit.name} {unit.code} {unit.locality or ''}")


def get_unit(session: Session, unit_id: int) -> Unit | None:
    """The unit, or None."""
    return fetch(session, KIND, unit_id)


def create_unit(
    session: Session, actor: Actor | None, values: Mapping[str, Any], now: dt.datetime | None = None
) -> Unit:
    """Add a unit. Never commits."""
    actor = require_admin(actor)
    unit = Unit(active=True)
    _apply(unit, clean(session, values, None))
    session.add(unit)
    session.flush()
    log(session, actor, "unit", unit.id, "create", snapshot(unit), unit_id=unit.id, now=now)
    return unit


def update_unit(
    session: Session,
    actor: Actor | None,
    unit_id: int,
    values: Mapping[str, Any],
    *,
    expected_stamp: int | None = None,
    now: dt.datetime | None = None,
) -> dict[str, list[Any]]:
    """Change a unit's fields; returns (and audits) the diff. A form drawn before another
    admin's save is refused (StaleVersion)."""
    actor = require_admin(actor)
    unit = locked(session, KIND, unit_id)
    apply = lambda: _apply(unit, clean(session, values, unit_id))  # noqa: E731
    return update_record(session, actor, KIND, unit, apply, expected_stamp, now)


def set_unit_active(
    session: Session,
    actor: Actor | None,
    unit_id: int,
    active: bool,
    *,
    expected_stamp: int | None = None,
    now: dt.datetime | None = None,
) -> bool:
    """Deactivate (or reactivate) a unit; True when it changed. Its accounts keep their grants:
    a deactivated unit is only left out of the lists of units to choose."""
    actor = require_admin(actor)
    unit = locked(session, KIND, unit_id)
    return set_active(session, actor, KIND, unit, active, expected_stamp, now)


def unit_choices(session: Session, active_only: bool = True) -> list[Unit]:
    """Units to choose from (a parent, a role's unit), by name."""
    stmt = select(Unit).order_by(Unit.search_key)
    if active_only:
        stmt = stmt.where(Unit.active.is_(True))
    return list(session.scalars(stmt))
