"""A unit officer imports her staff list: the template, a bad row shown and fixed, the preview,
"đang nhập…" while it is written, and the counts."""

from __future__ import annotations

import csv
import io

from playwright.sync_api import expect
from sqlalchemy import func, select

from models import Person
from tests.browser.conftest import shot

ROWS = [
    ["Nguyễn Thị Lan", "Nữ", "05/09/1985", "031185001234", "Giáo viên", "Tổ Toán – Tin"],
    ["Trần Văn Minh", "Nam", "12/03/1979", "031079004321", "Tổ trưởng chuyên môn", "Tổ Ngữ văn"],
    ["Vũ Thị Hạnh", "Nữ", "5 tháng 9", "031190002222", "Giáo viên", "Tổ Ngữ văn"],
]


def _file(template: bytes, rows: list[list[str]], path) -> None:
    header = next(csv.reader(io.StringIO(template.decode("utf-8-sig"))))
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(header)
    for row in rows:
        values = dict(zip(header[:6], row, strict=True))
        writer.writerow([values.get(h, "") for h in header])
    path.write_bytes(("\ufeff" + stream.getvalue()).encode())


def test_a_unit_officer_imports_her_staff_list(new_page, live_server, tmp_path):
    with live_server.session() as session:
        before = session.scalar(select(func.count()).select_from(Person))
    page = new_page("staff_a")
    page.goto("/register/import")
    expect(page.get_by_role("heading", name="Nhập dữ liệu vào sổ theo dõi")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="tệp CSV").first.click()
    template = download.value.path().read_bytes()
    assert template.decode("utf-8-sig").startswith("Họ và tên,Giới tính,Ngày sinh (dd/mm/yyyy)")

    staff, rows = tmp_path / "danh-sach.csv", [list(r) for r in ROWS]
    _file(template, rows, staff)
    page.get_by_label("Tệp XLSX hoặc CSV (UTF-8)").set_input_files(staff)
    page.get_by_role("button", name="Tải lên và xem trước").click()
    expect(page.get_by_role("heading", name="Không nhập gì: 1 dòng có lỗi")).to_be_visible()
    expect(page.locator("tr[data-row='4']")).to_contain_text(
        "“5 tháng 9” ở cột “Ngày sinh (dd/mm/yyyy)” không phải ngày dạng dd/mm/yyyy."
    )
    shot(page, "import-01-problem")

    rows[2][2] = "05/09/1990"
    _file(template, rows, staff)
    page.get_by_label("Tệp XLSX hoặc CSV (UTF-8)").set_input_files(staff)
    page.get_by_role("button", name="Tải lên và xem trước").click()
    expect(page.locator("dd[data-count='created']")).to_have_text("3")
    expect(page.get_by_text("Sẽ tạo tập thể mới “Tổ Ngữ văn”")).to_be_visible()
    with live_server.session() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == before

    # The busy state: stop the first submission where it would leave the page, look, then send.
    form = page.locator("form[data-busy]")
    form.evaluate("f => f.addEventListener('submit', e => e.preventDefault())")
    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.get_by_text("Đang nhập… vui lòng chờ")).to_be_visible()
    expect(page.get_by_role("button", name="Xác nhận nhập")).to_be_disabled()
    form.evaluate("f => f.submit()")

    expect(page.get_by_role("heading", name="Đã nhập: Danh sách cán bộ")).to_be_visible()
    expect(page.locator("dd[data-count='created']")).to_have_text("3")
    expect(page.locator("dd[data-count='unchanged']")).to_have_text("0")
    shot(page, "import-02-done")
    with live_server.session() as session:
        names = session.scalars(select(Person.full_name).order_by(Person.id).offset(before)).all()
    assert names == ["Nguyễn Thị Lan", "Trần Văn Minh", "Vũ Thị Hạnh"]
