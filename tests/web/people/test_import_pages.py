"""Imports in the browser: template, upload, preview (nothing written), confirm, refusals."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from models import AuditEvent, Person
from tests.fixtures.web import app_db, csrf_from
from tests.workflow.people.test_imports import HEAD, STAFF, csv_bytes

# Each test starts from a register without entries (as a unit finds it before its first).
pytestmark = pytest.mark.usefixtures("empty_app_register")


BAD = ["Vũ Thị Hạnh", "Nữ", "5 tháng 9", "031185002222", "Giáo viên", ""]


def _count(app, model=Person) -> int:
    with app_db(app) as session:
        return session.scalar(select(func.count()).select_from(model))


def _upload(client, data: bytes, unit_id, kind="people", name="ds.csv"):
    page = client.get("/register/import")
    return client.post(
        "/register/import",
        data={
            "csrf_token": csrf_from(page.get_data(as_text=True)),
            "kind": kind,
            "unit_id": "" if unit_id is None else str(unit_id),
            "file": (io.BytesIO(data), name),
        },
        content_type="multipart/form-data",
    )


def _confirm_fields(html: str) -> dict[str, str]:
    form = html[html.index('action="/register/import/confirm"') :]
    form = form[: form.index("</form>")]
    return dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))


def test_templates_download(client, app_world, auth):
    auth.login("staff_a")
    page = client.get("/register/import").get_data(as_text=True)
    assert "Tệp mẫu" in page and "/register/import/template/history.xlsx" in page
    xlsx = client.get("/register/import/template/people.xlsx")
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx.content_type
    book = load_workbook(io.BytesIO(xlsx.data))
    assert next(book.active.iter_rows(values_only=True))[0] == "Họ và tên"
    csv = client.get("/register/import/template/evaluations.csv")
    assert csv.content_type.startswith("text/csv") and csv.data.startswith("\ufeff".encode())
    assert client.get("/register/import/template/nothing.xlsx").status_code == 404


def test_a_bad_row_is_shown_and_nothing_is_written_then_the_fixed_file_goes_in(
    app, client, app_world, auth
):
    auth.login("staff_a")
    unit = app_world.units["a"].id
    events = _count(app, AuditEvent)
    bad = _upload(client, csv_bytes([HEAD, *STAFF, BAD]), unit)
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Không nhập gì: 1 dòng có lỗi" in html
    assert "“5 tháng 9” ở cột “Ngày sinh (dd/mm/yyyy)” không phải ngày dạng dd/mm/yyyy." in html
    assert 'action="/register/import/confirm"' not in html
    assert _count(app) == 0 and _count(app, AuditEvent) == events
    fixed = csv_bytes([HEAD, *STAFF, [*BAD[:2], "05/09/1985", *BAD[3:]]])
    preview = _upload(client, fixed, unit)
    assert preview.status_code == 200 and _count(app) == 0
    fields = _confirm_fields(preview.get_data(as_text=True))
    assert fields["created"] == "4"
    kept = Path(app.instance_path) / "imports" / fields["sha256"]
    assert kept.read_bytes() == fixed
    done = client.post("/register/import/confirm", data=fields)
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and "Đã nhập" in html
    assert re.search(r'data-count="created">4<', html)
    assert _count(app) == 4 and _count(app, AuditEvent) == events + 1
    again = client.post("/register/import/confirm", data=fields)
    assert (
        again.status_code == 409
        and "Sổ theo dõi đã thay đổi từ lúc xem trước" in again.get_data(as_text=True)
    )
    assert _count(app) == 4


def test_file_problems_keep_the_choices(client, app_world, auth):
    auth.login("staff_a")
    unit = app_world.units["a"].id
    empty = _upload(client, b"", unit, kind="history", name="trong.xlsx")
    html = empty.get_data(as_text=True)
    assert empty.status_code == 422 and "Tệp trống" in html
    assert '<option value="history" selected>' in html
    locked = _upload(client, b"\xd0\xcf\x11\xe0" + b"\x00" * 100, unit, name="mat-khau.xlsx")
    assert "tệp được đặt mật khẩu hoặc bị hỏng" in locked.get_data(as_text=True)
    page = client.get("/register/import")
    none = client.post(
        "/register/import",
        data={"csrf_token": csrf_from(page.get_data(as_text=True)), "kind": "people"},
    )
    assert none.status_code == 422 and "Vui lòng chọn tệp" in none.get_data(as_text=True)
    lost = client.post(
        "/register/import/confirm",
        data={"csrf_token": csrf_from(page.get_data(as_text=True)), "sha256": "0" * 64},
    )
    assert lost.status_code == 422 and "không còn trên máy chủ" in lost.get_data(as_text=True)


def test_another_units_import_and_a_city_wide_one_are_refused(app, client, app_world, auth):
    auth.login("staff_b")
    assert _upload(client, csv_bytes([HEAD, *STAFF]), app_world.units["a"].id).status_code == 403
    city = csv_bytes([[*HEAD, "Mã đơn vị"], [*STAFF[0], "THPT-TRAN-PHU"]])
    assert _upload(client, city, None).status_code == 403
    assert _count(app) == 0


def test_the_office_imports_a_city_wide_list(app, client, app_world, auth):
    auth.login("reviewer")
    city = csv_bytes(
        [[*HEAD, "Mã đơn vị"], [*STAFF[0], "THPT-TRAN-PHU"], [*STAFF[1], "TH-DANG-TRAN-CON"]]
    )
    preview = _upload(client, city, None)
    assert preview.status_code == 200
    done = client.post(
        "/register/import/confirm", data=_confirm_fields(preview.get_data(as_text=True))
    )
    assert done.status_code == 200 and _count(app) == 2
