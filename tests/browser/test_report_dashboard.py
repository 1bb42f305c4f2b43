"""Campaigns in Chromium: the Office gives the 2026 campaign two targets on its edit page; a
unit fills its report's figures with evidence and sends it; the Office dashboard counts the
report and the targets met, and each figure opens the list of units behind it.

Everything goes through the UI. The database is read once, to learn which status
(``workflow.campaigns.deadlines.submission_status``) the sent report has on today's real date.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from models import Dossier
from tests.browser.conftest import shot
from tests.fixtures.browser import create_document, expect_state, fire, open_dossier
from workflow.campaigns.deadlines import STATUS_LABELS, submission_status
from workflow.campaigns.participation import STATUSES
from workflow.core.registry import WORKFLOWS
from workflow.reporting.dashboard import RESULT_LABELS, RESULTS, today_local

CAMPAIGN = "Phong trào thi đua năm 2026"
MODEL = "Đơn vị có mô hình mới, cách làm hay"  # yes/no: met on "Có"
TEACHERS = "Tỷ lệ giáo viên đạt chuẩn nghề nghiệp trở lên"  # percent: met at ≥ 95
UNIT_A, UNIT_B = "Trường THPT Chuyên Trần Phú", "Trường Tiểu học Đặng Trần Côn"
REPORT = "Báo cáo kết quả thi đua năm 2026"


def add_target(
    page: Page,
    row: int,
    code: str,
    title_vi: str,
    title_en: str,
    kind: str,
    threshold: str | None = None,
) -> None:
    """Fill one blank row of the campaign form's targets table."""
    cells = page.locator("table.target-table tbody tr").nth(row)
    cells.get_by_label("Mã", exact=True).fill(code)
    cells.get_by_label("Tên chỉ tiêu", exact=True).fill(title_vi)
    cells.get_by_label("Tên tiếng Anh", exact=True).fill(title_en)
    cells.get_by_label("Loại", exact=True).select_option(label=kind)
    if threshold is not None:
        cells.get_by_label("Cách tính đạt").select_option(label="Đạt khi không thấp hơn ngưỡng")
        cells.get_by_label("Ngưỡng").fill(threshold)


def figure(page: Page, name: str):
    return page.locator(f"[data-figure='{name}']")


def expect_reports(page: Page, counts: dict[str, int]) -> None:
    """The dashboard's row of reports: 2 units expected, ``counts`` by status, 0 elsewhere."""
    expect(figure(page, "report-expected")).to_have_text("2")
    for status in STATUSES:
        expect(figure(page, f"report-{status}")).to_have_text(str(counts.get(status, 0)))


def target_row(page: Page, code: str, title: str):
    return page.locator(
        "#targets tbody tr", has=page.get_by_role("rowheader", name=title, exact=True)
    )


def expect_target(
    page: Page, code: str, title: str, met: int, not_met: int, no_figure: int
) -> None:
    row = target_row(page, code, title)
    for result, count in zip(RESULTS, (met, not_met, no_figure)):
        expect(row.locator(f"a[data-figure$='-{result}']")).to_have_text(str(count))


def expect_units(page: Page, heading: str, units: list[str], badge: str) -> None:
    """The list behind a figure: its heading, exactly ``units``, each with ``badge``."""
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    rows = page.locator("table.units tbody tr")
    expect(rows).to_have_count(len(units))
    for i, unit in enumerate(units):
        expect(rows.nth(i).locator("td").first).to_contain_text(unit)
        expect(rows.nth(i).locator(".badge")).to_have_text(badge)


def test_report_figures_counted_on_dashboard(new_page, live_server):
    campaign_id = live_server.world.campaign.id
    reviewer = new_page("reviewer")
    reviewer.get_by_role("link", name="Phong trào", exact=True).click()
    reviewer.get_by_role("link", name=CAMPAIGN, exact=True).click()
    expect(reviewer.get_by_role("heading", name="Sửa phong trào")).to_be_visible()
    add_target(
        reviewer, 0, "CT1", MODEL, "The unit has an innovative model or good practice", "Có / không"
    )
    add_target(
        reviewer,
        1,
        "CT2",
        TEACHERS,
        "Share of teachers meeting professional standards",
        "Tỷ lệ (%)",
        threshold="95",
    )
    shot(reviewer, "40-campaign-targets")
    reviewer.get_by_role("button", name="Lưu phong trào").click()
    expect(reviewer.locator(".flash-success")).to_have_text(f"Đã lưu phong trào “{CAMPAIGN}”.")
    expect(reviewer.locator(f"tr[data-campaign='{campaign_id}'] td.num")).to_have_text("2")

    # The dashboard before any report: nothing sent, no unit has a figure for either target.
    reviewer.get_by_role("link", name="Tổng hợp", exact=True).click()
    reviewer.get_by_label("Phong trào", exact=True).select_option(label=f"{CAMPAIGN} (2026)")
    reviewer.get_by_role("button", name="Xem", exact=True).click()
    expect(reviewer).to_have_url(re.compile(rf"/dashboard/\?campaign={campaign_id}$"))
    unsent = submission_status(live_server.world.campaign, "report", None, today_local())
    expect_reports(reviewer, {unsent: 2})
    expect_target(reviewer, "CT1", MODEL, met=0, not_met=0, no_figure=2)
    expect_target(reviewer, "CT2", TEACHERS, met=0, not_met=0, no_figure=2)
    shot(reviewer, "41-dashboard-before-report")

    # The unit drafts its report; it cannot be submitted before every target has a figure.
    staff = new_page("staff_a")
    report_id = create_document(
        staff,
        "report",
        REPORT,
        "Đạt 18 giải học sinh giỏi cấp thành phố; mô hình “Lớp học số” được nhân rộng.",
        "45/BC-THPT",
    )
    expect(staff.locator("#figures-h")).to_have_text("Chỉ tiêu thi đua (0/2 đạt)")
    expect(staff.locator("form.action-form[action$='/actions/submit'] button")).to_be_disabled()
    expect(staff.locator("#submit-problems")).to_contain_text(
        f"Báo cáo chưa có số liệu cho các chỉ tiêu: {MODEL}; {TEACHERS}."
    )
    staff.get_by_role("link", name="Nhập số liệu chỉ tiêu").click()
    expect(staff.get_by_role("heading", name="Số liệu chỉ tiêu thi đua")).to_be_visible()
    staff.get_by_label(MODEL, exact=True).select_option(label="Có")
    staff.get_by_label(f"Minh chứng: {MODEL}").fill(
        "Quyết định số 12/QĐ-THPT công nhận mô hình “Lớp học số”."
    )
    staff.get_by_label(TEACHERS, exact=True).fill("92,5")
    staff.get_by_label(f"Minh chứng: {TEACHERS}").fill(
        "Biên bản đánh giá chuẩn nghề nghiệp: 74/80 giáo viên."
    )
    shot(staff, "42-report-figures-form")
    staff.get_by_role("button", name="Lưu số liệu").click()
    expect(staff.locator(".flash-success")).to_have_text("Đã lưu số liệu chỉ tiêu.")
    expect(staff.locator("#figures-h")).to_have_text("Chỉ tiêu thi đua (1/2 đạt)")
    for code, value, verdict, evidence in (
        ("CT1", "Có", "Đạt", "12/QĐ-THPT"),
        ("CT2", "92,5%", "Chưa đạt", "74/80 giáo viên"),
    ):
        row = staff.locator(f".figures-table tr[data-target='{code}']")
        expect(row.locator("td.num")).to_have_text(value)
        expect(row.locator(".badge")).to_have_text(verdict)
        expect(row).to_contain_text(evidence)
    shot(staff, "43-report-with-figures")
    fire(staff, "report", "submit", "unit_review")

    head = new_page("head_a")
    open_dossier(head, report_id)
    fire(head, "report", "unit_approve", "office_review")

    with live_server.session() as session:
        sent = submission_status(
            live_server.world.campaign, "report", session.get(Dossier, report_id), today_local()
        )
    assert sent in ("on_time", "late")

    # The dashboard counts unit a's report and its figures; unit b still has none.
    reviewer.reload()
    expect_reports(reviewer, {sent: 1, unsent: 1})
    expect_target(reviewer, "CT1", MODEL, met=1, not_met=0, no_figure=1)
    expect_target(reviewer, "CT2", TEACHERS, met=0, not_met=1, no_figure=1)
    shot(reviewer, "44-dashboard-after-report")

    report_kind = WORKFLOWS["report"].label_vi
    figure(reviewer, f"report-{sent}").click()
    status_vi = STATUS_LABELS[sent][0]
    expect_units(reviewer, f"{report_kind}: đơn vị {status_vi.lower()}", [UNIT_A], status_vi)
    shot(reviewer, "45-dashboard-units-report")
    reviewer.locator(
        f"table.units tbody tr a[href$='/dossiers/{report_id}']"
    ).click()  # its sending date
    expect(reviewer).to_have_url(re.compile(rf"/dossiers/{report_id}$"))
    expect_state(reviewer, "report", "office_review")
    expect(reviewer.get_by_role("heading", name=REPORT, level=1)).to_be_visible()

    for code, title, result, units in (
        ("CT1", MODEL, "met", [UNIT_A]),
        ("CT2", TEACHERS, "not_met", [UNIT_A]),
        ("CT1", MODEL, "no_figure", [UNIT_B]),
    ):
        reviewer.goto(f"/dashboard/?campaign={campaign_id}")
        target_row(reviewer, code, title).locator(f"a[data-figure$='-{result}']").click()
        label = RESULT_LABELS[result][0]
        expect_units(reviewer, f"Chỉ tiêu “{title}”: đơn vị {label.lower()}", units, label)
        shot(reviewer, f"46-dashboard-units-{code}-{result}")
