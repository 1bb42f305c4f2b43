"""Requirements while drafting, played in Chromium: a unit saves a half-done nomination, is
told what is missing, attaches the "Báo cáo thành tích" in its slot (the checklist beside the
form goes green as the file is chosen), changes another file's type on the dossier page, sees
every document rule met and the head sends; a head is warned before sending a late report."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from models import Campaign
from tests.browser.conftest import SIZES, shot
from tests.fixtures.awards import rule
from tests.fixtures.browser import (
    ANNUAL,
    DOSSIER_URL,
    NOMINEE,
    action,
    button,
    create_document,
    expect_state,
    fire,
    open_dossier,
    pdf,
)

REPORT_FILE = "bao-cao-thanh-tich.pdf"
DECISION_FILE = "quyet-dinh-sang-kien.pdf"


def _award_documents(live_server) -> None:
    """Lao động tiên tiến asks for the achievement report and the initiative's recognition."""
    world = live_server.world
    session = live_server.session()
    try:
        award = session.merge(world.awards["ldtt"])
        for purpose in ("achievement_report", "initiative"):
            rule(session, world, award, kind="evidence", purpose=purpose)
        session.commit()
    finally:
        session.close()


def _check(page, scope: str, purpose: str):
    return page.locator(f"{scope} [data-check='evidence:{purpose}']")


@SIZES
def test_a_half_done_draft_is_completed_and_sent(new_page, live_server, tmp_path):
    _award_documents(live_server)
    staff = new_page("staff_a")
    staff.goto("/dossiers/new/nomination")
    staff.get_by_label("Phong trào thi đua").select_option(label=ANNUAL)
    report_slot = staff.get_by_label("Báo cáo thành tích", exact=True)
    expect(report_slot).to_be_hidden()
    staff.get_by_label("Danh hiệu, hình thức khen thưởng").select_option(label="Lao động tiên tiến")
    # The award chosen: its document slots show, its rules are listed as the Office checks them.
    expect(report_slot).to_be_visible()
    expect(_check(staff, "#form-checklist", "achievement_report")).to_have_class(
        re.compile("check-fail")
    )
    # Every slot's chooser speaks the page's language, "Minh chứng khác" too.
    expect(staff.locator("[data-slot='evidence'] .file-chooser")).to_contain_text("Chọn tệp…")
    staff.get_by_label("Minh chứng khác", exact=True).set_input_files(pdf(tmp_path, DECISION_FILE))
    shot(staff, "40-drafting-form-half-done")
    staff.get_by_role("button", name="Lưu hồ sơ nháp").click()
    staff.wait_for_url(DOSSIER_URL)
    dossier_id = int(DOSSIER_URL.search(staff.url).group(1))
    expect_state(staff, "nomination", "draft")
    expect(staff.locator(".flash-info")).to_contain_text(
        "Còn thiếu trước khi gửi đi: “Tiêu đề”, “Người hoặc tập thể được đề nghị”, “Thành tích”."
    )
    submit = action(staff, "submit")
    expect(submit.get_by_role("button", name=button("nomination", "submit"))).to_be_disabled()
    expect(submit).to_contain_text("Vui lòng nhập “Thành tích”.")

    staff.get_by_role("link", name="Sửa nội dung").click()
    staff.get_by_label("Tiêu đề hồ sơ").fill("Đề nghị công nhận Lao động tiên tiến năm 2026")
    staff.get_by_label("Cá nhân được đề nghị (trong sổ theo dõi của đơn vị)").select_option(
        label=f"{NOMINEE} — Giáo viên Vật lý, tổ trưởng chuyên môn"
    )
    staff.get_by_label("Tóm tắt thành tích").fill("Hoàn thành tốt nhiệm vụ năm học 2025–2026.")
    staff.get_by_label("Báo cáo thành tích", exact=True).set_input_files(pdf(tmp_path, REPORT_FILE))
    # The file chosen in its slot counts before it is saved.
    expect(_check(staff, "#form-checklist", "achievement_report")).to_have_class(
        re.compile("check-ok")
    )
    expect(staff.locator("#form-checklist")).to_contain_text("Đã đủ thông tin bắt buộc để gửi.")
    shot(staff, "41-drafting-edit-checklist")
    staff.get_by_role("button", name="Lưu thay đổi").click()
    expect(staff.locator(".evidence-list")).to_contain_text(REPORT_FILE)
    expect(staff.locator(".evidence-list [data-purpose='achievement_report']")).to_have_count(1)
    expect(_check(staff, ".eligibility", "initiative")).to_have_class(re.compile("check-fail"))

    # The decision uploaded as "Minh chứng khác" is in fact the initiative's recognition.
    staff.get_by_label(f"Loại tài liệu của “{DECISION_FILE}”").select_option(
        label="Quyết định công nhận sáng kiến, đề tài"
    )
    staff.get_by_role("button", name=f"Đổi loại {DECISION_FILE}").click()
    expect(staff.locator(".flash-success")).to_contain_text(
        f"Đã đổi loại tệp “{DECISION_FILE}” thành “Quyết định công nhận sáng kiến, đề tài”."
    )
    for purpose in ("achievement_report", "initiative"):
        expect(_check(staff, ".eligibility", purpose)).to_have_class(re.compile("check-ok"))
    expect(staff.locator(".timeline")).to_contain_text("Đổi loại tệp")
    shot(staff, "42-drafting-checklist-green")
    fire(staff, "nomination", "submit", "unit_review")

    head = new_page("head_a")
    open_dossier(head, dossier_id)
    expect(head.locator("[data-late-warning]")).to_have_count(0)
    fire(head, "nomination", "unit_approve", "office_review")


def test_the_head_is_warned_before_sending_a_late_report(new_page, live_server):
    session = live_server.session()
    try:
        campaign = session.get(Campaign, live_server.world.campaign.id)
        campaign.report_due = dt.date(2026, 12, 1)  # the tests live on 6/12/2026
        session.commit()
    finally:
        session.close()
    staff = new_page("staff_a")
    report_id = create_document(
        staff, "report", "Báo cáo kết quả thi đua năm 2026", "Kết quả thực hiện.", "45/BC-THPT"
    )
    fire(staff, "report", "submit", "unit_review")

    head = new_page("head_a")
    open_dossier(head, report_id)
    warning = "Báo cáo sẽ được ghi nhận là nộp muộn 5 ngày (hạn 01/12/2026)."
    expect(action(head, "unit_approve").locator("[data-late-warning]")).to_have_text(warning)
    shot(head, "43-late-report-warning")
    asked: list[str] = []
    head.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    fire(head, "report", "unit_approve", "office_review")
    assert asked and asked[0].startswith(warning)
    # The server took it, recorded late.
    expect(head.locator(".page-head .late-badge")).to_have_text("Nộp muộn")
