"""Innovative models and good practices (mô hình mới, cách làm hay): a unit registers and edits
its own; the Office marks the best exemplary, which publishes them for replication.
Every change is an audit event of the practice. A change locks the row and may name the
version the person's page was drawn from: when someone else changed the practice since,
it is refused (StaleVersion) and nothing changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, false, select
from sqlalchemy.orm import Session

from models import AuditEvent, Campaign, Practice, Unit
from models.clock import utcnow
from models.text import fold, has_words, nfc, whole_number
from workflow.core import audit
from workflow.core.actors import Actor, Role
from workflow.core.authz import (
    UNIT,
    first_role,
    is_unit_member,
    may_edit_practice,
    may_mark_practice,
    may_register_practice,
    may_see_all_practices,
    refuse_unless,
)
from workflow.core.errors import EditRefused, NotFound, Violation, refuse_if_stale
from workflow.core.inputs import field_required, field_too_long
from workflow.core.messages import Messages

# field: (Vietnamese label, English label, max length, required)
FIELDS: dict[str, tuple[str, str, int, bool]] = {
    "title": ("Tên mô hình, cách làm hay", "Title", 400, True),
    "summary": ("Tóm tắt nội dung, cách làm", "Summary", 20000, True),
    "results": ("Kết quả, hiệu quả", "Results", 20000, False),
    "evidence": ("Minh chứng", "Evidence", 20000, False),
}
# What marking is called in a refusal (Vietnamese, English).
MARK_ACTION = ("Công nhận mô hình tiêu biểu", "Mark a practice exemplary")
STATUS_LABELS = {
    "registered": ("Đã đăng ký", "Registered"),
    "exemplary": ("Tiêu biểu", "Exemplary"),
}
PRACTICE_MESSAGES = Messages(
    {
        "practice_locked": (
            "Mô hình đã được công nhận tiêu biểu; liên hệ Văn phòng Sở nếu cần sửa.",
            "The practice is marked exemplary; ask the Office if it needs a change.",
        ),
        "practice_stale_version": (
            "Người khác đã thay đổi mô hình này trước bạn. Trạng thái hiện tại: “{state}”. "
            "Vui lòng xem lại nội dung hiện tại của mô hình rồi thực hiện lại.",
            "Someone else changed this practice first. It is now “{state}”. "
            "Please review its current content and try again.",
        ),
    }
)
# Refreshed from the database, so the version compared is the committed one. FOR UPDATE OF:
# the joined unit is on the nullable side of an outer join, which PostgreSQL will not lock.
# SQLite has no row locks; its writers are serialised by BEGIN IMMEDIATE.
_LOCK_PRACTICE = (
    select(Practice)
    .where(Practice.id == bindparam("practice_id"))
    .with_for_update(of=Practice)
    .execution_options(populate_existing=True)
)


def visible_practices(actor: Actor) -> ColumnElement[bool]:
    """WHERE clause of the practices ``actor`` may see: the Office all, a unit its own."""
    if may_see_all_practices(actor):
        return Practice.id.is_not(None)
    units = actor.unit_ids()
    return Practice.unit_id.in_(sorted(units)) if units else false()


def _values(session: Session, fields: Mapping[str, Any]) -> tuple[dict[str, Any], list[Violation]]:
    values, problems = {}, []
    for name, (vi, en, limit, required) in FIELDS.items():
        if name not in fields:
            continue
        text = nfc(str(fields.get(name) or ""))
        if required and not text:
            problems.append(field_required((vi, en)))
        elif len(text) > limit:
            problems.append(field_too_long((vi, en), limit))
        values[name] = text
    if "campaign_id" in fields:
        chosen = whole_number(fields.get("campaign_id"))
        values["campaign_id"] = (
            chosen if chosen is not None and session.get(Campaign, chosen) else None
        )
    return values, problems


def _search_key(session: Session, practice: Practice) -> str:
    unit = session.get(Unit, practice.unit_id)
    return fold(
        " ".join(filter(None, (practice.title, practice.summary[:300], unit.name if unit else "")))
    )[:800]


def register_practice(
    session: Session,
    actor: Actor,
    unit_id: int,
    fields: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> Practice:
    """A unit member registers a practice of their unit. Audited ("create"). Never commits."""
    now = now or utcnow()
    refuse_unless(may_register_practice(actor, unit_id))
    role = first_role(actor, UNIT, unit_id)
    values, problems = _values(
        session, {name: fields.get(name) for name in (*FIELDS, "campaign_id")}
    )
    if problems:
        raise EditRefused(problems)
    practice = Practice(
        unit_id=unit_id,
        registered_by=actor.user_id,
        registered_at=now,
        status="registered",
        **values,
    )
    practice.search_key = _search_key(session, practice)
    session.add(practice)
    session.flush()
    audit.append(
        session,
        entity_type="practice",
        entity_id=practice.id,
        action="create",
        actor_id=actor.user_id,
        actor_role=role.value,
        unit_id=unit_id,
        to_state="registered",
        changes=values,
        now=now,
    )
    return practice


def _visible(practice: Practice | None, actor: Actor | None) -> Practice:
    """``practice`` when ``actor`` may see it (anyone sees an exemplary one); NotFound otherwise."""
    if practice is not None and (
        practice.status == "exemplary"
        or may_see_all_practices(actor)
        or is_unit_member(actor, practice.unit_id)
    ):
        return practice
    raise NotFound()


def load_practice(session: Session, practice_id: int, actor: Actor | None) -> Practice:
    """A practice ``actor`` may see (anyone sees an exemplary one); NotFound otherwise."""
    return _visible(session.get(Practice, practice_id), actor)


def _lock(session: Session, practice_id: int, actor: Actor) -> Practice:
    """Lock and load a practice ``actor`` may see, refreshed from the database."""
    return _visible(
        session.scalars(_LOCK_PRACTICE, {"practice_id": practice_id}).one_or_none(), actor
    )


def _check_version(practice: Practice, expected_version: int | None) -> None:
    """StaleVersion when the practice moved on since the person's page was drawn."""
    refuse_if_stale(
        practice.version,
        expected_version,
        "practice_stale_version",
        STATUS_LABELS[practice.status],
        PRACTICE_MESSAGES,
    )


def update_practice(
    session: Session,
    practice_id: int,
    actor: Actor,
    fields: Mapping[str, Any],
    now: dt.datetime | None = None,
    *,
    expected_version: int | None = None,
) -> AuditEvent | None:
    """The unit edits its registered practice (an exemplary one is locked). Audited ("edit");
    None when nothing changed. Never commits."""
    now = now or utcnow()
    practice = _lock(session, practice_id, actor)
    refuse_unless(may_edit_practice(actor, practice))
    role = first_role(actor, UNIT, practice.unit_id)
    _check_version(practice, expected_version)
    if practice.status == "exemplary":
        raise EditRefused([PRACTICE_MESSAGES.violation("practice_locked")])
    values, problems = _values(session, fields)
    if problems:
        raise EditRefused(problems)
    changed = {k: [getattr(practice, k), v] for k, v in values.items() if getattr(practice, k) != v}
    if not changed:
        return None
    for name, (_, new) in changed.items():
        setattr(practice, name, new)
    practice.search_key = _search_key(session, practice)
    event = audit.append(
        session,
        entity_type="practice",
        entity_id=practice.id,
        action="edit",
        actor_id=actor.user_id,
        actor_role=role.value,
        unit_id=practice.unit_id,
        from_state=practice.status,
        to_state=practice.status,
        changes=changed,
        now=now,
    )
    session.flush()
    return event


def mark_exemplary(
    session: Session,
    practice_id: int,
    actor: Actor,
    reason: str | None = None,
    *,
    exemplary: bool = True,
    now: dt.datetime | None = None,
    expected_version: int | None = None,
) -> AuditEvent | None:
    """The Office marks a practice exemplary (published for replication), or withdraws the mark
    (a reason is then required). Audited; None when it already is so. Never commits.

    With ``expected_version``, a practice the unit (or another reviewer) changed since is refused,
    so nobody marks content they have not read."""
    now = now or utcnow()
    refuse_unless(may_mark_practice(actor), MARK_ACTION)
    practice = _lock(session, practice_id, actor)
    _check_version(practice, expected_version)
    reason = nfc(reason) or None
    status = "exemplary" if exemplary else "registered"
    if practice.status == status:
        return None
    if not exemplary and not reason:
        raise EditRefused([Violation("reason_required")])
    old = practice.status
    practice.status, practice.marked_by, practice.marked_at = status, actor.user_id, now
    event = audit.append(
        session,
        entity_type="practice",
        entity_id=practice.id,
        action="mark_exemplary" if exemplary else "unmark_exemplary",
        actor_id=actor.user_id,
        actor_role=Role.OFFICE_REVIEWER.value,
        unit_id=practice.unit_id,
        from_state=old,
        to_state=status,
        reason=reason,
        now=now,
    )
    session.flush()
    return event


def search(text: str) -> ColumnElement[bool]:
    """WHERE clause: every folded word of ``text`` is in the title, summary or unit name
    ("mo hinh" finds "mô hình")."""
    return has_words(Practice.search_key, text, limit=8)


def public_practices() -> Select:
    """The exemplary practices, newest mark first (a statement to filter and page)."""
    return (
        select(Practice)
        .where(Practice.status == "exemplary")
        .order_by(Practice.marked_at.desc(), Practice.id.desc())
    )
