"""What the administration of units and accounts shares: who may do it, how a refusal is
worded, the audit record of every change, and the stamp that lets exactly one of two admins
editing the same record win.

The stamp is a checksum of the record's administered fields as the admin's form was drawn:
the change locks the row and compares, so a form drawn before someone else's save is refused
(StaleVersion) without a version column on units and accounts.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from models.text import nfc
from workflow.core import audit
from workflow.core.actors import Actor, Role
from workflow.core.authz import may_administer, refuse_unless
from workflow.core.errors import Violation, WorkflowError, refuse_if_stale
from workflow.core.messages import Messages

# What administering is called in a refusal (Vietnamese, English).
ADMIN_ACTION = ("Quản trị đơn vị và tài khoản", "Administer units and accounts")

MESSAGES = Messages(
    {
        "required": ("Vui lòng nhập “{label}”.", "Please fill in “{label_en}”."),
        "too_long": (
            "“{label}” dài quá {max} ký tự.",
            "“{label_en}” is longer than {max} characters.",
        ),
        "invalid": ("“{label}” {problem}.", "“{label_en}” {problem_en}."),
        "record_stale": (
            "Người quản trị khác đã lưu thay đổi {state} này trước bạn. Vui lòng xem lại "
            "nội dung hiện tại rồi lưu lại.",
            "Another administrator saved this {state_en} first. Please review it and save again.",
        ),
        "refused": ("{problem}", "{problem_en}"),
    }
)

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^[0-9 +().-]{6,40}$")


class AdminRefused(WorkflowError):
    """An administrative change that is not permitted or not valid; nothing was changed."""


def require_admin(actor: Actor | None) -> Actor:
    """The actor, when an administrator; else AdminRefused (a permission refusal)."""
    refuse_unless(may_administer(actor), ADMIN_ACTION, error=AdminRefused)
    return actor


def refused(problem: str, problem_en: str, field: str | None = None) -> AdminRefused:
    """A refusal with one message (Vietnamese, English), under ``field`` when given."""
    params = {"problem": problem, "problem_en": problem_en, "field": field}
    return AdminRefused([MESSAGES.violation("refused", params)])


def stamp(snapshot: Mapping[str, Any]) -> int:
    """The checksum of a record's administered fields, posted back by its edit form."""
    return zlib.crc32(json.dumps(snapshot, sort_keys=True, default=str).encode())


def refuse_if_changed(
    snapshot: Mapping[str, Any], expected: int | None, record: tuple[str, str]
) -> None:
    """StaleVersion when the record (named by ``record``, Vietnamese and English) no longer has
    the stamp its form was drawn with; the refusal carries the current stamp."""
    refuse_if_stale(stamp(snapshot), expected, "record_stale", record, MESSAGES)


class Cleaner:
    """Reads a form's text fields one by one and collects what is wrong, per field."""

    def __init__(self, values: Mapping[str, Any], labels: Mapping[str, tuple[str, str]]) -> None:
        self.values, self.labels = values, labels
        self.problems: list[Violation] = []

    def _params(self, name: str, **more: Any) -> dict[str, Any]:
        vi, en = self.labels[name]
        return {"field": name, "label": vi, "label_en": en, **more}

    def text(self, name: str, limit: int, required: bool = False) -> str | None:
        """The field, trimmed and NFC; None when blank."""
        value = nfc(str(self.values.get(name) or "")).strip()
        if required and not value:
            self.problems.append(MESSAGES.violation("required", self._params(name)))
        elif len(value) > limit:
            self.problems.append(MESSAGES.violation("too_long", self._params(name, max=limit)))
        return value or None

    def problem(self, name: str, problem: str, problem_en: str) -> None:
        """Record that ``name`` is wrong (the problem completes "“label” …")."""
        params = self._params(name, problem=problem, problem_en=problem_en)
        self.problems.append(MESSAGES.violation("invalid", params))

    def contact(self, name: str, pattern: re.Pattern, limit: int) -> str | None:
        """An optional e-mail address or phone number."""
        value = self.text(name, limit)
        if value and not pattern.match(value):
            self.problem(name, "không đúng định dạng", "is not well formed")
        return value

    def raise_if_any(self) -> None:
        if self.problems:
            raise AdminRefused(self.problems)


def log(
    session: Session,
    actor: Actor | None,
    entity_type: str,
    entity_id: int,
    action: str,
    changes: Mapping[str, Any],
    *,
    unit_id: int | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Append the audit event of an administrative change (``actor`` None: the server's
    operator, from the command line)."""
    audit.append(
        session,
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        actor_id=actor.user_id if actor is not None else None,
        actor_role=Role.ADMIN.value,
        unit_id=unit_id,
        changes=changes,
        now=now,
    )


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} of the fields that changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


@dataclass(frozen=True)
class Kind:
    """A kind of administered record: its model, its audit entity, what a stale refusal calls
    it and what a missing one says (Vietnamese, English), and its administered fields."""

    model: type
    entity_type: str
    record: tuple[str, str]
    missing: tuple[str, str]
    snapshot: Callable[[Any], dict[str, Any]]


def fetch(session: Session, kind: Kind, record_id: int, lock: bool = False) -> Any:
    """The record or None; locked for a change when ``lock`` (the check and the write see one
    row: SQLite serialises its writers with BEGIN IMMEDIATE)."""
    return session.get(kind.model, record_id, with_for_update=lock or None, populate_existing=lock)


def locked(session: Session, kind: Kind, record_id: int) -> Any:
    """The record, locked for a change; AdminRefused when there is none."""
    record = fetch(session, kind, record_id, lock=True)
    if record is None:
        raise refused(*kind.missing)
    return record


def update_record(
    session: Session,
    actor: Actor,
    kind: Kind,
    record: Any,
    apply: Callable[[], None],
    expected_stamp: int | None,
    now: dt.datetime | None,
) -> dict[str, list[Any]]:
    """Run ``apply`` on ``record`` (locked by the caller) unless its form was drawn before
    another admin's save (StaleVersion); audit and return the diff."""
    before = kind.snapshot(record)
    refuse_if_changed(before, expected_stamp, kind.record)
    apply()
    changes = diff(before, kind.snapshot(record))
    if changes:
        log(session, actor, kind.entity_type, record.id, "update", changes, now=now)
    return changes


def set_active(
    session: Session,
    actor: Actor,
    kind: Kind,
    record: Any,
    active: bool,
    expected_stamp: int | None,
    now: dt.datetime | None,
) -> bool:
    """Deactivate or reactivate ``record`` (locked by the caller), audited; True when it
    changed. A form drawn before another admin's save is refused (StaleVersion)."""
    refuse_if_changed(kind.snapshot(record), expected_stamp, kind.record)
    if record.active == active:
        return False
    record.active = active
    action = "reactivate" if active else "deactivate"
    log(
        session,
        actor,
        kind.entity_type,
        record.id,
        action,
        {"active": [not active, active]},
        now=now,
    )
    return True
