"""Returns that help, in the browser: the Office returns a dossier with two points to fix and a
day to fix them by; the unit sees the day counted down on its home page, answers a point on the
dossier page, and the Office reads the answer beside the point."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import SIZES, shot
from tests.fixtures.browser import action, fire, open_dossier

POINTS = ["Thiếu báo cáo thành tích có xác nhận của thủ trưởng.", "Ghi rõ năm học đạt danh hiệu."]
REPLY = "Đã đính kèm báo cáo có chữ ký và dấu của Hiệu trưởng."


@SIZES
def test_a_return_with_points_and_a_fix_by_day_is_answered(new_page, live_server):
    dossier = live_server.dossier_at_office("Đề nghị LĐTT")

    reviewer = new_page("reviewer")
    open_dossier(reviewer, dossier)
    form = action(reviewer, "office_return")
    form.get_by_label("Các điểm cần bổ sung (mỗi dòng một điểm)").fill("\n".join(POINTS))
    form.get_by_label("Hạn bổ sung", exact=True).fill("10/12/2026")
    fire(reviewer, "nomination", "office_return", "returned", reason="Hồ sơ cần bổ sung.")

    staff = new_page("staff_a")
    reminder = staff.locator(f'[data-fix-by="{dossier}"]')
    expect(reminder).to_contain_text("Hạn bổ sung còn 4 ngày")
    expect(reminder).to_contain_text("Hạn bổ sung: 10/12/2026")
    shot(staff, "return-home-fix-by")
    reminder.get_by_role("link").click()
    notice = staff.locator(".return-notice")
    expect(notice).to_contain_text("Hạn bổ sung: 10/12/2026")
    notice.get_by_role("link", name="Xem và trả lời 2 điểm cần bổ sung").click()
    points = staff.locator(".return-points > li")
    expect(points).to_have_count(2)
    first = points.first
    expect(first).to_contain_text(POINTS[0])
    first.get_by_label("Trả lời điểm này").fill(REPLY)
    first.get_by_role("button", name="Gửi trả lời").click()
    expect(staff.locator(".flash-success")).to_contain_text("Đã gửi trả lời.")
    expect(staff.locator(".return-points > li").first.locator("blockquote")).to_contain_text(REPLY)
    expect(staff.locator("[data-replied]")).to_have_attribute("data-replied", "1/2")
    shot(staff, "return-points-answered")

    reviewer.reload()
    returns = reviewer.locator("#returns")
    expect(returns).to_contain_text("Đơn vị đã trả lời 1/2 điểm.")
    expect(returns.locator(".return-points > li").first).to_contain_text(REPLY)
    expect(returns.get_by_role("button", name="Gửi trả lời")).to_have_count(0)
