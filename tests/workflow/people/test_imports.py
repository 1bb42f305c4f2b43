"""Imports into the register: staff lists, ratings and history; preview, idempotence,
all-or-nothing, permissions and every bad row (on SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select, update

from models import (
    AuditEvent,
    AwardRecord,
    Collective,
    Discipline,
    Evaluation,
    Issuer,
    Membership,
    Person,
)
from models.text import fold
from workflow.core.errors import EditRefused, StaleVersion
from workflow.documents.import_templates import template_csv, template_xlsx
from workflow.people.columns import COLUMNS
from workflow.people.imports import ImportRefused, import_file, preview_file

# Each test starts from a register without entries (as a unit finds it before its first).
pytestmark = pytest.mark.usefixtures("empty_register")


HEAD = ["Họ và tên", "Giới tính", "Ngày sinh (dd/mm/yyyy)", "Số định danh cá nhân / mã"]
HEAD += ["Chức vụ", "Tổ, phòng, khối"]
STAFF = [
    ["Nguyễn Thị Lan", "Nữ", "05/09/1985", "031185001234", "Giáo viên", "Tổ Toán – Tin"],
    ["Trần Văn Minh", "Nam", "12/03/1979", "031079004321", "Tổ trưởng chuyên môn", "Tổ Ngữ văn"],
    ["Lê Thị Hoa", "Nữ", "21/11/1990", "", "Nhân viên văn thư", "Tổ Văn phòng"],
]


def csv_bytes(rows: list[list[str]], bom: bool = True, sep: str = ",") -> bytes:
    stream = io.StringIO()
    csv.writer(stream, delimiter=sep).writerows(rows)
    return (("\ufeff" if bom else "") + stream.getvalue()).encode("utf-8")


def xlsx_bytes(rows: list[list[object]], setup=None) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    if setup:
        setup(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def staff(session, world, rows=STAFF, who="staff_a", unit="a", **kw):
    return import_file(
        session,
        world.actor(who),
        "people",
        csv_bytes([HEAD, *rows]),
        unit_id=world.units[unit].id,
        file_name="ds.csv",
        **kw,
    )


def preview(session, world, rows, who="staff_a", unit="a"):
    data = csv_bytes([HEAD, *rows])
    return preview_file(session, world.actor(who), "people", data, unit_id=world.units[unit].id)


def problems(preview) -> dict[int, list[str]]:
    return {r.number: [p.code for p in r.problems] for r in preview.rows if r.problems}


@pytest.fixture()
def issuer(session) -> Issuer:
    found = Issuer(
        code="SGDDT-HP",
        name="Sở Giáo dục và Đào tạo thành phố Hải Phòng",
        name_key=fold("Sở Giáo dục và Đào tạo thành phố Hải Phòng"),
        kind="department",
    )
    session.add(found)
    session.flush()
    return found


# --- staff lists ---------------------------------------------------------------------------


def test_staff_list_creates_people_memberships_groups_and_one_audit_event(session, world):
    before = count(session, AuditEvent)
    done = staff(session, world)
    assert done.counts() == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0, "problems": 0}
    people = session.scalars(select(Person).order_by(Person.id)).all()
    assert [p.full_name for p in people] == ["Nguyễn Thị Lan", "Trần Văn Minh", "Lê Thị Hoa"]
    lan = people[0]
    assert (lan.gender, lan.date_of_birth, lan.identity_kind) == (
        "female",
        dt.date(1985, 9, 5),
        "national_id",
    )
    assert lan.unit_id == world.units["a"].id and lan.collective.name == "Tổ Toán – Tin"
    assert count(session, Membership) == 3
    kinds = dict(session.execute(select(Collective.name, Collective.kind)).all())
    assert kinds[world.units["a"].name] == "unit" and kinds["Tổ Văn phòng"] == "team"
    events = session.scalars(select(AuditEvent).where(AuditEvent.seq > before)).all()
    assert len(events) == 1 and events[0].entity_type == "register_import"
    changes = json.loads(events[0].changes)
    assert (
        changes["sha256"] == done.sha256 and changes["created"] == 3 and changes["kind"] == "people"
    )


def test_the_same_file_twice_adds_nothing(session, world):
    staff(session, world)
    again = staff(session, world)
    assert again.counts()["unchanged"] == 3 and again.counts()["created"] == 0
    assert count(session, Person) == 3 and count(session, Membership) == 3


def test_a_known_person_gets_only_the_changed_fields(session, world):
    staff(session, world)
    moved = [["Nguyễn Thị Lan", "", "05/09/1985", "", "Phó Hiệu trưởng", "Tổ Toán – Tin"]]
    found = preview(session, world, moved)
    assert found.rows[0].action == "update" and found.rows[0].changes == [("chức vụ", "position")]
    staff(session, world, moved)
    lan = session.scalar(select(Person).where(Person.full_name == "Nguyễn Thị Lan"))
    assert lan.position == "Phó Hiệu trưởng" and lan.identity_number == "031185001234"
    assert count(session, Person) == 3


def test_a_person_saved_meanwhile_stops_the_import_whole(session, world):
    staff(session, world)
    lan = session.scalar(select(Person).where(Person.full_name == "Nguyễn Thị Lan"))
    session.execute(
        update(Person).where(Person.id == lan.id).values(version=Person.version + 1),
        execution_options={"synchronize_session": False},
    )
    moved = [["Nguyễn Thị Lan", "", "05/09/1985", "", "Phó Hiệu trưởng", ""]]
    with pytest.raises(StaleVersion) as refused:
        staff(session, world, moved + [["Mai Văn Tư", "Nam", "01/01/1980", "", "", ""]])
    assert refused.value.code == "register_changed"


def test_preview_writes_nothing(session, world):
    before = (count(session, Person), count(session, Collective), count(session, AuditEvent))
    found = preview(session, world, STAFF)
    assert found.ok and found.count("create") == 3
    assert any(n.code == "new_group" for n in found.notes)
    assert any(n.code == "new_unit_collective" for n in found.notes)
    session.flush()
    after = (count(session, Person), count(session, Collective), count(session, AuditEvent))
    assert after == before


def test_an_id_of_another_unit_is_a_problem_and_nothing_is_written(session, world):
    staff(session, world)
    rows = [
        ["Phạm Thị Mai", "Nữ", "01/01/1988", "031188000001", "Giáo viên", ""],
        ["Nguyễn Thị Lan", "Nữ", "05/09/1985", "031185001234", "Giáo viên", ""],
    ]
    with pytest.raises(ImportRefused) as refused:
        staff(session, world, rows, who="staff_b", unit="b")
    assert problems(refused.value.preview) == {3: ["id_other_unit"]}
    message = refused.value.preview.rows[1].problems[0].message("vi")
    assert "đang thuộc đơn vị Trường THPT Chuyên Trần Phú" in message
    assert "chuyển công tác" in message
    assert count(session, Person) == 3  # the good row was not written either


def test_every_bad_row_is_named(session, world):
    rows = [
        ["", "Nữ", "05/09/1985", "031185001111", "", ""],  # empty name
        ["Vũ Thị Hạnh", "Nữ", "5 tháng 9", "031185002222", "", ""],  # date typed as text
        ["Vũ Văn An", "Ông", "01/02/1980", "031080003333", "", ""],  # unknown gender
        ["Đỗ Văn Bình", "Nam", "", "", "", ""],  # no way to recognise him again
        ["Hà Thị Thu", "Nữ", "02/02/1992", "031192004444", "", ""],
        ["Hà Thị Thu", "Nữ", "02/02/1992", "031192004444", "", ""],  # twice in the file
    ]
    with pytest.raises(ImportRefused) as refused:
        staff(session, world, rows)
    assert problems(refused.value.preview) == {
        2: ["required"],
        3: ["bad_date"],
        4: ["bad_choice"],
        5: ["need_key"],
        7: ["duplicate_row"],
    }
    assert "không phải ngày dạng dd/mm/yyyy" in refused.value.preview.rows[1].problems[0].message()
    assert count(session, Person) == 0


def test_a_probable_duplicate_in_another_unit_is_shown(session, world):
    staff(session, world)
    rows = [["Nguyễn Thị Lan", "Nữ", "05/09/1985", "", "Giáo viên", ""]]
    found = preview(session, world, rows, who="staff_b", unit="b")
    assert found.ok and [n.code for n in found.rows[0].notes] == ["probable_duplicate"]


def test_city_wide_list_needs_unit_codes_and_the_office(session, world):
    head = [*HEAD, "Mã đơn vị"]
    rows = [
        [*STAFF[0], "THPT-TRAN-PHU"],
        [*STAFF[1], "TH-DANG-TRAN-CON"],
        [*STAFF[2], ""],
        ["Cao Văn Tú", "Nam", "01/01/1970", "", "", "", "KHONG-CO"],
    ]
    data = csv_bytes([head, *rows])
    with pytest.raises(EditRefused) as refused:
        preview_file(session, world.actor("staff_a"), "people", data, unit_id=None)
    assert refused.value.is_permission
    with pytest.raises(ImportRefused) as refused:
        import_file(session, world.actor("reviewer"), "people", data, unit_id=None)
    assert problems(refused.value.preview) == {4: ["unit_needed"], 5: ["unknown_unit"]}
    done = import_file(
        session, world.actor("reviewer"), "people", csv_bytes([head, *rows[:2]]), unit_id=None
    )
    assert done.count("create") == 2
    units = dict(session.execute(select(Person.full_name, Person.unit_id)).all())
    assert units["Trần Văn Minh"] == world.units["b"].id


def test_a_unit_member_imports_only_into_her_unit(session, world):
    with pytest.raises(EditRefused) as refused:
        staff(session, world, who="staff_b", unit="a")
    assert refused.value.is_permission
    assert count(session, Person) == 0


def test_english_headers_xlsx_and_semicolon_csv_are_read(session, world):
    english = ["Full name", "Gender", "Date of birth", "ID number / code", "Position"]
    book = xlsx_bytes(
        [english, ["Bùi Thị Yến", "female", dt.datetime(1991, 4, 3), 31191005555, "Giáo viên"]]
    )
    done = import_file(session, world.actor("staff_a"), "people", book, unit_id=world.units["a"].id)
    person = session.scalar(select(Person))
    assert done.count("create") == 1 and person.identity_number == "031191005555"
    assert person.date_of_birth == dt.date(1991, 4, 3)
    semicolons = csv_bytes([HEAD[:3], ["Mạc Văn Tâm", "Nam", "09/09/1989"]], bom=False, sep=";")
    done = import_file(
        session, world.actor("staff_a"), "people", semicolons, unit_id=world.units["a"].id
    )
    assert done.count("create") == 1


# --- ratings and discipline ----------------------------------------------------------------

EVAL_HEAD = ["Năm", "Họ và tên", "Ngày sinh (dd/mm/yyyy)", "Số định danh cá nhân / mã", "Xếp loại"]
EVAL_HEAD += ["Hình thức kỷ luật", "Kỷ luật từ ngày (dd/mm/yyyy)"]


def ratings(session, world, rows, who="staff_a", unit="a"):
    return import_file(
        session,
        world.actor(who),
        "evaluations",
        csv_bytes([EVAL_HEAD, *rows]),
        unit_id=world.units[unit].id,
    )


def test_ratings_by_label_or_code_with_discipline_idempotent(session, world):
    staff(session, world)
    rows = [
        ["2024", "Nguyễn Thị Lan", "", "031185001234", "Hoàn thành xuất sắc nhiệm vụ", "", ""],
        ["2024", "Trần Văn Minh", "12/03/1979", "", "good", "Khiển trách", "01/03/2024"],
        ["2024", "Lê Thị Hoa", "", "", "hoan thanh nhiem vu", "", ""],
    ]
    done = ratings(session, world, rows)
    assert done.count("create") == 3
    got = dict(session.execute(select(Evaluation.year, Evaluation.rating)).all())
    assert got == {2024: "complete"} or count(session, Evaluation) == 3
    assert session.scalar(select(Discipline.form)) == "reprimand"
    again = ratings(session, world, rows)
    assert again.count("unchanged") == 3
    assert count(session, Evaluation) == 3 and count(session, Discipline) == 1
    rows[0][4] = "Hoàn thành tốt nhiệm vụ"
    assert ratings(session, world, rows).count("update") == 1


def test_a_rating_of_a_person_of_another_unit_is_a_problem(session, world):
    staff(session, world)
    rows = [
        ["2024", "Nguyễn Thị Lan", "", "031185001234", "excellent", "", ""],
        ["2024", "Người Lạ", "01/01/1990", "", "excellent", "", ""],
        ["2024", "Trần Văn Minh", "12/03/1979", "", "xuất sắc", "Cảnh cáo", ""],
    ]
    with pytest.raises(ImportRefused) as refused:
        ratings(session, world, rows, who="staff_b", unit="b")
    assert problems(refused.value.preview) == {
        2: ["person_other_unit"],
        3: ["person_unknown"],
        4: ["bad_choice", "discipline_start", "person_other_unit"],
    }
    assert count(session, Evaluation) == 0


# --- award history -------------------------------------------------------------------------

HIST_HEAD = ["Năm", "Danh hiệu, hình thức khen thưởng", "Họ và tên", "Số định danh cá nhân / mã"]
HIST_HEAD += ["Tên tập thể", "Số quyết định", "Ngày quyết định (dd/mm/yyyy)", "Cấp ra quyết định"]


def history(session, world, rows, who="staff_a", unit="a"):
    return import_file(
        session,
        world.actor(who),
        "history",
        csv_bytes([HIST_HEAD, *rows]),
        unit_id=world.units[unit].id,
    )


def test_history_writes_records_of_people_and_collectives_once(session, world, issuer):
    staff(session, world)
    unit_name = world.units["a"].name
    rows = [
        [
            "2024",
            "LDTT",
            "Nguyễn Thị Lan",
            "031185001234",
            "",
            "12/QĐ-SGDĐT",
            "15/08/2024",
            "SGDDT-HP",
        ],
        [
            "2024",
            "Chiến sĩ thi đua cơ sở",
            "Trần Văn Minh",
            "",
            "",
            "13/QĐ-SGDĐT",
            "15/08/2024",
            issuer.name,
        ],
        ["2024", "TTLDTT", "", "", unit_name, "14/QĐ-SGDĐT", "16/08/2024", "sgddt-hp"],
        ["2024", "TTLDTT", "", "", "Tổ Ngữ văn", "14/QĐ-SGDĐT", "16/08/2024", "SGDDT-HP"],
    ]
    done = history(session, world, rows)
    assert done.count("create") == 4
    records = session.scalars(select(AwardRecord).order_by(AwardRecord.id)).all()
    lan = records[0]
    assert (lan.origin, lan.basis, lan.person_name, lan.name_key) == (
        "imported",
        "merit",
        "Nguyễn Thị Lan",
        "nguyen thi lan",
    )
    assert lan.person_id and lan.issuer_id == issuer.id
    assert lan.decision_date == dt.date(2024, 8, 15) and lan.unit_id == world.units["a"].id
    assert records[2].collective.kind == "unit" and records[3].collective.name == "Tổ Ngữ văn"
    assert history(session, world, rows).count("unchanged") == 4
    assert count(session, AwardRecord) == 4


def test_history_problems(session, world, issuer):
    staff(session, world)
    rows = [
        [
            "2024",
            "Huân chương không có",
            "Nguyễn Thị Lan",
            "",
            "",
            "1/QĐ",
            "01/01/2024",
            "SGDDT-HP",
        ],
        ["2024", "LDTT", "Nguyễn Thị Lan", "", "", "1/QĐ", "01/01/2024", "UBND xã Không Có"],
        ["2024", "LDTT", "", "", "Tổ Không Có", "1/QĐ", "01/01/2024", "SGDDT-HP"],
        ["2024", "TTLDTT", "", "", "Tổ Không Có", "1/QĐ", "01/01/2024", "SGDDT-HP"],
        ["hai nghìn", "LDTT", "Nguyễn Thị Lan", "", "", "1/QĐ", "32/01/2024", "SGDDT-HP"],
        ["2024", "LDTT", "", "", "", "", "01/01/2024", "SGDDT-HP"],
    ]
    with pytest.raises(ImportRefused) as refused:
        history(session, world, rows)
    assert problems(refused.value.preview) == {
        2: ["unknown_award"],
        3: ["unknown_issuer"],
        4: ["award_for_person"],
        5: ["unknown_collective"],
        6: ["bad_year", "bad_date"],
        7: ["required", "nominee_needed"],
    }
    assert "Cơ quan ban hành quyết định" in refused.value.preview.rows[1].problems[0].message()
    assert count(session, AwardRecord) == 0


# --- files ---------------------------------------------------------------------------------


def _merge(sheet):
    sheet.merge_cells("A3:B3")


def _formula(sheet):
    sheet["C5"] = "=DATE(1990,1,1)"


@pytest.mark.parametrize(
    "data,code",
    [
        (b"", "file_empty"),
        (csv_bytes([HEAD]), "file_empty"),
        (b"\x00\x01\x02binary", "file_kind"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "file_locked"),
        (b"PK\x03\x04 broken zip", "file_locked"),
        ("Họ và tên\nNguyễn Văn A\n".encode("utf-16"), "file_kind"),
        (b"H\xf4 v\xe0 t\xean\nL\xea V\xe3n \xc1\n", "file_encoding"),
        (xlsx_bytes([HEAD, *STAFF, *STAFF], _merge), "file_merged"),
        (xlsx_bytes([HEAD, *STAFF, *STAFF], _formula), "file_formula"),
        (csv_bytes([["Tên"], ["Nguyễn Văn A"]]), "missing_columns"),
    ],
    ids=[
        "empty",
        "header-only",
        "binary",
        "protected",
        "broken",
        "utf16",
        "cp1258",
        "merged",
        "formula",
        "columns",
    ],
)
def test_bad_files_are_refused_whole(session, world, data, code):
    from workflow.core.errors import WorkflowError

    with pytest.raises(WorkflowError) as refused:
        preview_file(session, world.actor("staff_a"), "people", data, unit_id=world.units["a"].id)
    assert refused.value.code == code
    assert refused.value.messages("vi")[0]


def test_formula_and_merge_messages_name_the_cell(session, world):
    from workflow.people.spreadsheets import UnreadableFile, read_table

    with pytest.raises(UnreadableFile) as refused:
        read_table(xlsx_bytes([HEAD, *STAFF, *STAFF], _formula))
    assert refused.value.messages("vi")[0].startswith("Ô C5 chứa công thức; hãy dán giá trị")
    with pytest.raises(UnreadableFile) as refused:
        read_table(xlsx_bytes([HEAD, *STAFF], _merge))
    assert "A3:B3" in refused.value.messages("vi")[0]


def test_a_sheet_of_100000_rows_is_refused_without_reading_it_all(session, world):
    from workflow.people.spreadsheets import UnreadableFile, read_table

    big = csv_bytes(
        [HEAD] + [[f"Người {i}", "Nữ", "01/01/1990", f"{i:012d}", "", ""] for i in range(100_000)]
    )
    with pytest.raises(UnreadableFile) as refused:
        read_table(big)
    assert refused.value.code == "file_too_long" and "30.000" in refused.value.messages("vi")[0]


@pytest.mark.parametrize("kind", list(COLUMNS))
def test_templates_carry_vietnamese_headers_and_read_back(kind):
    from workflow.people.columns import match_header
    from workflow.people.spreadsheets import read_table

    for data in (template_xlsx(kind), template_csv(kind)):
        table = read_table(data)
        assert table.header[0] == COLUMNS[kind][0].vi
        assert match_header(kind, table.header)[1] == [] and len(table.rows) == 1


def test_the_template_explains_every_column():
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template_xlsx("evaluations")))
    assert book.sheetnames == ["Dữ liệu", "Hướng dẫn"]
    explained = [row[0] for row in book["Hướng dẫn"].iter_rows(min_row=3, values_only=True)]
    assert [c.vi for c in COLUMNS["evaluations"]] == explained[: len(COLUMNS["evaluations"])]
    assert any(
        "Hoàn thành xuất sắc nhiệm vụ" in (row[3] or "")
        for row in book["Hướng dẫn"].iter_rows(values_only=True)
    )
