"""The register in the browser: a unit officer adds a teacher, is warned when a second entry
has the same ID, the Office merges the two, and the teacher's page shows both histories."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from models import Person
from tests.browser.conftest import shot
from tests.fixtures.register import record_award

ID = "031190004567"
PERSON_URL = re.compile(r"/register/people/(\d+)$")


def _add(page, name: str, dob: str) -> None:
    page.get_by_role("link", name="Cá nhân, tập thể", exact=True).click()
    page.get_by_role("link", name="+ Thêm cá nhân").click()
    page.get_by_label("Họ và tên").fill(name)
    page.get_by_label("Chức vụ").fill("Giáo viên Ngữ văn")
    page.get_by_label("Loại định danh").select_option(label="Số định danh cá nhân (căn cước)")
    page.get_by_label("Số định danh").fill(ID)
    page.get_by_label("Ngày sinh").fill(dob)
    page.get_by_role("button", name="Lưu").click()


def _with_award(live_server, person_id: int, year: int, number: str) -> None:
    session = live_server.session()
    try:
        record_award(
            session, live_server.world, session.get(Person, person_id), year, decision_number=number
        )
        session.commit()
    finally:
        session.close()


def test_a_duplicate_is_shown_at_entry_and_the_office_merges_both_histories(new_page, live_server):
    officer = new_page("staff_a")
    _add(officer, "Nguyễn Thị Hương", "12/05/1985")
    officer.wait_for_url(PERSON_URL)
    first = int(PERSON_URL.search(officer.url).group(1))
    expect(officer.locator(".flash-success")).to_contain_text("Nguyễn Thị Hương")

    _add(officer, "Nguyễn T. Hương", "12/05/1985")
    warning = officer.locator("[data-duplicates]")
    expect(warning).to_contain_text("Nguyễn Thị Hương")
    expect(officer.get_by_label("Họ và tên")).to_have_value("Nguyễn T. Hương")
    shot(officer, "register-duplicate-warning")
    officer.get_by_label("Tôi đã kiểm tra, đây là người khác").check()
    officer.get_by_role("button", name="Lưu").click()
    officer.wait_for_url(PERSON_URL)
    second = int(PERSON_URL.search(officer.url).group(1))
    assert second != first
    _with_award(live_server, first, 2024, "21/QĐ-UBND")
    _with_award(live_server, second, 2023, "08/QĐ-UBND")

    office = new_page("reviewer")
    office.goto("/register/")
    office.get_by_role("link", name="Có thể trùng nhau").click()
    office.locator(f"[data-pair='{first}-{second}']").get_by_role("link", name="Xem và gộp").click()
    expect(office.locator(f"[data-side='{second}']")).to_contain_text("08/QĐ-UBND")
    office.locator(f"[data-side='{first}']").get_by_label("Giữ lại người này").check()
    office.get_by_role("button", name="Gộp hai người").click()
    office.wait_for_url(f"**/register/people/{first}")
    expect(office.locator(".flash-success")).to_contain_text("Đã gộp hai người")

    officer.goto(f"/register/people/{second}")
    officer.wait_for_url(f"**/register/people/{first}")
    expect(officer.locator("[data-year='2024'] table")).to_contain_text("21/QĐ-UBND")
    expect(officer.locator("[data-year='2023'] table")).to_contain_text("08/QĐ-UBND")
    shot(officer, "register-person-history")
