"""``vinhdanh import people|evaluations|history``: templates, imports, errors per row, exit 1 and
nothing written."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from models import AuditEvent, Evaluation, Person
from tests.fixtures.web import app_db
from tests.workflow.people.test_imports import EVAL_HEAD, HEAD, STAFF, csv_bytes

# Each test starts from a register without entries (as a unit finds it before its first).
pytestmark = pytest.mark.usefixtures("empty_app_register")


def _count(app, model) -> int:
    with app_db(app) as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("kind", ["people", "evaluations", "history"])
def test_template_by_extension(runner, tmp_path, kind):
    xlsx, csv = tmp_path / f"{kind}.xlsx", tmp_path / f"{kind}.csv"
    assert runner.invoke(args=["import", kind, "--template", str(xlsx)]).exit_code == 0
    assert runner.invoke(args=["import", kind, "--template", str(csv)]).exit_code == 0
    assert load_workbook(io.BytesIO(xlsx.read_bytes())).sheetnames == ["Dữ liệu", "Hướng dẫn"]
    assert csv.read_bytes().startswith("\ufeff".encode())


def test_import_people_then_ratings_for_a_unit(app, app_world, runner, tmp_path):
    staff = tmp_path / "ds.csv"
    staff.write_bytes(csv_bytes([HEAD, *STAFF]))
    result = runner.invoke(args=["import", "people", str(staff), "--unit", "THPT-TRAN-PHU"])
    assert result.exit_code == 0, result.output
    assert "Tạo mới / created: 3" in result.output
    again = runner.invoke(args=["import", "people", str(staff), "--unit", "THPT-TRAN-PHU"])
    assert "không đổi / unchanged: 3" in again.output
    assert _count(app, Person) == 3
    ratings = tmp_path / "xl.csv"
    ratings.write_bytes(
        csv_bytes([EVAL_HEAD, ["2025", "Nguyễn Thị Lan", "", "031185001234", "excellent", "", ""]])
    )
    result = runner.invoke(args=["import", "evaluations", str(ratings), "--unit", "THPT-TRAN-PHU"])
    assert result.exit_code == 0, result.output
    assert _count(app, Evaluation) == 1


def test_a_bad_row_prints_vietnamese_then_english_and_writes_nothing(
    app, app_world, runner, tmp_path
):
    events = _count(app, AuditEvent)
    bad = tmp_path / "ds.csv"
    bad.write_bytes(csv_bytes([HEAD, STAFF[0], ["Vũ Thị Hạnh", "Nữ", "5 tháng 9", "", "", ""]]))
    result = runner.invoke(args=["import", "people", str(bad), "--unit", "THPT-TRAN-PHU"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    vi = lines.index(
        "Dòng 3: “5 tháng 9” ở cột “Ngày sinh (dd/mm/yyyy)” không phải ngày dạng dd/mm/yyyy."
    )
    assert lines[vi + 1].startswith("Line 3: “5 tháng 9” in")
    assert any(line.startswith("Không nhập gì: 1 dòng có lỗi") for line in lines)
    assert _count(app, Person) == 0 and _count(app, AuditEvent) == events


def test_unknown_unit_missing_file_and_unreadable_file(app, app_world, runner, tmp_path):
    staff = tmp_path / "ds.csv"
    staff.write_bytes(csv_bytes([HEAD, *STAFF]))
    unknown = runner.invoke(args=["import", "people", str(staff), "--unit", "KHONG-CO"])
    assert unknown.exit_code == 1 and "Không có đơn vị mã “KHONG-CO”" in unknown.output
    assert runner.invoke(args=["import", "people"]).exit_code != 0
    empty = tmp_path / "trong.xlsx"
    empty.write_bytes(b"")
    result = runner.invoke(args=["import", "history", str(empty), "--unit", "THPT-TRAN-PHU"])
    assert result.exit_code == 1 and "Tệp trống" in result.output


def test_city_wide_without_unit_codes_is_refused_per_row(app, app_world, runner, tmp_path):
    staff = tmp_path / "ds.csv"
    staff.write_bytes(csv_bytes([[*HEAD, "Mã đơn vị"], [*STAFF[0], ""]]))
    result = runner.invoke(args=["import", "people", str(staff)])
    assert result.exit_code == 1 and "Dòng 2: Tệp cho toàn thành phố" in result.output
