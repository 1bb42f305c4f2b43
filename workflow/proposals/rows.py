"""A list's rows: added from the register one by one, pasted from a spreadsheet or read from an
XLSX file, and removed while the list is a draft (no Flask).

Every row is a nomination made by ``workflow.dossiers.content.create`` (so it is checked and
audited like one filed alone: the register entry of the unit, "one achievement, one award");
a block of rows is added whole or not at all, each refusal naming its line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models import Attachment, AwardType, Nomination, Proposal, Unit
from models.clock import utcnow
from models.dossiers import MAX_LENGTH
from workflow.core import audit
from workflow.core.actors import Actor
from workflow.core.authz import can_view
from workflow.core.errors import EditRefused, NotFound, Violation, WorkflowError
from workflow.core.messages import Messages
from workflow.core.registry import WORKFLOWS
from workflow.dossiers import content
from workflow.people import columns as cols
from workflow.people.import_rows import Context, fold
from workflow.people.register import unit_collective
from workflow.people.spreadsheets import Table

KIND = "proposal"
# More rows than this in one block is a mistake or a forged form; a school has far fewer.
MAX_ROWS = 2000

ROW_MESSAGES = Messages(
    {
        "line_refused": ("Dòng {line}: {message}", "Line {line}: {message_en}"),
        "too_few_cells": (
            "Dòng {line} chỉ có {count} cột; cần ít nhất {needed} cột theo thứ tự: {columns} "
            "(mỗi cột cách nhau bằng một dấu Tab, như khi sao chép từ bảng tính).",
            "Line {line} has only {count} columns; at least {needed} are needed, in this "
            "order: {columns} (separated by tabs, as copied from a spreadsheet).",
        ),
        "nothing_pasted": (
            "Chưa có dòng nào để thêm. Hãy dán các dòng sao chép từ bảng tính.",
            "There is no row to add. Paste rows copied from a spreadsheet.",
        ),
        "too_many_rows": (
            "Mỗi lần chỉ thêm tối đa {limit} dòng.",
            "At most {limit} rows can be added at a time.",
        ),
        "unknown_award": (
            "Không có danh hiệu “{value}” trong danh mục.",
            "There is no award “{value}” in the catalogue.",
        ),
        "unknown_collective": (
            "Không có tập thể “{value}” trong đơn vị.",
            "There is no collective “{value}” in the unit.",
        ),
        "twice_in_list": (
            "“{name}” đã có trong danh sách với “{award}” (dòng {line}).",
            "“{name}” is already in the list with “{award}” (line {line}).",
        ),
        "not_a_row": ("Dòng này không thuộc tờ trình.", "This row is not part of the proposal."),
        "row_not_draft": (
            "Chỉ xóa được dòng của tờ trình còn ở trạng thái nháp.",
            "Only a row of a draft list can be removed.",
        ),
    }
)


@dataclass(frozen=True)
class RowEntry:
    """One row to add: whom (a person or a collective of the unit), for what, and why."""

    award_type_id: int
    achievements: str
    person_id: int | None = None
    collective_id: int | None = None
    line: int | None = None


@dataclass
class ParsedRows:
    """Rows read from a block or a file, and the problems of the lines that could not be read."""

    entries: list[RowEntry] = field(default_factory=list)
    problems: list[Violation] = field(default_factory=list)


def load_list(session: Session, proposal_id: int, actor: Actor) -> Proposal:
    """A list the actor may see (``content.check_editable`` when they are changing it)."""
    proposal = session.get(Proposal, proposal_id)
    if proposal is None or not can_view(actor, proposal):
        raise NotFound()
    return proposal


def add_rows(
    session: Session,
    actor: Actor,
    proposal_id: int,
    entries: Iterable[RowEntry],
    *,
    now: dt.datetime | None = None,
) -> list[Nomination]:
    """Add every entry as a draft row of the list, or none of them (``EditRefused`` naming each
    refused line). The list must be one the actor may edit now. Never commits."""
    now = now or utcnow()
    entries = list(entries)
    if len(entries) > MAX_ROWS:
        raise EditRefused([ROW_MESSAGES.violation("too_many_rows", {"limit": MAX_ROWS})])
    proposal, _ = content.check_editable(session, proposal_id, actor, None)
    awards = {a.id: a for a in session.scalars(select(AwardType))}
    problems: list[Violation] = []
    added: list[Nomination] = []
    savepoint = session.begin_nested()
    for number, entry in enumerate(entries, start=1):
        line = entry.line or number
        award = awards.get(entry.award_type_id)
        fields = {
            "title": _title(award, ""),
            "campaign_id": proposal.campaign_id,
            "nominee_kind": award.nominee_kind if award else "individual",
            "person_id": entry.person_id,
            "collective_id": entry.collective_id,
            "award_type_id": entry.award_type_id,
            "achievements": entry.achievements,
            "proposal_id": proposal.id,
        }
        try:
            row = content.create(session, actor, "nomination", proposal.unit_id, fields, now)
        except WorkflowError as refused:
            problems += [_on_line(line, v) for v in refused.violations]
            continue
        row.title = _title(award, row.nominee_name)
        added.append(row)
    if problems:
        savepoint.rollback()
        raise EditRefused(problems)
    savepoint.commit()
    content.touch(proposal, now)
    session.flush()
    return added


def _title(award: AwardType | None, name: str) -> str:
    return f"{award.name_vi if award else ''}: {name}"[: MAX_LENGTH["title"]]


def _on_line(line: int, violation: Violation) -> Violation:
    return ROW_MESSAGES.wrapping("line_refused", violation, {"line": line})


def remove_row(
    session: Session,
    actor: Actor,
    row_id: int,
    *,
    proposal_id: int | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Take a draft row out of a draft list (audited on the list, with whom it named); when
    ``proposal_id`` is given the row must be one of that list."""
    now = now or utcnow()
    row = session.get(Nomination, row_id)
    if row is None or row.proposal_id is None or proposal_id not in (None, row.proposal_id):
        raise EditRefused([ROW_MESSAGES.violation("not_a_row")])
    proposal, role = content.check_editable(session, row.proposal_id, actor, None)
    if row.state != WORKFLOWS["nomination"].initial or proposal.state != WORKFLOWS[KIND].initial:
        raise EditRefused([ROW_MESSAGES.violation("row_not_draft")])
    audit.append(
        session,
        entity_type="dossier",
        entity_id=proposal.id,
        action="remove_row",
        actor_id=actor.user_id,
        actor_role=role.value,
        unit_id=proposal.unit_id,
        from_state=proposal.state,
        to_state=proposal.state,
        changes={
            "row": row.id,
            "nominee_name": row.nominee_name,
            "award_type_id": row.award_type_id,
        },
        now=now,
    )
    session.execute(delete(Attachment).where(Attachment.dossier_id == row.id))
    session.delete(row)
    content.touch(proposal, now)
    session.flush()


# --- reading a pasted block or a file ----------------------------------------------------


def table_from_paste(text: str) -> Table:
    """A pasted block as a table: tab-separated cells; the first line is a header when it
    names the columns, else the columns are in the template's order."""
    lines = [(n, line.split("\t")) for n, line in enumerate(text.splitlines(), start=1)]
    lines = [(n, [c.strip() for c in cells]) for n, cells in lines if any(c.strip() for c in cells)]
    if not lines:
        raise EditRefused([ROW_MESSAGES.violation("nothing_pasted")])
    found, missing = cols.match_header(KIND, lines[0][1])
    if found and not missing:
        return Table(lines[0][1], lines[1:])
    header = [c.vi for c in cols.COLUMNS[KIND]]
    needed = sum(1 for c in cols.COLUMNS[KIND] if c.required)
    short = [
        ROW_MESSAGES.violation(
            "too_few_cells",
            {
                "line": n,
                "count": len(cells),
                "needed": needed,
                "columns": ", ".join(header[:needed]),
            },
        )
        for n, cells in lines
        if len([c for c in cells if c]) < needed
    ]
    if short:
        raise EditRefused(short)
    return Table(header, lines)


def parse_rows(session: Session, unit: Unit, table: Table) -> ParsedRows:
    """The entries a table names, each matched to the unit's register and the catalogue; the
    lines that cannot be matched are problems (read in a few queries, never one per line)."""
    index, missing = cols.match_header(KIND, table.header)
    if missing:
        names = ", ".join(c.vi for c in missing)
        raise EditRefused([cols.ROW_MESSAGES.violation("missing_columns", {"columns": names})])
    values = [
        (number, {key: cells[i] if i < len(cells) else None for key, i in index.items()})
        for number, cells in table.rows
    ]
    if len(values) > MAX_ROWS:
        raise EditRefused([ROW_MESSAGES.violation("too_many_rows", {"limit": MAX_ROWS})])
    context = Context(session, KIND, unit, [v for _, v in values])
    out = ParsedRows()
    seen: dict[tuple, int] = {}
    for number, row in values:
        problems: list[Violation] = []
        entry = _entry(session, context, unit, number, row, problems)
        if entry is not None:
            key = (entry.person_id, entry.collective_id, entry.award_type_id)
            first = seen.setdefault(key, number)
            if first != number:
                award = context.catalogue.awards[fold(cols.text(row.get("award")))]
                problems.append(
                    ROW_MESSAGES.violation(
                        "twice_in_list",
                        {
                            "name": cols.text(row.get("full_name")),
                            "award": award.name_vi,
                            "award_en": award.name_en,
                            "line": first,
                        },
                    )
                )
        if problems:
            out.problems += [_on_line(number, p) for p in problems]
        elif entry is not None:
            out.entries.append(entry)
    return out


def _entry(
    session: Session,
    context: Context,
    unit: Unit,
    number: int,
    row: dict,
    problems: list[Violation],
) -> RowEntry | None:
    for column in cols.COLUMNS[KIND]:
        if column.required and not cols.text(row.get(column.key)):
            problems.append(cols.ROW_MESSAGES.violation("required", {"column": column.vi}))
    if problems:
        return None
    name = cols.text(row.get("full_name"))
    award = context.catalogue.awards.get(fold(cols.text(row.get("award"))))
    if award is None:
        problems.append(ROW_MESSAGES.violation("unknown_award", {"value": cols.text(row["award"])}))
        return None
    achievements = cols.text(row.get("achievements"))
    if award.nominee_kind == "collective":
        if fold(name) == fold(unit.name):
            collective = unit_collective(session, unit.id)
        else:
            collective = context.groups.get((unit.id, fold(name)))
        if collective is None:
            problems.append(ROW_MESSAGES.violation("unknown_collective", {"value": name}))
            return None
        return RowEntry(award.id, achievements, collective_id=collective.id, line=number)
    person = context.find(unit, row, problems)
    if person is None:
        return None
    return RowEntry(award.id, achievements, person_id=person.id, line=number)
