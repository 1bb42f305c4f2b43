"""The columns of the three import files and how a cell's text becomes a value (no Flask).

Headers are matched without diacritics or case, by their Vietnamese or English name, with or
without the part in brackets ("Ngày sinh" finds "Ngày sinh (dd/mm/yyyy)"), or by the key.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from models.text import fold, nfc
from workflow.core.errors import Violation
from workflow.core.messages import Messages
from workflow.people.labels import DISCIPLINE_LABELS, GENDER_LABELS, RATING_LABELS

KINDS = ("people", "evaluations", "history")
KIND_LABELS = {
    "people": ("Danh sách cán bộ, giáo viên, nhân viên", "Staff list"),
    "evaluations": ("Đánh giá, xếp loại hằng năm và kỷ luật", "Annual ratings and discipline"),
    "history": ("Lịch sử khen thưởng (quyết định các năm trước)", "Award history (past decisions)"),
}
# What each template is, the register's imports and a list proposal's rows.
TEMPLATE_TITLES = {
    **KIND_LABELS,
    "proposal": ("Danh sách đề nghị khen thưởng kèm tờ trình", "Nominee list of a proposal"),
}
BASIS_LABELS = {
    "merit": ("Theo công trạng và thành tích", "For merit"),
    "ad_hoc": ("Đột xuất", "Ad hoc"),
    "thematic": ("Theo chuyên đề", "Thematic"),
}


@dataclass(frozen=True)
class Column:
    key: str
    vi: str
    en: str
    required: bool = False
    hint_vi: str = ""
    hint_en: str = ""


_DATE_HINT = ("Dạng dd/mm/yyyy, ví dụ 05/09/1985", "As dd/mm/yyyy, e.g. 05/09/1985")
_PERSON = (
    Column("full_name", "Họ và tên", "Full name", False, "Họ, tên đệm và tên", "Full name"),
    Column("date_of_birth", "Ngày sinh (dd/mm/yyyy)", "Date of birth", False, *_DATE_HINT),
    Column(
        "identity_number",
        "Số định danh cá nhân / mã",
        "ID number / code",
        False,
        "12 chữ số của căn cước, hoặc mã do đơn vị cấp; có số này thì tìm theo số này",
        "The 12-digit personal ID number or a unit-issued code; used first to find the person",
    ),
)
_UNIT = Column(
    "unit_code",
    "Mã đơn vị",
    "Unit code",
    False,
    "Bỏ trống khi nhập cho một đơn vị; bắt buộc khi nhập cho toàn thành phố",
    "Empty for one unit's file; required for a city-wide file",
)
_YEAR = Column("year", "Năm", "Year", True, "Ví dụ 2024", "E.g. 2024")
_AWARD = Column(
    "award",
    "Danh hiệu, hình thức khen thưởng",
    "Award",
    True,
    "Tên hoặc mã trong danh mục, ví dụ: Lao động tiên tiến (LDTT)",
    "Name or code from the catalogue, e.g. LDTT",
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    "people": (
        Column("full_name", "Họ và tên", "Full name", True, "Họ, tên đệm và tên", "Full name"),
        Column("gender", "Giới tính", "Gender", False, "Nam hoặc Nữ", "Nam (male) or Nữ (female)"),
        _PERSON[1],
        _PERSON[2],
        Column("position", "Chức vụ", "Position", False, "Ví dụ: Giáo viên", "E.g. Giáo viên"),
        Column(
            "group",
            "Tổ, phòng, khối",
            "Team, office, block",
            False,
            "Tên tổ, phòng hoặc khối; tổ chưa có sẽ được tạo",
            "Name of the team, office or block; created when new",
        ),
        _UNIT,
        Column("phone", "Điện thoại", "Phone"),
        Column("email", "Thư điện tử", "E-mail"),
    ),
    "evaluations": (
        _YEAR,
        *_PERSON,
        _UNIT,
        Column(
            "rating",
            "Xếp loại",
            "Rating",
            True,
            "; ".join(vi for vi, _ in RATING_LABELS.values()),
            "; ".join(en for _, en in RATING_LABELS.values()),
        ),
        Column(
            "discipline",
            "Hình thức kỷ luật",
            "Discipline",
            False,
            "Bỏ trống nếu không bị kỷ luật; " + "; ".join(v for v, _ in DISCIPLINE_LABELS.values()),
            "Empty when none; " + "; ".join(en for _, en in DISCIPLINE_LABELS.values()),
        ),
        Column("discipline_from", "Kỷ luật từ ngày (dd/mm/yyyy)", "Discipline from", False),
        Column("discipline_to", "Kỷ luật đến ngày (dd/mm/yyyy)", "Discipline to", False),
        Column("discipline_decision", "Số quyết định kỷ luật", "Discipline decision number"),
    ),
    "history": (
        _YEAR,
        _AWARD,
        *_PERSON,
        Column(
            "collective",
            "Tên tập thể",
            "Collective",
            False,
            "Với danh hiệu tập thể: tên đơn vị hoặc tên tổ; bỏ trống với cá nhân",
            "For a collective: the unit's or the team's name; empty for a person",
        ),
        _UNIT,
        Column("decision_number", "Số quyết định", "Decision number", True, "Ví dụ: 125/QĐ-SGDĐT"),
        Column("decision_date", "Ngày quyết định (dd/mm/yyyy)", "Decision date", True),
        Column(
            "issuer",
            "Cấp ra quyết định",
            "Conferring authority",
            True,
            "Mã hoặc tên trong danh sách cơ quan ban hành quyết định",
            "Code or name from the list of issuers",
        ),
        Column(
            "basis",
            "Loại khen thưởng",
            "Basis",
            False,
            "Bỏ trống = " + "; ".join(vi for vi, _ in BASIS_LABELS.values()),
            "Empty = " + "; ".join(en for _, en in BASIS_LABELS.values()),
        ),
    ),
}

# A list proposal's rows (``workflow.proposals.rows``); a pasted block without a header row has
# its columns in this order.
COLUMNS["proposal"] = (
    Column(
        "full_name",
        "Họ và tên / tên tập thể",
        "Name of the person / collective",
        True,
        "Với danh hiệu tập thể: tên đơn vị hoặc tên tổ",
        "For a collective award: the unit's or the team's name",
    ),
    _AWARD,
    Column(
        "achievements",
        "Tóm tắt thành tích",
        "Summary of achievements",
        True,
        "Một, hai câu về thành tích của năm",
        "A sentence or two on the year's achievements",
    ),
    _PERSON[1],
    _PERSON[2],
)

ROW_MESSAGES = Messages(
    {
        "missing_columns": (
            "Thiếu cột bắt buộc: {columns}. Hãy dùng tệp mẫu.",
            "Required columns are missing: {columns}. Use the template.",
        ),
        "required": ("Ô “{column}” còn trống.", "“{column}” is empty."),
        "bad_date": (
            "“{value}” ở cột “{column}” không phải ngày dạng dd/mm/yyyy.",
            "“{value}” in “{column}” is not a date as dd/mm/yyyy.",
        ),
        "bad_year": ("Năm “{value}” không hợp lệ.", "The year “{value}” is not valid."),
        "bad_choice": (
            "“{value}” không phải giá trị hợp lệ của cột “{column}” ({allowed}).",
            "“{value}” is not allowed in “{column}” ({allowed}).",
        ),
        "too_long": ("“{column}” dài quá {max} ký tự.", "“{column}” is longer than {max}."),
    }
)

_BRACKETS = re.compile(r"\s*\(.*?\)")
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _names(column: Column) -> set[str]:
    names = {column.key, fold(column.vi), fold(column.en)}
    return names | {fold(_BRACKETS.sub("", column.vi)), fold(_BRACKETS.sub("", column.en))}


def match_header(kind: str, header: list[str]) -> tuple[dict[str, int], list[Column]]:
    """Where each known column is (key → index) and the required columns that are missing."""
    found: dict[str, int] = {}
    for column in COLUMNS[kind]:
        names = _names(column)
        for index, title in enumerate(header):
            if fold(title) in names and column.key not in found:
                found[column.key] = index
    return found, [c for c in COLUMNS[kind] if c.required and c.key not in found]


def column(kind: str, key: str) -> Column:
    return next(c for c in COLUMNS[kind] if c.key == key)


def text(value: Any) -> str:
    """A cell as text: numbers without a trailing ".0", dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return nfc(str(value))


def identity(value: Any) -> str:
    """An ID number typed into a number cell lost its leading zero: 12-digit IDs get it back."""
    if isinstance(value, (int, float)) and len(text(value)) == 11:
        return "0" + text(value)
    return text(value)


def parse_date(value: Any, label: str, problems: list[Violation]) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    parts = _DATE.fullmatch(raw)
    try:
        if parts:
            return dt.date(int(parts[3]), int(parts[2]), int(parts[1]))
    except ValueError:  # a day that does not exist, 31/02/1990
        pass
    problems.append(ROW_MESSAGES.violation("bad_date", {"value": raw, "column": label}))
    return None


def parse_year(value: Any, problems: list[Violation]) -> int | None:
    raw = text(value)
    if raw.isascii() and raw.isdigit() and 1945 <= int(raw) <= 2100:
        return int(raw)
    problems.append(ROW_MESSAGES.violation("bad_year", {"value": raw}))
    return None


def parse_choice(
    value: Any,
    labels: Mapping[str, tuple[str, str]],
    label: str,
    problems: list[Violation],
) -> str | None:
    """A coded value given by its code, its Vietnamese or its English label."""
    raw = fold(text(value))
    if not raw:
        return None
    code = _accepted(labels).get(raw)
    if code:
        return code
    allowed = "; ".join(vi for vi, _ in labels.values())
    problems.append(
        ROW_MESSAGES.violation(
            "bad_choice", {"value": text(value), "column": label, "allowed": allowed}
        )
    )
    return None


_ACCEPTED: dict[int, dict[str, str]] = {}


def _accepted(labels: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    """Code, Vietnamese and English label, folded, of each code (built once per table)."""
    if id(labels) not in _ACCEPTED:
        _ACCEPTED[id(labels)] = {
            name: code for code, (vi, en) in labels.items() for name in (code, fold(vi), fold(en))
        }
    return _ACCEPTED[id(labels)]


def gender(value: Any, problems: list[Violation]) -> str | None:
    return parse_choice(value, GENDER_LABELS, "Giới tính", problems)
