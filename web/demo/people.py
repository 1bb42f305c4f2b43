"""The demo register: about forty people in every school, with their groups, and three years
(2023–2025) of ratings and award history, loaded through the register's importer as a unit's
files would be (``workflow.people.imports.import_table``).

Who signed a school's annual titles follows the reform of 01/7/2025: upper-secondary schools
and centres under the Department got them from the Department (the former Hải Dương Department
for those of Hải Dương, before the merger); kindergartens, primary and lower-secondary schools
from their district before 01/7/2025 and from their commune's or ward's chairman after. The
issuers are seeded directly: they are the Office's list, not an import. Everything is drawn from
seeded random generators, so every load gives the same register.

The demo's account holders are register entries of their unit, linked to their accounts.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Issuer, Person
from models.text import fold
from web.demo.organisation import DEPARTMENT_PEOPLE, DIVISIONS, HEAD_POSITIONS, SCHOOLS
from workflow import Actor
from workflow.people.columns import COLUMNS
from workflow.people.imports import digest, import_table
from workflow.people.labels import RATING_LABELS
from workflow.people.spreadsheets import Table

YEARS = (2023, 2024, 2025)
REFORM = dt.date(2025, 7, 1)
STAFF_PER_SCHOOL = 40

_FAMILY = (
    ["Nguyễn"] * 30
    + ["Trần"] * 11
    + ["Lê"] * 9
    + ["Phạm"] * 7
    + ["Hoàng", "Vũ"] * 5
    + ["Đặng", "Bùi", "Đỗ", "Phan"] * 3
    + ["Ngô", "Dương", "Đào", "Đinh"] * 2
    + ["Lương", "Mạc", "Nhữ", "Cao", "Tô", "Hà", "Trịnh", "Lã"]
)
_MIDDLE = {
    "female": ["Thị"] * 8 + ["Thu", "Thanh", "Ngọc", "Minh", "Thúy", "Hồng", "Phương", "Bích"],
    "male": ["Văn"] * 6 + ["Đức", "Minh", "Quang", "Hữu", "Thanh", "Xuân", "Công", "Tiến"],
}
_GIVEN = {
    "female": [
        "Hương",
        "Lan",
        "Hà",
        "Mai",
        "Hằng",
        "Thảo",
        "Trang",
        "Yến",
        "Huyền",
        "Ngọc",
        "Nhung",
        "Oanh",
        "Phương",
        "Quyên",
        "Thủy",
        "Hạnh",
        "Linh",
        "Loan",
        "Dung",
        "Vân",
        "Hoa",
        "Nga",
        "Giang",
        "Hiền",
        "Thu",
        "Trinh",
        "Ánh",
        "Nguyệt",
        "Diệp",
        "Xuân",
    ],
    "male": [
        "Hùng",
        "Dũng",
        "Tuấn",
        "Minh",
        "Hải",
        "Long",
        "Nam",
        "Sơn",
        "Thắng",
        "Trung",
        "Cường",
        "Khánh",
        "Phong",
        "Quân",
        "Thành",
        "Hiếu",
        "Toàn",
        "Vinh",
        "Đạt",
        "Kiên",
        "Bình",
        "Tùng",
    ],
}
_GROUPS = {
    "upper_secondary": [
        "Tổ Toán – Tin",
        "Tổ Ngữ văn",
        "Tổ Ngoại ngữ",
        "Tổ Khoa học tự nhiên",
        "Tổ Khoa học xã hội",
    ],
    "lower_secondary": ["Tổ Toán – Tin", "Tổ Ngữ văn", "Tổ Ngoại ngữ", "Tổ Khoa học tự nhiên"],
    "multi_level": ["Tổ Tiểu học", "Tổ Trung học cơ sở"],
    "primary": ["Tổ khối 1–2", "Tổ khối 3", "Tổ khối 4–5", "Tổ Năng khiếu"],
    "preschool": ["Tổ Nhà trẻ", "Tổ Mẫu giáo bé", "Tổ Mẫu giáo lớn"],
    "continuing_education": ["Tổ Văn hóa", "Tổ Hướng nghiệp – Dạy nghề"],
}
_OFFICE = "Tổ Văn phòng"
_OFFICE_STAFF = ["Nhân viên văn thư", "Kế toán", "Nhân viên thư viện", "Nhân viên y tế trường học"]
_FEMALE_SHARE = {"preschool": 0.97, "primary": 0.85}

# Issuers: code → (name, kind, valid from, valid to).
DEPARTMENT_ISSUER = "SGDDT-HP"
FORMER_DEPARTMENT = "SGDDT-HD"
_BEFORE = (None, dt.date(2025, 6, 30))
_AFTER = (REFORM, None)
ISSUERS: dict[str, tuple[str, str, dt.date | None, dt.date | None]] = {
    DEPARTMENT_ISSUER: ("Sở Giáo dục và Đào tạo thành phố Hải Phòng", "department", None, None),
    FORMER_DEPARTMENT: ("Sở Giáo dục và Đào tạo tỉnh Hải Dương", "former_department", *_BEFORE),
}
# A school's former district (before 01/7/2025); after, its commune's or ward's chairman.
_DISTRICTS = {
    "THCS-CHU-VAN-AN": "quận Ngô Quyền",
    "THCS-HONG-BANG": "quận Hồng Bàng",
    "THCS-LE-THANH-NGHI": "huyện Gia Lộc",
    "THCS-LY-TU-TRONG": "thành phố Thủy Nguyên",
    "TH-THCS-BACH-LONG-VI": "huyện Bạch Long Vĩ",
    "TH-DINH-TIEN-HOANG": "quận Hồng Bàng",
    "TH-LE-VAN-TAM": "quận Lê Chân",
    "TH-TRAN-QUOC-TOAN": "quận Kiến An",
    "TH-THANH-MIEN": "huyện Thanh Miện",
    "MN-HOA-PHUONG": "quận Lê Chân",
    "MN-HOA-SEN": "quận Đồ Sơn",
    "MN-TU-KY": "huyện Tứ Kỳ",
    "MN-SAO-MAI": "quận Hải An",
}
# Schools under the Department that belonged to Hải Dương before the merger.
_HAI_DUONG = {"THPT-NGUYEN-TRAI", "THPT-HONG-QUANG", "GDNN-GDTX-CHI-LINH"}
# Where the Department's account holders work.
_DEPARTMENT_UNITS = {
    "hoidong5": "PHONG-TCCB",
    "hoidong7": "PHONG-GDPT",
    "hoidong1": "SGDDT",
    "hoidong2": "SGDDT",
    "hoidong3": "SGDDT",
    "hoidong6": "SGDDT",
}
# Disciplines: (school, index of the person, year, form, from, to).
_DISCIPLINES = [
    ("THCS-CHU-VAN-AN", 12, 2024, "Khiển trách", "15/03/2024", "14/03/2025"),
    ("MN-SAO-MAI", 9, 2023, "Cảnh cáo", "02/10/2023", "01/10/2024"),
]


def _code(text: str) -> str:
    return fold(text).upper().replace(" ", "-")


def _issuer_codes(school: str, locality: str) -> dict[int, str]:
    """Who signed the school's annual titles, by year."""
    if school not in _DISTRICTS:
        before = FORMER_DEPARTMENT if school in _HAI_DUONG else DEPARTMENT_ISSUER
        return {2023: before, 2024: before, 2025: DEPARTMENT_ISSUER}
    district = "UBND-" + _code(_DISTRICTS[school])
    ISSUERS.setdefault(
        district, (f"Chủ tịch UBND {_DISTRICTS[school]}", "former_district", *_BEFORE)
    )
    commune = "UBND-" + _code(locality)
    ISSUERS.setdefault(commune, (f"Chủ tịch UBND {locality}", "commune", *_AFTER))
    return {2023: district, 2024: district, 2025: commune}


@dataclass
class Sheets:
    """The three files of the demo's register, as rows of the import templates."""

    people: list[dict[str, str]] = field(default_factory=list)
    evaluations: list[dict[str, str]] = field(default_factory=list)
    history: list[dict[str, str]] = field(default_factory=list)
    # username → identity number, to link accounts once the people are in.
    accounts: dict[str, str] = field(default_factory=dict)


class Names:
    """Distinct people: a name unique in its unit, an ID number unique in the city."""

    def __init__(self) -> None:
        self.serial = 0

    def person(
        self, rng: random.Random, taken: set[str], female: float, name: str | None = None
    ) -> tuple[str, str, dt.date, str]:
        gender = "female" if rng.random() < female else "male"
        while name is None or name in taken:
            name = " ".join(
                (rng.choice(_FAMILY), rng.choice(_MIDDLE[gender]), rng.choice(_GIVEN[gender]))
            )
        if name.split()[-2:-1] == ["Văn"]:
            gender = "male"
        elif name.split()[-2:-1] == ["Thị"]:
            gender = "female"
        taken.add(name)
        born = dt.date(1968, 1, 1) + dt.timedelta(days=rng.randrange(32 * 365))
        self.serial += 1
        # Province 031 (Hải Phòng), century and gender, year of birth, a serial.
        number = f"031{int(gender == 'female')}{born:%y}{self.serial:06d}"
        return name, gender, born, number


def _person_row(name, gender, born, number, position, group, unit_code, rng) -> dict[str, str]:
    return {
        "full_name": name,
        "gender": "Nữ" if gender == "female" else "Nam",
        "date_of_birth": f"{born:%d/%m/%Y}",
        "identity_number": number,
        "position": position,
        "group": group,
        "unit_code": unit_code,
        "phone": f"09{rng.randrange(10**8):08d}",
    }


def _school_people(sheets: Sheets, names: Names, school: tuple) -> list[dict[str, str]]:
    code, _, kind, _, head, staff, staff_position = school
    rng = random.Random(f"register-{code}")
    female = _FEMALE_SHARE.get(kind, 0.72)
    taken: set[str] = set()
    rows = []

    def add(position: str, group: str = "", name: str | None = None) -> dict[str, str]:
        person = names.person(rng, taken, female, name)
        rows.append(_person_row(*person, position, group, code, rng))
        return rows[-1]

    sheets.accounts[f"thutruong.{code.lower()}"] = add(
        HEAD_POSITIONS.get(kind, "Hiệu trưởng"), name=head
    )["identity_number"]
    sheets.accounts[f"canbo.{code.lower()}"] = add(staff_position, name=staff)["identity_number"]
    add("Phó Hiệu trưởng")
    groups = _GROUPS[kind]
    for group in groups:
        add("Tổ trưởng chuyên môn", group)
        add("Tổ phó chuyên môn", group)
    add("Tổ trưởng tổ Văn phòng", _OFFICE)
    for position in _OFFICE_STAFF:
        add(position, _OFFICE)
    while len(rows) < STAFF_PER_SCHOOL:
        add("Giáo viên", groups[len(rows) % len(groups)])
    return rows


def _ratings(rng: random.Random) -> str:
    roll = rng.random()
    return "excellent" if roll < 0.25 else "good" if roll < 0.85 else "complete"


def _history(sheets: Sheets, school: tuple, rows: list[dict[str, str]]) -> None:
    code, unit_name, _, locality, *_ = school
    rng = random.Random(f"history-{code}")
    signers = _issuer_codes(code, locality)
    punished = {
        (i, year): (form, start, end) for c, i, year, form, start, end in _DISCIPLINES if c == code
    }
    for year in YEARS:
        signed = dt.date(year, 8, 20)
        suffix = "SGDĐT" if "SGDDT" in signers[year] else "UBND"
        numbers = {
            a: f"{rng.randrange(200, 2400)}/QĐ-{suffix}" for a in ("LDTT", "CSTDCS", "TTLDTT")
        }
        for index, person in enumerate(rows):
            rating = _ratings(rng)
            form, start, end = punished.get((index, year), ("", "", ""))
            if form:
                rating = "complete"
            sheets.evaluations.append(
                {
                    "year": str(year),
                    "identity_number": person["identity_number"],
                    "full_name": person["full_name"],
                    "unit_code": code,
                    "rating": RATING_LABELS[rating][0],
                    "discipline": form,
                    "discipline_from": start,
                    "discipline_to": end,
                }
            )
            awards = ["LDTT"] if rating in ("excellent", "good") and rng.random() < 0.92 else []
            if rating == "excellent" and awards and rng.random() < 0.4:
                awards.append("CSTDCS")
            for award in awards:
                sheets.history.append(
                    _record(year, award, numbers[award], signed, signers[year], code, person=person)
                )
        for collective in [unit_name, rng.choice(_GROUPS[school[2]])]:
            sheets.history.append(
                _record(year, "TTLDTT", numbers["TTLDTT"], signed, signers[year], code, collective)
            )


def _record(year, award, number, signed, issuer, unit_code, collective="", person=None) -> dict:
    row = {
        "year": str(year),
        "award": award,
        "unit_code": unit_code,
        "decision_number": number,
        "decision_date": f"{signed:%d/%m/%Y}",
        "issuer": issuer,
        "collective": collective,
    }
    if person:
        row |= {"full_name": person["full_name"], "identity_number": person["identity_number"]}
    return row


def _office_people(sheets: Sheets, names: Names) -> None:
    """The divisions' and the Department's account holders, in the units where they work."""
    rng = random.Random("register-department")
    holders = [(f"thutruong.{c.lower()}", head, "Trưởng phòng", c) for c, _, head, _ in DIVISIONS]
    holders += [(f"canbo.{c.lower()}", staff, "Chuyên viên", c) for c, _, _, staff in DIVISIONS]
    holders += [
        (username, name, position, _DEPARTMENT_UNITS.get(username, "VP-SO"))
        for username, (name, position, _) in DEPARTMENT_PEOPLE.items()
    ]
    taken: set[str] = set()
    for username, name, position, unit in holders:
        person = names.person(rng, taken, 0.6, name)
        sheets.people.append(_person_row(*person, position, "", unit, rng))
        sheets.accounts[username] = person[3]


def build_sheets() -> Sheets:
    sheets, names = Sheets(), Names()
    for school in SCHOOLS:
        rows = _school_people(sheets, names, school)
        sheets.people += rows
        _history(sheets, school, rows)
    _office_people(sheets, names)
    return sheets


def _table(kind: str, rows: list[dict[str, str]]) -> Table:
    keys = [c.key for c in COLUMNS[kind]]
    return Table(
        [c.vi for c in COLUMNS[kind]],
        [(number, [row.get(k) or None for k in keys]) for number, row in enumerate(rows, start=2)],
    )


def _seed_issuers(session: Session) -> None:
    known = set(session.scalars(select(Issuer.code)))
    for code, (name, kind, starts, ends) in ISSUERS.items():
        if code not in known:
            session.add(
                Issuer(
                    code=code,
                    name=name,
                    name_key=fold(name),
                    kind=kind,
                    valid_from=starts,
                    valid_to=ends,
                )
            )
    session.flush()


def _imports(session: Session, sheets: Sheets) -> Iterator[tuple[str, int]]:
    for kind in ("people", "evaluations", "history"):
        rows = getattr(sheets, kind)
        done = import_table(
            session,
            None,
            kind,
            _table(kind, rows),
            unit_id=None,
            sha256=digest(json.dumps(rows, ensure_ascii=False, sort_keys=True).encode()),
            file_name=f"du-lieu-mau-{kind}.xlsx",
        )
        yield kind, done.count("create")


def load_register(session: Session, actors: dict[str, Actor]) -> dict[str, int]:
    """Seed the issuers, import the three files city-wide, link the accounts; the counts."""
    sheets = build_sheets()
    _seed_issuers(session)
    counts = dict(_imports(session, sheets))
    by_number = {
        p.identity_number: p
        for p in session.scalars(
            select(Person).where(Person.identity_number.in_(list(sheets.accounts.values())))
        )
    }
    for username, number in sheets.accounts.items():
        if username in actors:
            by_number[number].user_id = actors[username].user_id
    session.flush()
    return counts
