"""CSV imports of units and users, from the administration pages (with the admin's permission)
or from the server's command line (``vinhdanh import``: its operator, recorded as the system):
the importer (``workflow.accounts.importer``) with an audit event for every unit or account it
created or changed. Nothing is written when a line is wrong.

The events matter beyond the record: a unit renamed is an event the public pages follow
(``workflow.core.audit.shows_outside``), so what they keep is renewed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Unit, User
from workflow.accounts import account_admin, importer, unit_admin
from workflow.accounts.admin import diff, log, require_admin
from workflow.accounts.importer import ImportResult
from workflow.core.actors import Actor

UNREADABLE = (
    "Tệp không đọc được: cần tệp CSV mã hóa UTF-8 (Excel: “CSV UTF-8”).",
    "The file cannot be read: a CSV file in UTF-8 is needed (Excel: “CSV UTF-8”).",
)


def decode(data: bytes) -> str | None:
    """The text of an uploaded CSV file, or None when it is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _units(session: Session) -> dict[int, dict[str, Any]]:
    return {u.id: unit_admin.snapshot(u) for u in session.scalars(select(Unit))}


def _accounts(session: Session) -> dict[int, dict[str, Any]]:
    return {
        u.id: {
            **account_admin.snapshot(u),
            "grants": sorted([g.role, g.unit_id or 0] for g in u.grants),
        }
        for u in session.scalars(select(User))
    }


def _audited(
    session: Session,
    actor: Actor | None,
    entity_type: str,
    states: Callable[[Session], dict[int, dict[str, Any]]],
    run: Callable[[], ImportResult],
    now: dt.datetime | None,
) -> ImportResult:
    before = states(session)
    result = run()
    if result.errors:
        return result
    for entity_id, after in states(session).items():
        changes = diff(before.get(entity_id, {}), after)
        if changes:
            action = "import_update" if entity_id in before else "import_create"
            log(session, actor, entity_type, entity_id, action, changes, now=now)
    return result


def import_units(
    session: Session, actor: Actor | None, text: str, now: dt.datetime | None = None
) -> ImportResult:
    """Create or update units from CSV text (see ``importer.import_units``). Never commits."""
    actor = require_admin(actor)
    run = lambda: importer.import_units(session, text)  # noqa: E731
    return _audited(session, actor, "unit", _units, run, now)


def import_users(
    session: Session, actor: Actor | None, text: str, now: dt.datetime | None = None
) -> ImportResult:
    """Create or update accounts and their grants from CSV text (see
    ``importer.import_users``); generated passwords are in the result. Never commits."""
    actor = require_admin(actor)
    run = lambda: importer.import_users(session, text)  # noqa: E731
    return _audited(session, actor, "user_account", _accounts, run, now)


# What the command line's importer shows its progress with.
Progress = Callable[[Iterable], Iterable] | None

# The command line's imports: the operator of the server, audited as the system.
_AT_CONSOLE = {
    "units": (importer.import_units, "unit", _units),
    "users": (importer.import_users, "user_account", _accounts),
}


def import_at_console(
    session: Session, kind: str, text: str, progress: Progress = None
) -> ImportResult:
    """Create or update units or accounts (``kind``) from CSV text for ``vinhdanh import``,
    with the same audit events as the administration pages' imports. Never commits."""
    run_importer, entity_type, states = _AT_CONSOLE[kind]
    run = lambda: run_importer(session, text, progress=progress)  # noqa: E731
    return _audited(session, None, entity_type, states, run, None)
