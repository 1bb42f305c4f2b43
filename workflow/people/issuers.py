"""Who signed award decisions (issuers): the Department, a commune's chairman, a former
district, the former Hải Dương Department… with the dates they could sign (no Flask). The
Office keeps the list; every change is an audit event of the issuer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Issuer
from models.clock import utcnow
from models.people import ISSUER_KINDS
from models.text import fold
from workflow.core import audit
from workflow.core.actors import Actor
from workflow.core.authz import OFFICE, first_role, may_manage_issuers, refuse_unless
from workflow.core.errors import EditRefused, NotFound, Violation
from workflow.people.messages import bounded, choice, day, invalid

LABELS = {
    "code": ("Mã", "Code"),
    "name": ("Tên cơ quan, người ký", "Name"),
    "kind": ("Loại", "Kind"),
    "valid_from": ("Ký từ ngày", "Signs from"),
    "valid_to": ("Ký đến ngày", "Signs until"),
}
MANAGE = ("Quản lý danh sách cơ quan ký quyết định", "Manage issuers")


def all_issuers(session: Session) -> list[Issuer]:
    """Every issuer, by name."""
    return list(session.scalars(select(Issuer).order_by(Issuer.name_key, Issuer.id)))


def _values(session: Session, values: Mapping[str, Any], own_id: int | None) -> dict[str, Any]:
    problems: list[Violation] = []
    code = bounded(values, "code", LABELS["code"], 40, problems, required=True)
    fields = {
        "code": code.upper() if code else code,
        "name": bounded(values, "name", LABELS["name"], 255, problems, required=True),
        "kind": choice(values, "kind", LABELS["kind"], ISSUER_KINDS, problems),
        "valid_from": day(values, "valid_from", LABELS["valid_from"], problems),
        "valid_to": day(values, "valid_to", LABELS["valid_to"], problems),
    }
    if fields["valid_from"] and fields["valid_to"] and fields["valid_to"] < fields["valid_from"]:
        problems.append(invalid(LABELS["valid_to"], "trước ngày bắt đầu", "before the start"))
    if fields["code"]:
        taken = session.scalar(select(Issuer.id).where(Issuer.code == fields["code"]))
        if taken is not None and taken != own_id:
            problems.append(invalid(LABELS["code"], "đã được dùng", "already in use"))
    if problems:
        raise EditRefused(problems)
    return fields


def _audit(
    session: Session, actor: Actor, issuer: Issuer, action: str, changes: Any, now: dt.datetime
) -> None:
    role = first_role(actor, OFFICE)
    audit.append(
        session,
        entity_type="issuer",
        entity_id=issuer.id,
        action=action,
        actor_id=actor.user_id,
        actor_role=role.value if role else None,
        changes=changes,
        now=now,
    )


def add_issuer(
    session: Session, actor: Actor, values: Mapping[str, Any], now: dt.datetime | None = None
) -> Issuer:
    """Add an issuer (its code unique). Audited ("create"). Never commits."""
    now = now or utcnow()
    refuse_unless(may_manage_issuers(actor), MANAGE)
    fields = _values(session, values, None)
    issuer = Issuer(name_key=fold(fields["name"]), **fields)
    session.add(issuer)
    session.flush()
    _audit(session, actor, issuer, "create", fields, now)
    return issuer


def change_issuer(
    session: Session,
    issuer_id: int,
    actor: Actor,
    values: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> Issuer:
    """Change an issuer's code, name, kind or dates. Audited ("edit"). Never commits."""
    now = now or utcnow()
    refuse_unless(may_manage_issuers(actor), MANAGE)
    issuer = session.get(Issuer, issuer_id)
    if issuer is None:
        raise NotFound()
    fields = _values(session, values, issuer.id)
    changed = {k: [getattr(issuer, k), v] for k, v in fields.items() if getattr(issuer, k) != v}
    for name, (_, new) in changed.items():
        setattr(issuer, name, new)
    issuer.name_key = fold(issuer.name)
    if changed:
        session.flush()
        _audit(session, actor, issuer, "edit", changed, now)
    return issuer
