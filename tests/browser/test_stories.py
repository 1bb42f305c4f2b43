"""Whole stories played in Chromium through the UI only: clicks and typing, one browser
context per person. The database is read only to check that a refusal changed nothing.

Labels of states and buttons come from the workflow definitions, so a test follows what
the engine enforces. Screenshots of every main page go to test-output/screenshots/.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from models import Dossier, User
from tests.browser.conftest import PHONE, horizontal_overflow, shot
from tests.fixtures.browser import (
    DOSSIER_URL,
    EVIDENCE,
    NOMINEE,
    RETURN_REASON,
    action,
    button,
    create_document,
    decide,
    expect_state,
    fire,
    open_council_session,
    open_dossier,
    pdf,
    publish,
    state,
)
from workflow.core.audit import history
from workflow.core.registry import WORKFLOWS


def test_nomination_story(new_page, live_server, tmp_path):
    """Draft with evidence → head → Office returns → fix, resubmit → Council → public list."""
    kind = "nomination"
    staff = new_page("staff_a")
    shot(staff, "01-home-staff")
    staff.get_by_role("link", name="Hồ sơ đơn vị").click()
    expect(staff.get_by_role("heading", name="Hồ sơ đơn vị")).to_be_visible()
    staff.get_by_role("link", name="+ Đề nghị khen thưởng").first.click()
    expect(staff.get_by_role("heading", name="Tạo mới: Hồ sơ đề nghị khen thưởng")).to_be_visible()
    staff.get_by_label("Tiêu đề hồ sơ").fill("Đề nghị tặng danh hiệu Lao động tiên tiến đột xuất")
    staff.get_by_label("Phong trào thi đua").select_option(label="Khen thưởng đột xuất năm 2026")
    staff.get_by_label("Cá nhân", exact=True).check()
    staff.get_by_label("Cá nhân được đề nghị (trong sổ theo dõi của đơn vị)").select_option(
        label=f"{NOMINEE} — Giáo viên Vật lý, tổ trưởng chuyên môn"
    )
    staff.get_by_label("Danh hiệu, hình thức khen thưởng").select_option(label="Lao động tiên tiến")
    staff.get_by_label("Khen thưởng đột xuất", exact=True).check()
    staff.get_by_label("Người lao động trực tiếp").check()
    staff.get_by_label("Tóm tắt thành tích").fill(
        "Hướng dẫn đội tuyển học sinh giỏi Vật lý đạt 2 giải Nhất cấp thành phố; "
        "cứu một học sinh đuối nước ngày 12/5/2026."
    )
    staff.get_by_label("Minh chứng khác", exact=True).set_input_files(pdf(tmp_path, EVIDENCE))
    shot(staff, "02-nomination-form")
    staff.get_by_role("button", name="Lưu hồ sơ nháp").click()
    staff.wait_for_url(DOSSIER_URL)
    dossier_id = int(DOSSIER_URL.search(staff.url).group(1))
    expect_state(staff, kind, "draft")
    expect(staff.locator(".evidence-list")).to_contain_text(EVIDENCE)
    expect(staff.locator(".facts")).to_contain_text(NOMINEE)
    shot(staff, "03-dossier-draft")
    fire(staff, kind, "submit", "unit_review")
    staff.get_by_role("link", name="Hồ sơ đơn vị").click()
    expect(staff.locator(f"table.dossier-table tr:has-text('{NOMINEE}') .badge")).to_have_text(
        state(kind, "unit_review")
    )
    shot(staff, "04-unit-list")

    head = new_page("head_a")
    expect(head.locator(f"tr[data-dossier='{dossier_id}']")).to_be_visible()
    shot(head, "05-home-head")
    head.locator(f"tr[data-dossier='{dossier_id}'] a").first.click()
    fire(head, kind, "unit_approve", "office_review")

    reviewer = new_page("reviewer")
    shot(reviewer, "06-home-reviewer")
    reviewer.get_by_role("link", name="Thẩm định", exact=True).click()
    row = reviewer.locator(f"table.office-queue tr[data-dossier='{dossier_id}']")
    expect(row).to_contain_text(NOMINEE)
    expect(row.locator(".badge")).to_have_text(state(kind, "office_review"))
    shot(reviewer, "07-office-queue")
    row.get_by_role("link", name=NOMINEE).click()
    expect(reviewer.locator(".evidence-list")).to_contain_text(EVIDENCE)
    shot(reviewer, "08-dossier-office-review")
    fire(reviewer, kind, "office_return", "returned", reason=RETURN_REASON)

    # The unit sees the reason prominently, on its home and on the dossier page.
    staff.get_by_role("link", name="Việc cần làm").click()
    expect(staff.locator(f"tr[data-dossier='{dossier_id}'] .notice-error")).to_contain_text(
        RETURN_REASON
    )
    open_dossier(staff, dossier_id)
    notice = staff.locator(".return-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(RETURN_REASON)
    expect(notice).to_contain_text("Đặng Thu Hà")
    expect_state(staff, kind, "returned")
    shot(staff, "09-dossier-returned")
    staff.get_by_role("link", name="Sửa nội dung").click()
    expect(staff.locator(".notice-error")).to_contain_text(RETURN_REASON)
    staff.get_by_label("Minh chứng khác", exact=True).set_input_files(
        pdf(tmp_path, "Quyết định công nhận sáng kiến.pdf")
    )
    staff.get_by_label("Tóm tắt thành tích").fill(
        "Hướng dẫn đội tuyển học sinh giỏi Vật lý đạt 2 giải Nhất cấp thành phố; sáng kiến kinh "
        "nghiệm được công nhận cấp thành phố (kèm quyết định)."
    )
    shot(staff, "10-edit-form")
    # One save: the content and the file chosen above go together.
    staff.get_by_role("button", name="Lưu thay đổi").click()
    expect(staff.locator(".flash-success")).to_have_text(
        ["Đã lưu thay đổi.", "Đã đính kèm: “Quyết định công nhận sáng kiến.pdf”."]
    )
    expect(staff.locator(".evidence-list")).to_contain_text("Quyết định công nhận sáng kiến.pdf")
    expect(staff.locator("section[aria-labelledby=content-h] .prose")).to_contain_text(
        "kèm quyết định"
    )
    fire(staff, kind, "resubmit", "unit_review")

    head.reload()
    fire(head, kind, "unit_approve", "office_review")
    reviewer.reload()
    expect(reviewer.locator(".evidence-list li")).to_have_count(2)
    fire(reviewer, kind, "office_approve", "council_review")

    secretary = new_page("secretary")
    expect(secretary.locator(f"tr[data-dossier='{dossier_id}']")).to_be_visible()
    shot(secretary, "11-home-secretary")
    open_council_session(secretary, absent="Lý Văn Phúc")
    expect(secretary.locator(".quorum")).to_contain_text("Có mặt 4/5 thành viên")
    expect(secretary.locator(f"#dossier-{dossier_id}")).to_contain_text(NOMINEE)
    shot(secretary, "12-council-session-agenda")
    decide(secretary, dossier_id, "council_approve", kind, votes_for=4)
    publish(secretary, dossier_id, kind, NOMINEE)
    shot(secretary, "13-council-session-decided")
    secretary.get_by_role("link", name="Hội đồng", exact=True).click()
    shot(secretary, "14-council-sessions")
    open_dossier(secretary, dossier_id)
    expect_state(secretary, kind, "published")
    expect(secretary.locator(".notice-success")).to_contain_text("05/QĐ-SGDĐT")
    timeline = secretary.locator(".timeline")
    expect(timeline).to_contain_text(RETURN_REASON)
    expect(timeline).to_contain_text("4 đồng ý, 0 không đồng ý, 0 không biểu quyết")
    shot(secretary, "15-dossier-published")

    visitor = new_page()
    visitor.goto("/public/")
    visitor.get_by_label("Tìm theo tên hoặc đơn vị").fill("tran phu quoc")
    visitor.get_by_role("button", name="Tìm", exact=True).click()
    results = visitor.locator("table tbody tr")
    expect(results).to_have_count(1)
    expect(results).to_contain_text("Lao động tiên tiến")
    expect(results).to_contain_text("05/QĐ-SGDĐT")
    expect(visitor.get_by_label("Tìm theo tên hoặc đơn vị")).to_have_value("tran phu quoc")
    shot(visitor, "16-public-search")
    results.get_by_role("link", name=NOMINEE).click()
    expect(visitor).to_have_url(re.compile(rf"/public/outcomes/{dossier_id}$"))
    expect(visitor.get_by_role("heading", name=NOMINEE)).to_be_visible()
    facts = visitor.locator(".facts").first
    expect(facts).to_contain_text("Trường THPT Chuyên Trần Phú")
    expect(facts).to_contain_text("05/06/2026")
    shot(visitor, "17-public-permalink")
    visitor.get_by_role("link", name="Cách kiểm chứng").first.click()
    expect(visitor.get_by_role("heading", name="Nhật ký kiểm toán công khai")).to_be_visible()
    shot(visitor, "18-public-audit")
    visitor.get_by_role("link", name="Quy trình", exact=True).click()
    expect(visitor.get_by_role("heading", name="Quy trình xử lý hồ sơ")).to_be_visible()
    shot(visitor, "19-workflow")
    phone_and_english(new_page, dossier_id)


def phone_and_english(new_page, dossier_id: int) -> None:
    """The dossier page and the public list at phone width; the English switch."""
    staff = new_page("staff_a", viewport=PHONE)
    open_dossier(staff, dossier_id)
    expect_state(staff, "nomination", "published")
    assert horizontal_overflow(staff) == 0
    shot(staff, "30-phone-dossier")
    staff.get_by_role("button", name="English").click()
    expect(staff.get_by_role("heading", name="History")).to_be_visible()
    expect(staff.locator(".page-head .badge")).to_have_text(
        WORKFLOWS["nomination"].state("published").label_en
    )
    assert horizontal_overflow(staff) == 0
    shot(staff, "31-phone-dossier-en")

    visitor = new_page(viewport=PHONE)
    visitor.goto("/public/?q=tran+phu+quoc")
    expect(visitor.locator("table tbody tr")).to_have_count(1)
    assert horizontal_overflow(visitor) == 0
    shot(visitor, "32-phone-public-list")
    visitor.get_by_role("button", name="English").click()
    expect(visitor.locator("html")).to_have_attribute("lang", "en")
    heading = visitor.get_by_role("heading", level=1)
    expect(heading).to_have_text("Published emulation and commendation outcomes")
    expect(visitor.get_by_label("Search by name or unit")).to_have_value("tran phu quoc")
    expect(visitor.locator("table tbody tr")).to_contain_text("Advanced Worker")
    shot(visitor, "33-phone-public-list-en")
    visitor.get_by_role("button", name="Tiếng Việt").click()
    expect(heading).to_have_text("Kết quả thi đua, khen thưởng đã công bố")


def test_plan_and_report_story(new_page):
    """A plan to the Office's acceptance; a report through the Council's classification to
    publication."""
    staff = new_page("staff_a")
    plan_id = create_document(
        staff,
        "plan",
        "Kế hoạch thi đua năm học 2025–2026",
        "Mục tiêu: 100% giáo viên đạt chuẩn; 15 giải học sinh giỏi cấp thành phố.",
        "12/KH-THPT",
    )
    shot(staff, "20-plan-draft")
    fire(staff, "plan", "submit", "unit_review")
    report_id = create_document(
        staff,
        "report",
        "Báo cáo kết quả thi đua năm 2026",
        "Đạt 18 giải học sinh giỏi cấp thành phố; 3 sáng kiến được công nhận.",
        "45/BC-THPT",
    )
    fire(staff, "report", "submit", "unit_review")

    head = new_page("head_a")
    for kind, dossier_id in (("plan", plan_id), ("report", report_id)):
        open_dossier(head, dossier_id)
        # The plan was due on 10/3: the head confirms sending it late; the report is on time.
        fire(head, kind, "unit_approve", "office_review", confirm=kind == "plan")

    reviewer = new_page("reviewer")
    reviewer.get_by_role("link", name="Thẩm định", exact=True).click()
    reviewer.locator(f"tr[data-dossier='{plan_id}'] a").click()
    fire(reviewer, "plan", "office_accept", "accepted", confirm=True)
    expect(action(reviewer, "office_accept")).to_have_count(0)
    shot(reviewer, "21-plan-accepted")
    open_dossier(reviewer, report_id)
    fire(reviewer, "report", "office_approve", "council_review")

    secretary = new_page("secretary")
    open_council_session(secretary)
    decide(
        secretary,
        report_id,
        "council_classify",
        "report",
        votes_for=5,
        classification="Hoàn thành xuất sắc nhiệm vụ",
    )
    publish(secretary, report_id, "report")
    open_dossier(secretary, report_id)
    expect_state(secretary, "report", "published")
    expect(secretary.locator(".facts").first).to_contain_text("Hoàn thành xuất sắc nhiệm vụ")
    shot(secretary, "22-report-published")

    visitor = new_page()
    visitor.goto("/public/")
    visitor.get_by_label("Danh hiệu, hình thức khen thưởng").select_option(
        label="Hoàn thành xuất sắc nhiệm vụ"
    )
    visitor.get_by_role("button", name="Tìm", exact=True).click()
    results = visitor.locator("table tbody tr")
    expect(results).to_have_count(1)
    expect(results).to_contain_text("Xếp loại đơn vị")
    expect(results).to_contain_text("Trường THPT Chuyên Trần Phú")


def test_refusals(new_page, live_server, tmp_path):
    """Another unit's head gets the 404 page; a stale second click changes nothing."""
    staff = new_page("staff_a")
    staff.goto("/dossiers/new/nomination")
    staff.get_by_label("Tiêu đề hồ sơ").fill("Đề nghị khen thưởng cô Lê Thị Ánh")
    staff.get_by_label("Phong trào thi đua").select_option(label="Khen thưởng đột xuất năm 2026")
    staff.get_by_label("Cá nhân được đề nghị (trong sổ theo dõi của đơn vị)").select_option(
        label="Lê Thị Ánh — Giáo viên"
    )
    staff.get_by_label("Danh hiệu, hình thức khen thưởng").select_option(label="Lao động tiên tiến")
    staff.get_by_label("Tóm tắt thành tích").fill("Giáo viên dạy giỏi cấp thành phố.")
    staff.get_by_label("Minh chứng khác", exact=True).set_input_files(pdf(tmp_path, EVIDENCE))
    staff.get_by_role("button", name="Lưu hồ sơ nháp").click()
    staff.wait_for_url(DOSSIER_URL)
    dossier_id = int(DOSSIER_URL.search(staff.url).group(1))
    fire(staff, "nomination", "submit", "unit_review")

    # Unit b's head: the dossier of unit a does not exist for him, and acting on it is refused.
    other = new_page("head_b")
    response = other.goto(f"/dossiers/{dossier_id}")
    assert response.status == 404
    expect(other.get_by_role("heading", name="Không tìm thấy")).to_be_visible()
    assert "Lê Thị Ánh" not in other.content()
    shot(other, "23-refused-other-unit")
    token = other.locator("input[name=csrf_token]").first.input_value()
    posted = other.request.post(
        f"/dossiers/{dossier_id}/actions/unit_approve",
        form={"csrf_token": token, "version": "3"},
        max_redirects=0,
    )
    assert posted.status == 404
    assert "Lê Thị Ánh" not in posted.text()

    # The same head in two windows: the first approves, the second tries to return it.
    first, second = new_page("head_a"), new_page("head_a")
    for page in (first, second):
        open_dossier(page, dossier_id)
        expect_state(page, "nomination", "unit_review")
    fire(first, "nomination", "unit_approve", "office_review")
    form = action(second, "unit_return")
    form.get_by_label("Lý do").fill("Bổ sung minh chứng.")
    form.get_by_role("button", name=button("nomination", "unit_return")).click()
    warning = second.locator("#action-refused")
    expect(warning).to_contain_text("Người khác đã thao tác trên hồ sơ này trước bạn")
    expect(warning).to_contain_text(state("nomination", "office_review"))
    expect(warning).to_contain_text("Bổ sung minh chứng.")  # what was typed is not lost
    expect_state(second, "nomination", "office_review")
    shot(second, "24-stale-action")

    with live_server.session() as session:
        dossier = session.get(Dossier, dossier_id)
        assert dossier.state == "office_review" and dossier.return_reason is None
        events = history(session, "dossier", dossier_id)
        assert [e.action for e in events][-2:] == ["submit", "unit_approve"]
        head_b = session.scalar(select(User).where(User.username == "head_b"))
        assert all(e.actor_id != head_b.id for e in events)
