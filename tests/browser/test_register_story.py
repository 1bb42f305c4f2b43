"""The register's story, end to end in Chromium: a unit imports its staff list and three years of
ratings and award history; a nomination of one of its teachers then shows her history and the
checks that pass (three years of Lao động tiên tiến) and fail (no rating yet for this year)."""

from __future__ import annotations

import csv
import io
import re

from playwright.sync_api import expect

from tests.browser.conftest import shot
from tests.fixtures.register import make_issuer
from workflow.awards import catalogue

TEACHER = "Phạm Thu Trang"
ID_NUMBER = "031188007755"
DECISIONS = {2023: "112/QĐ-SGDĐT", 2024: "98/QĐ-SGDĐT", 2025: "105/QĐ-SGDĐT"}
DOSSIER_URL = re.compile(r"/dossiers/(\d+)$")


def _upload(page, what: str, tmp_path, rows: list[dict[str, str]]) -> None:
    """Download the template of ``what``, fill ``rows`` under its headers, upload, confirm."""
    page.goto("/register/import")
    page.get_by_label("Loại dữ liệu").select_option(what)
    with page.expect_download() as download:
        page.locator(f"a[href$='/register/import/template/{what}.csv']").click()
    header = next(csv.reader(io.StringIO(download.value.path().read_text("utf-8-sig"))))
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    path = tmp_path / f"{what}.csv"
    path.write_bytes(("\ufeff" + stream.getvalue()).encode())
    page.get_by_label("Loại dữ liệu").select_option(what)
    page.get_by_label("Tệp XLSX hoặc CSV (UTF-8)").set_input_files(path)
    page.get_by_role("button", name="Tải lên và xem trước").click()
    expect(page.locator("dd[data-count='created']")).to_have_text(str(len(rows)))
    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.locator("dd[data-count='created']")).to_have_text(str(len(rows)))


def test_imported_history_decides_the_checks_of_a_nomination(new_page, live_server, tmp_path):
    world = live_server.world
    with live_server.session() as session:
        make_issuer(session, "SGDDT-HP", "Sở Giáo dục và Đào tạo thành phố Hải Phòng")
        for values in (
            {"kind": "prior_title", "award": "LDTT", "years": "3", "include_current": ""},
            {"kind": "rating", "rating": "good"},
        ):
            catalogue.add_rule(
                session,
                world.actor("admin"),
                world.awards["cstdcs"].id,
                {**values, "hard": True, "source": "Luật Thi đua, khen thưởng 2022"},
            )
        session.commit()

    staff = new_page("staff_a")
    person = {
        "Họ và tên": TEACHER,
        "Giới tính": "Nữ",
        "Ngày sinh (dd/mm/yyyy)": "14/02/1988",
        "Số định danh cá nhân / mã": ID_NUMBER,
        "Chức vụ": "Giáo viên Hóa học",
        "Tổ, phòng, khối": "Tổ Hóa – Sinh",
    }
    _upload(staff, "people", tmp_path, [person])
    who = {"Số định danh cá nhân / mã": ID_NUMBER}
    _upload(
        staff,
        "evaluations",
        tmp_path,
        [{**who, "Năm": str(y), "Xếp loại": "Hoàn thành tốt nhiệm vụ"} for y in DECISIONS],
    )
    _upload(
        staff,
        "history",
        tmp_path,
        [
            {
                **who,
                "Năm": str(year),
                "Danh hiệu, hình thức khen thưởng": "Lao động tiên tiến",
                "Số quyết định": number,
                "Ngày quyết định (dd/mm/yyyy)": f"20/06/{year}",
                "Cấp ra quyết định": "SGDDT-HP",
            }
            for year, number in DECISIONS.items()
        ],
    )
    shot(staff, "register-story-01-history-imported")

    staff.goto("/dossiers/new/nomination")
    staff.get_by_label("Tiêu đề hồ sơ").fill(
        f"Đề nghị công nhận Chiến sĩ thi đua cơ sở – {TEACHER}"
    )
    staff.get_by_label("Phong trào thi đua").select_option(
        label=f"{world.campaign.name} (01/03/2026 – 10/12/2026)"
    )
    staff.get_by_label("Cá nhân", exact=True).check()
    staff.get_by_label("Cá nhân được đề nghị (trong sổ theo dõi của đơn vị)").select_option(
        label=f"{TEACHER} — Giáo viên Hóa học (Tổ Hóa – Sinh)"
    )
    staff.get_by_label("Danh hiệu, hình thức khen thưởng").select_option(
        label="Chiến sĩ thi đua cơ sở"
    )
    staff.get_by_label("Tóm tắt thành tích").fill("Giáo viên dạy giỏi cấp thành phố năm 2026.")
    staff.get_by_role("button", name="Lưu hồ sơ nháp").click()
    staff.wait_for_url(DOSSIER_URL)

    history = staff.locator("[data-history]")
    for year, number in DECISIONS.items():
        row = history.locator(f"tr[data-history-year='{year}']")
        expect(row).to_contain_text("Lao động tiên tiến")
        expect(row).to_contain_text(number)
        expect(row).to_contain_text("Sở Giáo dục và Đào tạo thành phố Hải Phòng")
    expect(history).to_contain_text("Hoàn thành tốt nhiệm vụ")
    expect(staff.locator("li.check-ok[data-check='prior_title:LDTT']")).to_contain_text("2023–2025")
    expect(staff.locator("li.check-fail[data-check='rating']")).to_contain_text("Năm 2026")
    shot(staff, "register-story-02-nomination-checks")
