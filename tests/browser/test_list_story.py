"""A list proposal's story in Chromium, through the UI only: a school drafts its tờ trình with
the letter and minutes, adds 30 Lao động tiên tiến rows by pasting a block, 3 Chiến sĩ thi đua
cơ sở rows picked from the register (searched without accents) and the school itself as Tập
thể lao động tiên tiến; the head sends it; the Office returns one row and accepts the others on
the list page; the Council passes them with one tally; the secretary drafts and issues the
decision, which lists them, and a teacher's register page shows her award."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from models import Nomination, Person
from tests.browser.conftest import shot
from tests.fixtures.browser import expect_state, fire, pdf, state
from tests.fixtures.people import make_council_session, register_person

_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Vũ", "Đặng")
_GIVEN = ("Thị Hương", "Văn Hải", "Thu Trang", "Minh Đức", "Ngọc Ánh")
# Thirty teachers of the school, pasted from a spreadsheet: one name each, tab-separated cells.
WORKERS = [f"{f} {g}" for f in _FAMILY for g in _GIVEN]
# Three the register search finds by a name typed without accents ("khong").
FIGHTERS = ("Khổng Thị Duyên", "Khổng Văn Thắng", "Khổng Minh Tâm")
RETURNED = WORKERS[4]
RETURN_REASON = "Thiếu kết quả đánh giá, xếp loại viên chức năm học 2025–2026 của cô."
DECISION = "1350/QĐ-SGDĐT"
SCHOOL = "Trường THPT Chuyên Trần Phú"
ANNUAL = "Phong trào thi đua năm 2026 (01/03/2026 – 10/12/2026)"
LIST_URL = re.compile(r"/lists/(\d+)$")


def _setup(live_server) -> None:
    world = live_server.world
    with live_server.session() as session:
        for name in WORKERS:
            register_person(session, world, name, position="Giáo viên")
        for name in FIGHTERS:
            register_person(session, world, name, position="Tổ trưởng chuyên môn")
        make_council_session(session, world)  # all five members present
        session.commit()


def test_a_list_from_the_school_to_the_decision(new_page, live_server, tmp_path):
    _setup(live_server)
    staff = new_page("staff_a")
    staff.goto("/dossiers/new/proposal")
    staff.get_by_label("Tiêu đề hồ sơ").fill("Tờ trình đề nghị công nhận danh hiệu thi đua 2026")
    staff.get_by_label("Phong trào thi đua").select_option(label=ANNUAL)
    staff.get_by_label("Nội dung", exact=True).fill(
        "Trường đề nghị công nhận danh hiệu thi đua năm học 2025–2026 cho các cá nhân, tập "
        "thể trong danh sách kèm theo."
    )
    staff.get_by_label(re.compile("^Kết quả biểu quyết")).fill("17/17 thành viên đồng ý")
    staff.get_by_role("button", name="Lưu hồ sơ nháp").click()
    # A new list opens on its rows page; its files and actions are on the dossier page.
    staff.wait_for_url(LIST_URL)
    proposal_id = int(LIST_URL.search(staff.url).group(1))
    expect(staff.locator(".page-head .badge")).to_have_text(state("proposal", "draft"))
    staff.get_by_role("link", name="Tờ trình, biên bản và thao tác").click()
    expect_state(staff, "proposal", "draft")
    for name, purpose in (
        ("Tờ trình số 57-TTr-THPTTP.pdf", "Tờ trình đề nghị khen thưởng"),
        ("Biên bản họp Hội đồng thi đua, khen thưởng.pdf", "Biên bản họp xét thi đua, khen thưởng"),
    ):
        staff.get_by_label("Tải thêm tệp minh chứng").set_input_files(pdf(tmp_path, name))
        staff.get_by_label("Loại tài liệu", exact=True).select_option(label=purpose)
        staff.get_by_role("button", name="Tải lên").click()
        expect(staff.locator(".evidence-list")).to_contain_text(name)
    expect(staff.locator(".evidence-list [data-purpose]")).to_have_count(2)

    # 30 rows pasted from a spreadsheet.
    staff.goto(f"/lists/{proposal_id}")
    staff.get_by_text("Dán từ bảng tính hoặc tải tệp XLSX lên").click()
    block = "\n".join(
        f"{name}\tLao động tiên tiến\tHoàn thành tốt nhiệm vụ năm học 2025–2026."
        for name in WORKERS
    )
    staff.get_by_label("Các dòng dán vào").fill(block)
    staff.get_by_role("button", name="Thêm các dòng đã dán").click()
    expect(staff.locator("tr[data-row]")).to_have_count(30)

    # 3 rows picked from the register, found by a name typed without accents.
    staff.get_by_label("Tìm theo tên (gõ không dấu cũng được)").fill("khong")
    staff.get_by_role("button", name="Tìm", exact=True).click()
    picks = staff.locator("fieldset.pick-list").first
    for name in FIGHTERS:
        picks.get_by_label(re.compile(f"^{name}")).check()
    expect(picks.locator("input[name=entry]")).to_have_count(3)
    staff.locator("#pick-award").select_option(label="Chiến sĩ thi đua cơ sở")
    staff.locator("#pick-achievements").fill(
        "Hoàn thành xuất sắc nhiệm vụ; sáng kiến được Hội đồng sáng kiến cấp cơ sở công nhận."
    )
    staff.get_by_role("button", name="Thêm các dòng đã chọn").click()
    expect(staff.locator("tr[data-row]")).to_have_count(33)

    # The school itself as Tập thể lao động tiên tiến.
    staff.get_by_label(SCHOOL, exact=True).check()
    staff.locator("#pick-award").select_option(label="Tập thể lao động tiên tiến")
    staff.locator("#pick-achievements").fill("Tập thể hoàn thành tốt nhiệm vụ năm học 2025–2026.")
    staff.get_by_role("button", name="Thêm các dòng đã chọn").click()
    expect(staff.locator("tr[data-row]")).to_have_count(34)
    expect(staff.locator("#summary-h")).to_contain_text("34")
    shot(staff, "list-01-draft-rows")

    staff.get_by_role("link", name="Tờ trình, biên bản và thao tác").click()
    fire(staff, "proposal", "submit", "unit_review")
    head = new_page("head_a")
    head.goto(f"/dossiers/{proposal_id}")
    fire(head, "proposal", "unit_approve", "received", confirm=True)

    # The Office returns one row with its reason and accepts the 33 others, ticked on the page.
    reviewer = new_page("reviewer")
    reviewer.goto(f"/lists/{proposal_id}")
    returned = reviewer.locator("tr[data-row]", has_text=RETURNED)
    returned.get_by_role("checkbox").check()
    returned.get_by_label(f"Lý do riêng cho dòng {RETURNED}").fill(RETURN_REASON)
    reviewer.get_by_role("button", name="Trả lại bổ sung").click()
    expect(reviewer.locator(".bulk-summary")).to_have_attribute("data-done", "1")
    reviewer.goto(f"/lists/{proposal_id}")
    expect(returned.locator(".badge")).to_have_text(state("nomination", "returned"))
    expect(returned).to_contain_text(RETURN_REASON)
    reviewer.get_by_label("Chọn tất cả các dòng trên trang này").check()
    returned.get_by_role("checkbox").uncheck()
    expect(reviewer.locator("input[name=ids]:checked")).to_have_count(33)
    reviewer.get_by_role("button", name="Chấp thuận, trình Hội đồng").click()
    expect(reviewer.locator(".bulk-summary")).to_have_attribute("data-done", "33")
    expect(reviewer.locator(".bulk-summary")).to_have_attribute("data-refused", "0")

    # The Council passes the 33 accepted rows with one tally.
    secretary = new_page("secretary")
    secretary.goto(f"/lists/{proposal_id}?state=council_review")
    expect(secretary.locator("tr[data-row]")).to_have_count(33)
    secretary.get_by_label("Chọn tất cả các dòng trên trang này").check()
    secretary.get_by_label("Số phiếu đồng ý").fill("5")
    secretary.get_by_role("button", name="Hội đồng thông qua các dòng đã chọn").click()
    secretary.goto(f"/lists/{proposal_id}")
    approved = state("nomination", "approved")
    expect(secretary.locator(f"tr[data-row] .badge:text-is('{approved}')")).to_have_count(33)
    shot(secretary, "list-02-council-passed")

    # The decision: every row the Council passed is chosen by default.
    secretary.goto("/council/decisions/new")
    expect(secretary.locator("input[name=dossier]:checked")).to_have_count(33)
    secretary.get_by_label("Số quyết định").fill(DECISION)
    secretary.get_by_label("Ngày quyết định").fill("2026-07-24")
    secretary.get_by_label("Người ký").fill("Nguyễn Đức Thịnh – Giám đốc Sở")
    secretary.get_by_role("button", name="Lưu dự thảo quyết định").click()
    expect(secretary.get_by_role("heading", name=f"Quyết định số {DECISION}")).to_be_visible()
    secretary.once("dialog", lambda dialog: dialog.accept())
    secretary.get_by_role("button", name="Ban hành và công bố").click()
    expect(secretary.locator(".decision-status")).to_contain_text("Đã ban hành")
    listed = secretary.locator("table.awardees tbody tr[data-dossier]")
    expect(listed).to_have_count(33)
    names = [n.strip() for n in listed.locator("td:nth-child(2)").all_inner_texts()]
    assert len(names) == 33 and set(names) == {*WORKERS, *FIGHTERS, SCHOOL} - {RETURNED}
    shot(secretary, "list-03-decision-issued")

    with live_server.session() as session:
        person_id = session.scalar(select(Person.id).where(Person.full_name == FIGHTERS[0]))
        states = session.scalars(
            select(Nomination.state).where(Nomination.proposal_id == proposal_id)
        ).all()
    assert sorted(states) == ["published"] * 33 + ["returned"]
    reviewer.goto(f"/register/people/{person_id}")
    year = reviewer.locator("section.history-year[data-year='2026']")
    expect(year).to_contain_text("Chiến sĩ thi đua cơ sở")
    expect(year).to_contain_text(DECISION)
    shot(reviewer, "list-04-person-history")
