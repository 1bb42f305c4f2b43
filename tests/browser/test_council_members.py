"""An administrator, in the browser: seats two members of the Council (an Ủy viên, then a Phó
Chủ tịch with a term typed dd/mm/yyyy) and sees the list in protocol order."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import shot


def _add(page, account: str, position: str, starts: str, ends: str = "") -> None:
    page.get_by_role("link", name="Thêm thành viên").first.click()
    page.get_by_label("Tài khoản").select_option(label=account)
    page.get_by_label("Chức danh trong Hội đồng").select_option(label=position)
    page.get_by_label("Ngày bắt đầu nhiệm kỳ").fill(starts)
    page.get_by_label("Ngày kết thúc nhiệm kỳ").fill(ends)
    page.get_by_role("button", name="Thêm thành viên").click()


def test_admin_adds_a_vice_chair_and_sees_protocol_order(new_page):
    page = new_page("admin")
    page.get_by_role("link", name="Quản trị").click()
    page.get_by_role("link", name="Hội đồng Thi đua – Khen thưởng").click()
    expect(page.get_by_role("heading", name="Hội đồng Thi đua – Khen thưởng")).to_be_visible()

    _add(page, "Ngô Quang Nam (member3)", "Ủy viên", "01/01/2026")
    expect(page.get_by_text("Đã thêm “Ngô Quang Nam” vào Hội đồng.")).to_be_visible()
    # A day that does not exist comes back with everything typed kept.
    _add(page, "Đỗ Thị Mai (member2)", "Phó Chủ tịch Hội đồng", "31/02/2026", "31/12/2030")
    expect(page.get_by_text("phải theo dạng ngày/tháng/năm", exact=False).first).to_be_visible()
    expect(page.get_by_label("Ngày kết thúc nhiệm kỳ")).to_have_value("31/12/2030")
    expect(page.get_by_label("Chức danh trong Hội đồng")).to_have_value("vice_chair")
    page.get_by_label("Ngày bắt đầu nhiệm kỳ").fill("01/01/2026")
    page.get_by_role("button", name="Thêm thành viên").click()
    expect(page.get_by_text("Đã thêm “Đỗ Thị Mai” vào Hội đồng.")).to_be_visible()

    rows = page.locator("table.council-members tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Đỗ Thị Mai")
    expect(rows.nth(0)).to_contain_text("Phó Chủ tịch Hội đồng")
    expect(rows.nth(0)).to_contain_text("31/12/2030")
    expect(rows.nth(1)).to_contain_text("Ngô Quang Nam")
    expect(rows.nth(1)).to_contain_text("Ủy viên")
    shot(page, "admin-council-members")
