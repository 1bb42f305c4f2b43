"""Imports into the register: staff lists, annual ratings and discipline, award history from past
decisions (no Flask).

``plan`` reads every row and says what it would do (create, update, unchanged) or why it cannot
(its problems, in Vietnamese and English), writing nothing: the preview. ``import_table`` plans
again and, only when no row has a problem, writes everything and appends one audit event: all
or nothing. The web, the CLI, the bench and the demo all go through ``import_table``.

Natural keys make an import idempotent: a person is found by ID number, or by name and date of
birth (or a name that is unique in the unit, for ratings and history) within the unit; a rating
by person and year; a discipline by person, form and first day; an award record by person or
collective, award, year and decision number. A person of another unit is a problem, never a
silent transfer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from models import (
    Collective,
    Unit,
)
from workflow.core.actors import Actor, Role
from workflow.core.audit import append
from workflow.core.authz import first_role, may_keep_register, may_see_every_register
from workflow.core.errors import EditRefused, StaleVersion, Violation
from workflow.people import columns as cols
from workflow.people.import_history import check_history, plan_history, write_history
from workflow.people.import_ratings import check_evaluation, plan_evaluations, write_evaluations
from workflow.people.import_rows import (
    IMPORT_ACTION,
    IMPORT_MESSAGES,
    Context,
    ImportRefused,
    Preview,
    Row,
)
from workflow.people.import_staff import check_person, write_people
from workflow.people.spreadsheets import MAX_ROWS, Table, read_table


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def authorise(actor: Actor | None, unit_id: int | None) -> None:
    """A unit's own import: its members and the Office; a city-wide one: the Office. ``None``
    is the server's operator (the CLI, the demo)."""
    if actor is None:
        return
    allowed = may_keep_register(actor, unit_id) if unit_id else may_see_every_register(actor)
    if not allowed:
        raise EditRefused([Violation("role_not_permitted", _action_params())])


def _action_params() -> dict[str, str]:
    return {"action": IMPORT_ACTION[0], "action_en": IMPORT_ACTION[1]}


def preview_file(
    session: Session,
    actor: Actor | None,
    kind: str,
    data: bytes,
    *,
    unit_id: int | None,
    file_name: str = "",
    limit: int = MAX_ROWS,
) -> Preview:
    """What importing ``data`` would do; writes nothing. Raises ``UnreadableFile``."""
    authorise(actor, unit_id)
    found = plan(session, kind, read_table(data, file_name, limit), unit_id=unit_id)
    found.sha256, found.file_name = digest(data), file_name
    return found


def import_file(
    session: Session,
    actor: Actor | None,
    kind: str,
    data: bytes,
    *,
    unit_id: int | None,
    file_name: str = "",
    progress: Callable[[int], Any] | None = None,
    limit: int = MAX_ROWS,
) -> Preview:
    """Read ``data`` again, plan, and write everything or nothing (``ImportRefused``)."""
    authorise(actor, unit_id)
    table, sha256 = read_table(data, file_name, limit), digest(data)
    return import_table(
        session,
        actor,
        kind,
        table,
        unit_id=unit_id,
        sha256=sha256,
        file_name=file_name,
        progress=progress,
    )


def import_table(
    session: Session,
    actor: Actor | None,
    kind: str,
    table: Table,
    *,
    unit_id: int | None,
    sha256: str,
    file_name: str = "",
    progress: Callable[[int], Any] | None = None,
) -> Preview:
    """Plan ``table`` and, when no row has a problem, write it and audit it (never commits)."""
    authorise(actor, unit_id)
    found = plan(session, kind, table, unit_id=unit_id, progress=progress)
    found.sha256, found.file_name = sha256, file_name
    if not found.ok:
        raise ImportRefused(found)
    try:
        WRITERS[kind](session, found)
        session.flush()
    except StaleDataError:  # someone saved one of these people between the check and the write
        raise StaleVersion(0, "", code="register_changed", messages=IMPORT_MESSAGES) from None
    _audit(session, actor, found)
    return found


def _audit(session: Session, actor: Actor | None, found: Preview) -> None:
    unit_id = found.unit.id if found.unit else None
    role = first_role(actor, Role, unit_id) if actor else None
    append(
        session,
        entity_type="register_import",
        entity_id=unit_id or 0,
        action="import",
        actor_id=actor.user_id if actor else None,
        actor_role=role.value if role else None,
        unit_id=unit_id,
        changes={
            "kind": found.kind,
            "sha256": found.sha256,
            "file": found.file_name,
            "unit": found.unit.code if found.unit else None,
            **found.counts(),
        },
    )


def _values(table: Table, index: dict[str, int]) -> list[tuple[int, dict[str, Any]]]:
    out = []
    for number, cells in table.rows:
        values = {k: (cells[i] if i < len(cells) else None) for k, i in index.items()}
        out.append((number, values))
    return out


def _required(kind: str, values: dict, problems: list[Violation]) -> None:
    for column in cols.COLUMNS[kind]:
        if column.required and cols.text(values.get(column.key)) == "":
            problems.append(cols.ROW_MESSAGES.violation("required", {"column": column.vi}))


def plan(
    session: Session,
    kind: str,
    table: Table,
    *,
    unit_id: int | None,
    progress: Callable[[int], Any] | None = None,
) -> Preview:
    """Every row's action or problems; file-wide problems (missing columns) on the first row."""
    index, missing = cols.match_header(kind, table.header)
    if missing:
        names = ", ".join(f"“{c.vi}”" for c in missing)
        raise EditRefused([cols.ROW_MESSAGES.violation("missing_columns", {"columns": names})])
    unit = session.get(Unit, unit_id) if unit_id else None
    rows = _values(table, index)
    context = Context(session, kind, unit, [v for _, v in rows])
    found = Preview(kind, unit, [])
    check = CHECKS[kind]
    for done, (number, values) in enumerate(rows, start=1):
        row = Row(number, cols.text(values.get("full_name") or values.get("collective")))
        _required(kind, values, row.problems)
        check(context, found, row, values)
        found.rows.append(row)
        if progress and done % 500 == 0:
            progress(500)
    if progress:
        progress(len(rows) % 500)
    if kind in FOLLOW_UPS:
        FOLLOW_UPS[kind](session, found)
    _note_collectives(session, context, found)
    return found


def _note_collectives(session: Session, context: Context, found: Preview) -> None:
    for (unit_id, _), name in found.new_groups.items():
        found.notes.append(
            IMPORT_MESSAGES.violation(
                "new_group", {"name": name, "unit": context.unit_name(unit_id)}
            )
        )
    if found.kind == "evaluations":
        return
    units = {r.data["unit_id"] for r in found.rows if r.data.get("unit_id")}
    have = set(
        session.scalars(
            select(Collective.unit_id).where(
                Collective.unit_id.in_(units), Collective.kind == "unit"
            )
        )
    )
    for unit_id in sorted(units - have):
        found.new_unit_collectives.append(unit_id)
        found.notes.append(
            IMPORT_MESSAGES.violation("new_unit_collective", {"name": context.unit_name(unit_id)})
        )


CHECKS: dict[str, Callable[[Context, Preview, Row, dict], None]] = {
    "people": check_person,
    "evaluations": check_evaluation,
    "history": check_history,
}


WRITERS: dict[str, Callable[[Session, Preview], None]] = {
    "people": write_people,
    "evaluations": write_evaluations,
    "history": write_history,
}


FOLLOW_UPS: dict[str, Callable[[Session, Preview], None]] = {
    "evaluations": plan_evaluations,
    "history": plan_history,
}


def keep_file(directory: Path, data: bytes) -> str:
    """Keep ``data`` under its SHA-256, so that confirming needs no second upload."""
    sha = digest(data)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / sha
    if not path.exists():
        path.write_bytes(data)
    return sha


def kept_file(directory: Path, sha: str) -> bytes | None:
    """The file kept as ``sha``, or None (an address that is not a SHA-256 finds nothing)."""
    if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        return None
    path = directory / sha
    return path.read_bytes() if path.is_file() else None
