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

import datetime as dt
import functools
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from models import (
    AwardRecord,
    AwardType,
    Collective,
    Discipline,
    Evaluation,
    Issuer,
    Membership,
    Person,
    Unit,
)
from models.text import fold as fold_text
from workflow.core.actors import Actor, Role
from workflow.core.audit import append
from workflow.core.authz import first_role, may_keep_register, may_see_every_register
from workflow.core.errors import EditRefused, StaleVersion, Violation, WorkflowError
from workflow.core.messages import Messages
from workflow.people import columns as cols
from workflow.people.labels import DISCIPLINE_LABELS, RATING_LABELS
from workflow.people.register import current_people, unit_collective
from workflow.people.spreadsheets import MAX_ROWS, Table, read_table

IMPORT_MESSAGES = Messages(
    {
        "unknown_unit": (
            "Không có đơn vị mã “{code}”.",
            "There is no unit with code “{code}”.",
        ),
        "unit_needed": (
            "Tệp cho toàn thành phố: ô “Mã đơn vị” còn trống.",
            "A city-wide file: “Unit code” is empty.",
        ),
        "other_unit_code": (
            "Mã đơn vị “{code}” khác đơn vị đang nhập ({unit}).",
            "Unit code “{code}” is not the unit being imported ({unit}).",
        ),
        "need_key": (
            "Cần số định danh hoặc ngày sinh để nhận ra người này.",
            "An ID number or a date of birth is needed to recognise this person.",
        ),
        "duplicate_row": (
            "Trùng với dòng {line} của tệp.",
            "Same as line {line} of the file.",
        ),
        "id_other_unit": (
            "Số định danh “{number}” là của {name}, đang thuộc đơn vị {unit}: hãy dùng chức năng "
            "chuyển công tác.",
            "ID number “{number}” belongs to {name} of {unit}: use the transfer instead.",
        ),
        "person_other_unit": (
            "{name} đang thuộc đơn vị {unit}, không phải đơn vị này.",
            "{name} belongs to {unit}, not to this unit.",
        ),
        "id_differs": (
            "{name} (ngày sinh {born}) đã có trong sổ với số định danh khác “{number}”.",
            "{name} (born {born}) is in the register with another ID number “{number}”.",
        ),
        "person_unknown": (
            "Không tìm thấy {name} trong sổ theo dõi của đơn vị {unit}; hãy nhập danh sách cán "
            "bộ trước.",
            "{name} is not in the register of {unit}; import the staff list first.",
        ),
        "person_ambiguous": (
            "Đơn vị có nhiều người tên {name}; hãy ghi thêm số định danh hoặc ngày sinh.",
            "Several people of the unit are called {name}; add the ID number or date of birth.",
        ),
        "probable_duplicate": (
            "Có thể trùng với {name} (ngày sinh {born}) của đơn vị {unit}.",
            "Probably the same as {name} (born {born}) of {unit}.",
        ),
        "unknown_award": (
            "Không có danh hiệu, hình thức khen thưởng “{value}” trong danh mục.",
            "There is no award “{value}” in the catalogue.",
        ),
        "award_for_collective": (
            "“{award}” dành cho tập thể: hãy ghi “Tên tập thể”, không ghi cá nhân.",
            "“{award}” is for collectives: fill in “Collective”, not a person.",
        ),
        "award_for_person": (
            "“{award}” dành cho cá nhân: hãy ghi họ và tên, không ghi tập thể.",
            "“{award}” is for individuals: fill in the person, not a collective.",
        ),
        "nominee_needed": (
            "Hãy ghi cá nhân (họ và tên) hoặc “Tên tập thể”.",
            "Fill in a person (full name) or “Collective”.",
        ),
        "unknown_collective": (
            "Đơn vị {unit} không có tập thể “{value}”.",
            "{unit} has no collective “{value}”.",
        ),
        "unknown_issuer": (
            "Không có cấp ra quyết định “{value}”: Văn phòng Sở thêm tại trang “Cơ quan ban hành "
            "quyết định” của sổ theo dõi.",
            "There is no issuer “{value}”: the Office adds it on the register's “Issuers” page.",
        ),
        "discipline_start": (
            "Có hình thức kỷ luật thì cần ngày bắt đầu kỷ luật.",
            "A discipline needs its first day.",
        ),
        "new_group": (
            "Sẽ tạo tập thể mới “{name}” của {unit}.",
            "A new collective “{name}” of {unit} will be created.",
        ),
        "new_unit_collective": (
            "Sẽ tạo tập thể “{name}” (chính đơn vị) trong sổ theo dõi.",
            "The collective “{name}” (the unit itself) will be created in the register.",
        ),
        "register_changed": (
            "Người khác vừa sửa sổ theo dõi trong lúc nhập; chưa ghi gì. Hãy tải tệp lên lại để "
            "xem trước.",
            "Someone changed the register during the import; nothing was written. Upload the "
            "file again to preview it.",
        ),
        "rows_refused": (
            "Không nhập gì: {count} dòng có lỗi. Hãy sửa tệp rồi tải lên lại.",
            "Nothing imported: {count} rows have problems. Fix the file and upload it again.",
        ),
    }
)
IMPORT_ACTION = ("Nhập dữ liệu vào sổ theo dõi", "Import into the register")
CHANGE_LABELS = {
    "full_name": ("họ và tên", "full name"),
    "gender": ("giới tính", "gender"),
    "date_of_birth": ("ngày sinh", "date of birth"),
    "identity_number": ("số định danh", "ID number"),
    "position": ("chức vụ", "position"),
    "collective_id": ("tổ, phòng, khối", "team"),
    "phone": ("điện thoại", "phone"),
    "email": ("thư điện tử", "e-mail"),
    "rating": ("xếp loại", "rating"),
}
CHUNK = 900  # below SQLite's limit on bound parameters in one statement
# A name or a group is folded several times per row (matching, duplicates, writing): once is
# enough, and folding is a good part of the time of a large import.
fold = functools.lru_cache(maxsize=1 << 16)(fold_text)


class ImportRefused(WorkflowError):
    """Some rows have problems: nothing was written. ``preview`` says which and why."""

    def __init__(self, preview: Preview) -> None:
        self.preview = preview
        super().__init__([IMPORT_MESSAGES.violation("rows_refused", {"count": preview.bad})])


@dataclass
class Row:
    """One row of the file: what it would do, or why it cannot."""

    number: int
    label: str
    action: str = "create"  # create | update | unchanged
    # (Vietnamese, English) names of the fields an update changes.
    changes: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Violation] = field(default_factory=list)
    notes: list[Violation] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Preview:
    """What an import of a file would do, row by row, and the counts."""

    kind: str
    unit: Unit | None
    rows: list[Row]
    sha256: str = ""
    file_name: str = ""
    notes: list[Violation] = field(default_factory=list)
    new_groups: dict[tuple[int, str], str] = field(default_factory=dict)
    new_unit_collectives: list[int] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if not r.problems and r.action == action)

    @property
    def bad(self) -> int:
        return sum(1 for r in self.rows if r.problems)

    @property
    def ok(self) -> bool:
        return not self.bad

    def counts(self) -> dict[str, int]:
        return {
            "rows": len(self.rows),
            "created": self.count("create"),
            "updated": self.count("update"),
            "unchanged": self.count("unchanged"),
            "problems": self.bad,
        }


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


# --- planning ------------------------------------------------------------------------------


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    items = sorted(set(values), key=str)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


class Context:
    """What the rows are checked against, loaded a few queries at a time, never per row."""

    def __init__(self, session: Session, kind: str, unit: Unit | None, rows: list[dict]) -> None:
        self.session, self.kind, self.unit = session, kind, unit
        self.units = {u.code.casefold(): u for u in session.scalars(select(Unit))}
        self.units_by_id = {u.id: u for u in self.units.values()}
        codes = {cols.text(r.get("unit_code")).casefold() for r in rows} - {""}
        involved = {unit.id} if unit else {self.units[c].id for c in codes if c in self.units}
        self.people: list[Person] = (
            list(session.scalars(current_people().where(Person.unit_id.in_(involved))))
            if involved
            else []
        )
        self.by_id = {p.identity_number: p for p in self.people if p.identity_number}
        self.by_born = {(p.unit_id, p.name_key, p.date_of_birth): p for p in self.people}
        self.by_name: dict[tuple[int | None, str], list[Person]] = defaultdict(list)
        for p in self.people:
            self.by_name[(p.unit_id, p.name_key)].append(p)
        self.elsewhere_ids = self._elsewhere(
            Person.identity_number, {cols.identity(r.get("identity_number")) for r in rows}
        )
        self.elsewhere_names: dict[str, list[Person]] = defaultdict(list)
        for p in self._elsewhere(
            Person.name_key, {fold(cols.text(r.get("full_name"))) for r in rows}
        ).values():
            self.elsewhere_names[p.name_key].append(p)
        self.groups = (
            {
                (c.unit_id, c.name_key): c
                for c in session.scalars(select(Collective).where(Collective.unit_id.in_(involved)))
            }
            if involved
            else {}
        )
        self.seen: dict[tuple, int] = {}
        self.catalogue = Catalogue(session) if kind == "history" else None

    def _elsewhere(self, column: Any, values: set[str]) -> dict[str, Person]:
        found: dict[str, Person] = {}
        for chunk in _chunks(values - {""}):
            for person in self.session.scalars(current_people().where(column.in_(chunk))):
                if person.identity_number and column is Person.identity_number:
                    found[person.identity_number] = person
                else:
                    found[f"{person.id}"] = person
        return found

    def unit_name(self, unit_id: int | None) -> str:
        unit = self.units_by_id.get(unit_id) if unit_id else None
        return unit.name if unit else "(không thuộc đơn vị nào)"

    def row_unit(self, values: dict, problems: list[Violation]) -> Unit | None:
        code = cols.text(values.get("unit_code"))
        if self.unit is not None:
            if code and code.casefold() != self.unit.code.casefold():
                problems.append(
                    IMPORT_MESSAGES.violation(
                        "other_unit_code", {"code": code, "unit": self.unit.name}
                    )
                )
            return self.unit
        if not code:
            problems.append(IMPORT_MESSAGES.violation("unit_needed"))
            return None
        unit = self.units.get(code.casefold())
        if unit is None:
            problems.append(IMPORT_MESSAGES.violation("unknown_unit", {"code": code}))
        return unit

    def once(self, key: tuple, number: int, problems: list[Violation]) -> None:
        """A problem when another row of the file has the same natural key."""
        first = self.seen.setdefault(key, number)
        if first != number:
            problems.append(IMPORT_MESSAGES.violation("duplicate_row", {"line": first}))

    def find(self, unit: Unit, values: dict, problems: list[Violation]) -> Person | None:
        """The register entry a row of ratings or history names, within ``unit``."""
        name = cols.text(values.get("full_name"))
        number = cols.identity(values.get("identity_number"))
        born = cols.parse_date(
            values.get("date_of_birth"), cols.column(self.kind, "date_of_birth").vi, problems
        )
        shown = name or number
        person = (self.by_id.get(number) or self.elsewhere_ids.get(number)) if number else None
        if person is None and born:
            person = self.by_born.get((unit.id, fold(name), born)) or next(
                (p for p in self.elsewhere_names[fold(name)] if p.date_of_birth == born), None
            )
        elif person is None and not number:
            same = self.by_name.get((unit.id, fold(name)), [])
            if len(same) > 1:
                problems.append(IMPORT_MESSAGES.violation("person_ambiguous", {"name": shown}))
                return None
            person = same[0] if same else None
        if person is None:
            problems.append(
                IMPORT_MESSAGES.violation("person_unknown", {"name": shown, "unit": unit.name})
            )
        elif person.unit_id != unit.id:
            problems.append(
                IMPORT_MESSAGES.violation(
                    "person_other_unit",
                    {"name": person.full_name, "unit": self.unit_name(person.unit_id)},
                )
            )
            return None
        return person


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


# --- staff lists ---------------------------------------------------------------------------

_PERSON_FIELDS = ("full_name", "gender", "date_of_birth", "identity_number", "position")
_CONTACT_FIELDS = ("phone", "email")
_LIMITS = {"full_name": 255, "position": 255, "identity_number": 40, "phone": 40, "email": 255}


def _person_values(values: dict, problems: list[Violation]) -> dict[str, Any]:
    out = {
        "full_name": cols.text(values.get("full_name")),
        "gender": cols.gender(values.get("gender"), problems),
        "date_of_birth": cols.parse_date(
            values.get("date_of_birth"), "Ngày sinh (dd/mm/yyyy)", problems
        ),
        "identity_number": cols.identity(values.get("identity_number")) or None,
        "position": cols.text(values.get("position")) or None,
        "phone": cols.text(values.get("phone")) or None,
        "email": cols.text(values.get("email")) or None,
    }
    for key, limit in _LIMITS.items():
        if out[key] and len(out[key]) > limit:
            problems.append(
                cols.ROW_MESSAGES.violation(
                    "too_long", {"column": cols.column("people", key).vi, "max": limit}
                )
            )
    return out


def _group_kind(name: str) -> str:
    first = fold(name).split(" ", 1)[0]
    return {"phong": "office", "khoi": "block"}.get(first, "team")


def _check_person(context: Context, found: Preview, row: Row, values: dict) -> None:
    problems = row.problems
    unit = context.row_unit(values, problems)
    data = _person_values(values, problems)
    number, born, key = data["identity_number"], data["date_of_birth"], fold(data["full_name"])
    if not number and not born:
        problems.append(IMPORT_MESSAGES.violation("need_key"))
    if unit is None or problems:
        return
    context.once(_natural_key(unit.id, number, key, born), row.number, problems)
    group = cols.text(values.get("group"))
    data["unit_id"], data["group"] = unit.id, group
    existing = _same_person(context, unit, data, problems)
    if problems:
        return
    if group and (unit.id, fold(group)) not in context.groups:
        found.new_groups.setdefault((unit.id, fold(group)), group)
    if existing is None:
        _note_duplicates(context, unit, data, row)
    else:
        row.changes = _changes(context, existing, data)
        row.action = "update" if row.changes else "unchanged"
        data["person"] = existing
    row.data = data


def _same_person(
    context: Context, unit: Unit, data: dict, problems: list[Violation]
) -> Person | None:
    number, born = data["identity_number"], data["date_of_birth"]
    if number:
        holder = context.by_id.get(number) or context.elsewhere_ids.get(number)
        if holder is not None and holder.unit_id != unit.id:
            problems.append(
                IMPORT_MESSAGES.violation(
                    "id_other_unit",
                    {
                        "number": number,
                        "name": holder.full_name,
                        "unit": context.unit_name(holder.unit_id),
                    },
                )
            )
            return None
        if holder is not None:
            return holder
    same = context.by_born.get((unit.id, fold(data["full_name"]), born)) if born else None
    if same is not None and number and same.identity_number not in (None, number):
        problems.append(
            IMPORT_MESSAGES.violation(
                "id_differs",
                {
                    "name": same.full_name,
                    "born": f"{born:%d/%m/%Y}",
                    "number": same.identity_number,
                },
            )
        )
    return same


def _note_duplicates(context: Context, unit: Unit, data: dict, row: Row) -> None:
    born = data["date_of_birth"]
    for other in context.elsewhere_names[fold(data["full_name"])]:
        if born and other.date_of_birth == born and other.unit_id != unit.id:
            row.notes.append(
                IMPORT_MESSAGES.violation(
                    "probable_duplicate",
                    {
                        "name": other.full_name,
                        "born": f"{born:%d/%m/%Y}",
                        "unit": context.unit_name(other.unit_id),
                    },
                )
            )


def _changes(context: Context, person: Person, data: dict) -> list[tuple[str, str]]:
    """The fields the row changes; an empty cell keeps what the register holds."""
    changed = [
        k for k in _PERSON_FIELDS + _CONTACT_FIELDS if data[k] and data[k] != getattr(person, k)
    ]
    group = context.groups.get((person.unit_id, fold(data["group"])))
    if data["group"] and (group is None or group.id != person.collective_id):
        changed.append("collective_id")
    return [CHANGE_LABELS[k] for k in changed]


def _write_people(session: Session, found: Preview) -> None:
    groups = _create_groups(session, found)
    fresh = [r.data for r in found.rows if r.action == "create"]
    if fresh:
        # A plain bulk INSERT, then the new ids read back by their stamp: RETURNING many rows
        # costs several times the INSERT itself on PostgreSQL.
        stamp = dt.datetime.now(dt.UTC)
        session.execute(insert(Person.__table__), [_person_row(d, groups, stamp) for d in fresh])
        ids = _new_ids(session, {d["unit_id"] for d in fresh}, stamp)
        session.execute(
            insert(Membership.__table__),
            [
                {
                    "person_id": ids[
                        _natural_key(
                            d["unit_id"],
                            d["identity_number"],
                            fold(d["full_name"]),
                            d["date_of_birth"],
                        )
                    ],
                    "unit_id": d["unit_id"],
                    "collective_id": groups.get((d["unit_id"], fold(d["group"]))),
                    "position": d["position"],
                }
                for d in fresh
            ],
        )
    for row in found.rows:
        if row.action == "update":
            _update_person(row.data["person"], row.data, groups)


def _natural_key(unit_id: int, number: str | None, name_key: str, born: dt.date | None) -> tuple:
    """How a row of a staff list names a person of its unit (see ``Context.once``)."""
    return (unit_id, number) if number else (unit_id, name_key, born)


def _new_ids(session: Session, units: set[int], stamp: dt.datetime) -> dict[tuple, int]:
    columns = (Person.id, Person.unit_id, Person.identity_number, Person.name_key)
    found = {}
    for chunk in _chunks(units):
        query = select(*columns, Person.date_of_birth).where(
            Person.created_at == stamp, Person.unit_id.in_(chunk)
        )
        found |= {_natural_key(*row[1:]): row[0] for row in session.execute(query)}
    return found


def _person_row(
    data: dict, groups: dict[tuple[int, str], int], stamp: dt.datetime
) -> dict[str, Any]:
    number = data["identity_number"]
    return {
        **{k: data[k] for k in _PERSON_FIELDS + _CONTACT_FIELDS},
        "name_key": fold(data["full_name"]),
        "identity_kind": _identity_kind(number),
        "unit_id": data["unit_id"],
        "collective_id": groups.get((data["unit_id"], fold(data["group"]))),
        "version": 1,
        "created_at": stamp,
    }


def _identity_kind(number: str | None) -> str | None:
    if not number:
        return None
    return "national_id" if number.isdigit() and len(number) == 12 else "unit_code"


def _update_person(person: Person, data: dict, groups: dict[tuple[int, str], int]) -> None:
    for key in _PERSON_FIELDS + _CONTACT_FIELDS:
        if data[key] and data[key] != getattr(person, key):
            setattr(person, key, data[key])
    person.name_key = fold(person.full_name)
    person.identity_kind = _identity_kind(person.identity_number) or person.identity_kind
    group = groups.get((person.unit_id, fold(data["group"])))
    if group:
        person.collective_id = group
    current = [m for m in person.memberships if m.ends_on is None and m.unit_id == person.unit_id]
    for membership in current:
        membership.collective_id = group or membership.collective_id
        membership.position = data["position"] or membership.position


def _create_groups(session: Session, found: Preview) -> dict[tuple[int, str], int]:
    for unit_id in found.new_unit_collectives:
        unit_collective(session, unit_id)
    for (unit_id, key), name in found.new_groups.items():
        session.add(Collective(unit_id=unit_id, name=name, name_key=key, kind=_group_kind(name)))
    session.flush()
    units = {r.data["unit_id"] for r in found.rows if r.data.get("unit_id")}
    return {
        (c.unit_id, c.name_key): c.id
        for chunk in _chunks(units)
        for c in session.scalars(select(Collective).where(Collective.unit_id.in_(chunk)))
    }


# --- ratings and discipline ----------------------------------------------------------------


def _check_evaluation(context: Context, found: Preview, row: Row, values: dict) -> None:
    problems = row.problems
    unit = context.row_unit(values, problems)
    year = cols.parse_year(values.get("year"), problems) if values.get("year") else None
    rating = cols.parse_choice(values.get("rating"), RATING_LABELS, "Xếp loại", problems)
    form = cols.parse_choice(
        values.get("discipline"), DISCIPLINE_LABELS, "Hình thức kỷ luật", problems
    )
    starts = cols.parse_date(values.get("discipline_from"), "Kỷ luật từ ngày", problems)
    ends = cols.parse_date(values.get("discipline_to"), "Kỷ luật đến ngày", problems)
    if form and not starts:
        problems.append(IMPORT_MESSAGES.violation("discipline_start"))
    person = context.find(unit, values, problems) if unit else None
    if person is None or problems:
        return
    context.once(("evaluation", person.id, year), row.number, problems)
    row.label = person.full_name
    row.data = {
        "person": person,
        "unit_id": unit.id,
        "year": year,
        "rating": rating,
        "discipline": (form, starts, ends, cols.text(values.get("discipline_decision")) or None),
    }


def _plan_evaluations(session: Session, found: Preview) -> None:
    """Compare the planned rows with what the register holds (two queries per chunk)."""
    good = [r for r in found.rows if r.data and not r.problems]
    ids = {r.data["person"].id for r in good}
    ratings, punished = {}, set()
    for chunk in _chunks(ids):
        for e in session.scalars(select(Evaluation).where(Evaluation.person_id.in_(chunk))):
            ratings[(e.person_id, e.year)] = e
        punished |= set(
            session.execute(
                select(Discipline.person_id, Discipline.form, Discipline.starts_on).where(
                    Discipline.person_id.in_(chunk)
                )
            )
        )
    for row in good:
        pid, form = row.data["person"].id, row.data["discipline"]
        held = ratings.get((pid, row.data["year"]))
        row.data["evaluation"] = held
        row.data["new_discipline"] = bool(form[0]) and (pid, form[0], form[1]) not in punished
        if held is None:
            row.action = "create"
        elif held.rating != row.data["rating"]:
            row.action, row.changes = "update", [CHANGE_LABELS["rating"]]
        else:
            row.action = "create" if row.data["new_discipline"] else "unchanged"


def _write_evaluations(session: Session, found: Preview) -> None:
    now = dt.datetime.now(dt.UTC)
    fresh, punish = [], []
    for row in found.rows:
        data = row.data
        if data["evaluation"] is None:
            fresh.append(
                {
                    "person_id": data["person"].id,
                    "year": data["year"],
                    "rating": data["rating"],
                    "unit_id": data["unit_id"],
                    "origin": "imported",
                    "created_at": now,
                }
            )
        elif data["evaluation"].rating != data["rating"]:
            data["evaluation"].rating = data["rating"]
        if data["new_discipline"]:
            form, starts, ends, number = data["discipline"]
            punish.append(
                {
                    "person_id": data["person"].id,
                    "form": form,
                    "starts_on": starts,
                    "ends_on": ends,
                    "decision_number": number,
                    "reason": "",
                    "origin": "imported",
                    "created_at": now,
                }
            )
    if fresh:
        session.execute(insert(Evaluation), fresh)
    if punish:
        session.execute(insert(Discipline), punish)


# --- award history -------------------------------------------------------------------------


class Catalogue:
    """Awards and issuers by code or folded name."""

    def __init__(self, session: Session) -> None:
        self.awards: dict[str, AwardType] = {}
        for award in session.scalars(select(AwardType)):
            self.awards[fold(award.code)] = self.awards[fold(award.name_vi)] = award
        self.issuers: dict[str, Issuer] = {}
        for issuer in session.scalars(select(Issuer)):
            self.issuers[fold(issuer.code)] = self.issuers[issuer.name_key] = issuer


def _check_history(context: Context, found: Preview, row: Row, values: dict) -> None:
    problems = row.problems
    catalogue = context.catalogue
    unit = context.row_unit(values, problems)
    year = cols.parse_year(values.get("year"), problems) if values.get("year") else None
    award = catalogue.awards.get(fold(cols.text(values.get("award"))))
    if award is None and values.get("award"):
        problems.append(
            IMPORT_MESSAGES.violation("unknown_award", {"value": cols.text(values["award"])})
        )
    issuer = catalogue.issuers.get(fold(cols.text(values.get("issuer"))))
    if issuer is None and values.get("issuer"):
        problems.append(
            IMPORT_MESSAGES.violation("unknown_issuer", {"value": cols.text(values["issuer"])})
        )
    decided = cols.parse_date(values.get("decision_date"), "Ngày quyết định", problems)
    basis = cols.parse_choice(values.get("basis"), cols.BASIS_LABELS, "Loại khen thưởng", problems)
    target = _nominee(context, unit, award, values, problems) if unit else None
    if target is None or problems:
        return
    number = cols.text(values.get("decision_number"))
    context.once(("record", target, award.id, year, number), row.number, problems)
    row.label = target[2]
    row.data = {
        "unit_id": unit.id,
        "target": target,
        "award_type_id": award.id,
        "year": year,
        "decision_number": number,
        "decision_date": decided,
        "issuer_id": issuer.id,
        "basis": basis or "merit",
    }


def _nominee(
    context: Context, unit: Unit, award: AwardType | None, values: dict, problems: list[Violation]
) -> tuple[str, Any, str] | None:
    """("person", id, name) or ("collective", key, name); a unit's own collective may be new."""
    named = cols.text(values.get("full_name")) or cols.text(values.get("identity_number"))
    group = cols.text(values.get("collective"))
    if not named and not group:
        problems.append(IMPORT_MESSAGES.violation("nominee_needed"))
        return None
    collective_award = award is not None and award.nominee_kind == "collective"
    if award is not None and collective_award != (not named):
        code = "award_for_collective" if collective_award else "award_for_person"
        problems.append(IMPORT_MESSAGES.violation(code, {"award": award.name_vi}))
        return None
    if named:
        person = context.find(unit, values, problems)
        return ("person", person.id, person.full_name) if person else None
    if fold(group) == fold(unit.name):
        return ("collective", (unit.id, "unit"), unit.name)
    if (unit.id, fold(group)) in context.groups:
        return ("collective", (unit.id, fold(group)), group)
    problems.append(
        IMPORT_MESSAGES.violation("unknown_collective", {"unit": unit.name, "value": group})
    )
    return None


def _record_key(target: tuple, award_type_id: int, year: int, number: str) -> tuple:
    return (target[0], target[1], award_type_id, year, fold(number))


def _plan_history(session: Session, found: Preview) -> None:
    good = [r for r in found.rows if r.data and not r.problems]
    people = {r.data["target"][1] for r in good if r.data["target"][0] == "person"}
    units = {r.data["unit_id"] for r in good}
    collectives = {
        c.id: c
        for chunk in _chunks(units)
        for c in session.scalars(select(Collective).where(Collective.unit_id.in_(chunk)))
    }
    held = set()
    for chunk in _chunks(people | {-1}):
        query = select(AwardRecord).where(
            or_(
                AwardRecord.person_id.in_(chunk),
                AwardRecord.collective_id.in_(list(collectives)[:CHUNK] or [-1]),
            )
        )
        for r in session.scalars(query):
            held.add(_held_key(r, collectives))
    for row in good:
        d = row.data
        known = _record_key(d["target"], d["award_type_id"], d["year"], d["decision_number"])
        row.action = "unchanged" if known in held else "create"


def _held_key(record: AwardRecord, collectives: dict[int, Collective]) -> tuple:
    if record.person_id:
        target: tuple = ("person", record.person_id)
    else:
        c = collectives.get(record.collective_id)
        key = (c.unit_id, "unit" if c.kind == "unit" else c.name_key) if c else None
        target = ("collective", key)
    return _record_key(target, record.award_type_id, record.year, record.decision_number or "")


def _write_history(session: Session, found: Preview) -> None:
    groups = _create_groups(session, found)
    own = {
        unit_id: unit_collective(session, unit_id).id
        for unit_id in {r.data["unit_id"] for r in found.rows}
    }
    now = dt.datetime.now(dt.UTC)
    fresh = []
    for row in found.rows:
        if row.action != "create":
            continue
        d, (what, key, name) = row.data, row.data["target"]
        collective = None
        if what == "collective":
            collective = own[key[0]] if key[1] == "unit" else groups[key]
        fresh.append(
            {
                "award_type_id": d["award_type_id"],
                "year": d["year"],
                "person_name": name,
                "name_key": fold(name),
                "unit_id": d["unit_id"],
                "person_id": key if what == "person" else None,
                "collective_id": collective,
                "issuer_id": d["issuer_id"],
                "decision_number": d["decision_number"],
                "decision_date": d["decision_date"],
                "origin": "imported",
                "basis": d["basis"],
                "created_at": now,
            }
        )
    if fresh:
        session.execute(insert(AwardRecord), fresh)


CHECKS: dict[str, Callable[[Context, Preview, Row, dict], None]] = {
    "people": _check_person,
    "evaluations": _check_evaluation,
    "history": _check_history,
}
WRITERS: dict[str, Callable[[Session, Preview], None]] = {
    "people": _write_people,
    "evaluations": _write_evaluations,
    "history": _write_history,
}
FOLLOW_UPS: dict[str, Callable[[Session, Preview], None]] = {
    "evaluations": _plan_evaluations,
    "history": _plan_history,
}


# --- the uploaded file, kept until it is confirmed -----------------------------------------


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
