"""What every import shares (no Flask): its messages, a row and its plan, the
preview, and the context the rows are checked against, loaded a few queries at a time."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    AwardType,
    Collective,
    Issuer,
    Person,
    Unit,
)
from models.text import fold as fold_text
from workflow.core.errors import Violation, WorkflowError
from workflow.core.messages import Messages
from workflow.people import columns as cols
from workflow.people.register import current_people

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


def chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    items = sorted(set(values), key=str)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


class Catalogue:
    """Awards and issuers by code or folded name."""

    def __init__(self, session: Session) -> None:
        self.awards: dict[str, AwardType] = {}
        for award in session.scalars(select(AwardType)):
            self.awards[fold(award.code)] = self.awards[fold(award.name_vi)] = award
        self.issuers: dict[str, Issuer] = {}
        for issuer in session.scalars(select(Issuer)):
            self.issuers[fold(issuer.code)] = self.issuers[issuer.name_key] = issuer


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
        self.catalogue = Catalogue(session) if kind in ("history", "proposal") else None

    def _elsewhere(self, column: Any, values: set[str]) -> dict[str, Person]:
        found: dict[str, Person] = {}
        for chunk in chunks(values - {""}):
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
